import { describe, expect, it } from "vitest";
import { createLogParser, parseLogs } from "../src/parse/index";

const log = [
  "06/09/2022 20:00:05 Executing scheduled command now.",
  "06/09/2022 20:00:05 --- SCHEDULEREC OBJECT BEGIN DAILY_INCR 06/09/2022 20:00:00",
  "06/09/2022 20:00:06 Normal File-->       1,024 /home/user/a.txt [Sent]",
  "06/09/2022 20:00:07 Normal File-->       2,048 /var/log/test.log  ** Unsuccessful **",
  "06/09/2022 20:00:07 ANS1228E Sending of object '/var/log/test.log' failed",
  "06/09/2022 20:00:07 ANS4037E Object '/var/log/test.log' changed during processing. Object skipped.",
  "",
  "06/09/2022 20:00:08 Normal File-->         512 /home/user/b.txt [Sent]",
  "06/09/2022 20:00:09 Successful incremental backup of '/'",
  "06/09/2022 20:00:10 --- SCHEDULEREC OBJECT END DAILY_INCR 06/09/2022 20:00:00",
  "06/09/2022 20:00:10 ANS1512E Scheduled event 'DAILY_INCR' failed.  Return code = 12.",
  "06/09/2022 20:00:10 Sending results for scheduled event 'DAILY_INCR'.",
  "06/09/2022 20:00:10 Results sent to server for scheduled event 'DAILY_INCR'.",
].join("\n");

describe("the raw lines around each message (opt-in)", () => {
  it("keeps two lines before and two after every W/E/S message, blank lines skipped", () => {
    const [event] = parseLogs({ sched: `${log}\n` }, { context: true }).events;
    const byCode = new Map(event?.messages.map((m) => [m.code, m.context]));
    expect(byCode.get("ANS1228E")).toEqual({
      before: [
        "06/09/2022 20:00:06 Normal File-->       1,024 /home/user/a.txt [Sent]",
        "06/09/2022 20:00:07 Normal File-->       2,048 /var/log/test.log  ** Unsuccessful **",
      ],
      after: [
        "06/09/2022 20:00:07 ANS4037E Object '/var/log/test.log' changed during processing. Object skipped.",
        "06/09/2022 20:00:08 Normal File-->         512 /home/user/b.txt [Sent]",
      ],
    });
    expect(byCode.get("ANS1512E")?.after).toEqual([
      "06/09/2022 20:00:10 Sending results for scheduled event 'DAILY_INCR'.",
      "06/09/2022 20:00:10 Results sent to server for scheduled event 'DAILY_INCR'.",
    ]);
  });

  it("is the same however the bytes arrive", () => {
    const whole = parseLogs({ sched: `${log}\n` }, { context: true }).events;
    const parser = createLogParser({ context: true });
    const bytes = new TextEncoder().encode(`${log}\n`);
    for (let i = 0; i < bytes.length; i += 7) parser.push(bytes.subarray(i, i + 7));
    expect(parser.finish().events).toEqual(whole);
  });

  it("holds when the caller reuses one buffer for every chunk, as a file reader does", () => {
    const whole = parseLogs({ sched: `${log}\n` }, { context: true }).events;
    const parser = createLogParser({ context: true });
    const bytes = new TextEncoder().encode(`${log}\n`);
    const buffer = new Uint8Array(256);
    for (let i = 0; i < bytes.length; i += buffer.length) {
      const n = Math.min(buffer.length, bytes.length - i);
      buffer.set(bytes.subarray(i, i + n));
      parser.push(buffer.subarray(0, n));
      buffer.fill(0x21); // what the next read would overwrite
    }
    expect(parser.finish().events).toEqual(whole);
  });

  it("is absent unless asked for: the parse contract's output is unchanged", () => {
    const [event] = parseLogs({ sched: `${log}\n` }).events;
    expect(event?.messages.every((m) => !("context" in m))).toBe(true);
  });
});
