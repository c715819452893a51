import { describe, expect, it } from "vitest";
import { createLogParser, parseLogs } from "../src/parse/index";

const enc = new TextEncoder();
const lines = (...l: string[]) => enc.encode(`${l.join("\n")}\n`);

const begin = lines(
  "06/09/2022 20:00:05 Executing scheduled command now.",
  "06/09/2022 20:00:05 --- SCHEDULEREC OBJECT BEGIN DAILY_INCR 06/09/2022 20:00:00",
  "06/09/2022 20:00:06 Normal File-->       1,024 /home/user/a.txt [Sent]",
);
const end = lines(
  "06/09/2022 20:00:07 --- SCHEDULEREC OBJECT END DAILY_INCR 06/09/2022 20:00:00",
  "06/09/2022 20:00:07 Scheduled event 'DAILY_INCR' completed successfully.",
  "06/09/2022 20:00:07 Sending results for scheduled event 'DAILY_INCR'.",
);
const sent = lines("06/09/2022 20:00:07 Results sent to server for scheduled event 'DAILY_INCR'.");

describe("takeCompleted", () => {
  it("holds back an event that has not ended, and one that may still get result lines", () => {
    const parser = createLogParser();
    parser.push(begin);
    expect(parser.takeCompleted().events).toEqual([]);
    parser.push(end);
    // `Sending results` may still be followed by `Results sent`: not final yet.
    expect(parser.takeCompleted().events).toEqual([]);
    parser.push(sent);
    const [event] = parser.takeCompleted().events;
    expect(event).toMatchObject({ schedule: "DAILY_INCR", status: "completed", returnCode: 0, endedAt: "2022-06-09T20:00:07" });
    expect(parser.takeCompleted().events).toEqual([]);
    expect(parser.finish().events).toEqual([]);
  });

  it("holds back a problem until no continuation line can follow, so it is never shipped with half its text", () => {
    const parser = createLogParser();
    parser.push(lines("06/10/2022 08:00:00 ANS2050E TSM needs to prompt for the password but cannot prompt because the process"));
    expect(parser.takeCompleted().problems).toEqual([]);
    parser.push(lines("is running in the background.", "06/10/2022 08:00:01 Scheduler has been stopped."));
    const [problem] = parser.takeCompleted().problems;
    expect(problem?.text).toBe("TSM needs to prompt for the password but cannot prompt because the process is running in the background.");
    expect(parser.finish().problems).toEqual([]);
  });

  it("releases a last problem at the end of input", () => {
    const parser = createLogParser();
    parser.push(lines("06/10/2022 08:00:00 ANS2050E TSM needs to prompt for the password."));
    expect(parser.takeCompleted().problems).toEqual([]);
    expect(parser.finish().problems.map((p) => p.code)).toEqual(["ANS2050E"]);
  });

  it("releases an event cut off by the log moving on", () => {
    const parser = createLogParser();
    parser.push(begin);
    parser.push(lines("06/10/2022 08:00:00 Scheduler has been started by Dsmcad."));
    expect(parser.takeCompleted().events.map((e) => e.status)).toEqual(["aborted"]);
  });

  it("gives the last open event as in-progress only at finish", () => {
    const parser = createLogParser();
    parser.push(begin);
    expect(parser.finish().events.map((e) => e.status)).toEqual(["in-progress"]);
  });

  it("hands out problems and next schedules once", () => {
    const parser = createLogParser();
    parser.push(
      lines(
        "06/09/2022 08:00:00 ANS1361E Session Rejected: The specified node name is currently locked.",
        "06/09/2022 08:00:00 Schedule Name:         DAILY_INCR",
        "06/09/2022 08:00:00 Server Window Start:   20:00:00 on 06/09/2022",
      ),
    );
    const first = parser.takeCompleted();
    expect(first.problems.map((p) => p.code)).toEqual(["ANS1361E"]);
    expect(first.nextScheduled).toEqual([{ schedule: "DAILY_INCR", action: null, windowStart: "2022-06-09T20:00:00" }]);
    const rest = parser.finish();
    expect(rest.problems).toEqual([]);
    expect(rest.nextScheduled).toEqual([]);
  });
});

describe("bytes", () => {
  it("decodes a UTF-8 character split across chunks", () => {
    const bytes = lines("06/09/2022 20:00:06 ANS4037E Object '/home/jürgen/€.txt' changed during processing.");
    const at = bytes.indexOf(0xe2) + 1; // inside the three bytes of €
    const parser = createLogParser();
    parser.push(bytes.subarray(0, at));
    parser.push(bytes.subarray(at));
    expect(parser.finish().problems[0]?.text).toBe("Object '/home/jürgen/€.txt' changed during processing.");
  });

  it("reads a line that is not UTF-8 as Latin-1", () => {
    const bytes = new Uint8Array([
      ...enc.encode("06/09/2022 20:00:06 ANS4005E Error processing '/tmp/Dr"),
      0xe4,
      ...enc.encode("hte.pdf': file not found\n"),
    ]);
    expect(parseLogs({ sched: bytes }).problems[0]?.text).toBe("Error processing '/tmp/Drähte.pdf': file not found");
  });

  it("accepts text input the same as bytes", () => {
    const text = "06/09/2022 20:00:06 ANS1029E Communication with the server is lost.\r\n";
    expect(parseLogs({ sched: text })).toEqual(parseLogs({ sched: enc.encode(text) }));
  });
});
