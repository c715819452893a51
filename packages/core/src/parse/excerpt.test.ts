import { describe, expect, it } from "vitest";
import { type ExcerptLine, nightExcerpt } from "./excerpt";
import { parseLogs } from "./parser";

const log = [
  "11/28/2026 22:00:01 --- SCHEDULEREC QUERY BEGIN",
  "11/28/2026 22:00:02 Querying server for next scheduled event.",
  "11/28/2026 22:00:03 Node Name: LAW-PC005",
  "11/28/2026 22:00:04 ANS1228E Sending of object '\\\\law-pc005\\c$\\a.pst' failed.",
  "11/28/2026 22:00:04 ANS4037E Object '\\\\law-pc005\\c$\\a.pst' changed during processing. Object skipped.",
  "11/28/2026 22:00:05 Normal File-->  1,024 \\\\law-pc005\\c$\\b.txt [Sent]",
  "11/28/2026 22:00:06 ANS1228E Sending of object '\\\\law-pc005\\c$\\c.pst' failed.",
  "11/28/2026 22:00:06 ANS4037E Object '\\\\law-pc005\\c$\\c.pst' changed during processing. Object skipped.",
  "11/28/2026 22:00:07 Normal File-->  2,048 \\\\law-pc005\\c$\\d.txt [Sent]",
  "11/28/2026 22:00:08 Normal File-->  2,048 \\\\law-pc005\\c$\\e.txt [Sent]",
  "11/28/2026 22:00:09 Normal File-->  2,048 \\\\law-pc005\\c$\\f.txt [Sent]",
  "11/28/2026 22:00:10 Normal File-->  2,048 \\\\law-pc005\\c$\\g.txt [Sent]",
  "11/28/2026 22:00:11 Normal File-->  2,048 \\\\law-pc005\\c$\\h.txt [Sent]",
  "11/28/2026 22:00:12 ANS1802E Incremental backup of '\\\\law-pc005\\c$' finished with 2 failure(s)",
  "11/28/2026 22:00:13 Total number of objects inspected:        9",
].join("\n");

const text = (lines: ExcerptLine[]) => lines.map((l) => (l.kind === "gap" ? "…" : l.text));

describe("a night's excerpt", () => {
  it("shows each log line once, every message's line marked, far-apart parts split by a gap", () => {
    const messages = [
      {
        code: "ANS1228E",
        text: "Sending of object '\\\\law-pc005\\c$\\a.pst' failed.",
        context: { before: [log.split("\n")[1]!, log.split("\n")[2]!], after: [log.split("\n")[4]!, log.split("\n")[5]!] },
      },
      {
        code: "ANS4037E",
        text: "Object '\\\\law-pc005\\c$\\a.pst' changed during processing. Object skipped.",
        context: { before: [log.split("\n")[2]!, log.split("\n")[3]!], after: [log.split("\n")[5]!, log.split("\n")[6]!] },
      },
      {
        code: "ANS1228E",
        text: "Sending of object '\\\\law-pc005\\c$\\c.pst' failed.",
        context: { before: [log.split("\n")[4]!, log.split("\n")[5]!], after: [log.split("\n")[7]!, log.split("\n")[8]!] },
      },
      {
        code: "ANS4037E",
        text: "Object '\\\\law-pc005\\c$\\c.pst' changed during processing. Object skipped.",
        context: { before: [log.split("\n")[5]!, log.split("\n")[6]!], after: [log.split("\n")[8]!, log.split("\n")[9]!] },
      },
      {
        code: "ANS1802E",
        text: "Incremental backup of '\\\\law-pc005\\c$' finished with 2 failure(s)",
        context: { before: [log.split("\n")[11]!, log.split("\n")[12]!], after: [log.split("\n")[14]!] },
      },
    ];
    const lines = nightExcerpt(messages);
    const shown = text(lines);
    const raw = log.split("\n");
    // Lines 1..9 once each, a gap, then 11..14: the raw lines themselves; a message whose own line no
    // other message kept (the first, the last) as "CODE text".
    expect(shown).toEqual([
      raw[1],
      raw[2],
      `ANS1228E ${messages[0]!.text}`,
      ...raw.slice(4, 10),
      "…",
      raw[11],
      raw[12],
      `ANS1802E ${messages[4]!.text}`,
      raw[14],
    ]);
    expect(new Set(shown.filter((l) => l !== "…")).size).toBe(shown.length - 1);
    const marked = lines.flatMap((l) => (l.kind === "line" && l.codes.length ? [l.codes.join(" ")] : []));
    expect(marked).toEqual(["ANS1228E", "ANS4037E", "ANS1228E", "ANS4037E", "ANS1802E"]);
  });

  it("merges what the parser itself keeps around adjacent messages", () => {
    const sched = [
      "06/09/2022 20:00:05 --- SCHEDULEREC OBJECT BEGIN DAILY_INCR 06/09/2022 20:00:00",
      "06/09/2022 20:00:06 Normal File-->       1,024 /home/user/a.txt [Sent]",
      "06/09/2022 20:00:07 Normal File-->       2,048 /var/log/test.log  ** Unsuccessful **",
      "06/09/2022 20:00:07 ANS1228E Sending of object '/var/log/test.log' failed",
      "06/09/2022 20:00:07 ANS4037E Object '/var/log/test.log' changed during processing. Object skipped.",
      "06/09/2022 20:00:08 Normal File-->         512 /home/user/b.txt [Sent]",
      "06/09/2022 20:00:09 Successful incremental backup of '/'",
      "06/09/2022 20:00:10 --- SCHEDULEREC OBJECT END DAILY_INCR 06/09/2022 20:00:00",
      "06/09/2022 20:00:10 ANS1512E Scheduled event 'DAILY_INCR' failed.  Return code = 12.",
      "06/09/2022 20:00:10 Sending results for scheduled event 'DAILY_INCR'.",
    ];
    const [event] = parseLogs({ sched: `${sched.join("\n")}\n` }, { context: true }).events;
    const messages = (event?.messages ?? []).filter((m) => m.context);
    expect(messages.map((m) => m.code)).toEqual(["ANS1228E", "ANS4037E", "ANS1512E"]);
    const lines = nightExcerpt(messages.map((m) => ({ code: m.code, text: m.text, context: m.context ?? null })));
    // Every line from the first one kept to the last, once; ANS4037E's raw line marked where it stands.
    expect(text(lines)).toEqual([
      ...sched.slice(1, 3),
      "ANS1228E Sending of object '/var/log/test.log' failed",
      ...sched.slice(4, 8),
      "ANS1512E Scheduled event 'DAILY_INCR' failed.  Return code = 12.",
      sched[9],
    ]);
    const marks = lines.map((l) => (l.kind === "line" ? l.codes.join(" ") : "gap"));
    expect(marks).toEqual(["", "", "ANS1228E", "ANS4037E", "", "", "", "ANS1512E", ""]);
  });

  it("is empty for a night whose messages kept no lines", () => {
    expect(nightExcerpt([{ code: "ANS1361E", text: "Session rejected", context: null }])).toEqual([]);
  });
});
