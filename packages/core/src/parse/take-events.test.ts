import { describe, expect, it } from "vitest";
import { fixtureCases } from "../../test/corpus";
import { createLogParser, parseLogs } from "./index";

const wrapped = (bytes: Uint8Array) => new TextDecoder("latin1").decode(bytes).includes("END OF DATA");

describe("takeEvents", () => {
  // What `parse --json` relies on to print a big log's events as they come.
  it("with finish() gives exactly the one-shot result, for every fixture that is not wrapped, cut anywhere", () => {
    const cases = fixtureCases().filter((c) => !wrapped(c.sched));
    expect(cases.length).toBeGreaterThan(20);
    for (const c of cases) {
      for (const size of [1, 7, 64, 1 << 20]) {
        const parser = createLogParser(c.options);
        if (c.error) parser.pushError(c.error);
        parser.endError();
        const events = [];
        for (let at = 0; at < c.sched.length; at += size) {
          parser.push(c.sched.subarray(at, at + size));
          events.push(...parser.takeEvents());
        }
        const rest = parser.finish();
        expect({ ...rest, events: [...events, ...rest.events] }, `${c.name}, ${size}-byte chunks`).toEqual(parseLogs(c, c.options));
      }
    }
  });

  it("hands out an event once it has ended, and only then", () => {
    const parser = createLogParser();
    const enc = new TextEncoder();
    parser.push(enc.encode("06/09/2022 20:00:05 --- SCHEDULEREC OBJECT BEGIN DAILY_INCR 06/09/2022 20:00:00\n"));
    expect(parser.takeEvents()).toEqual([]);
    parser.push(enc.encode("06/09/2022 20:00:07 Results sent to server for scheduled event 'DAILY_INCR'.\n"));
    expect(parser.takeEvents().map((e) => e.schedule)).toEqual(["DAILY_INCR"]);
    expect(parser.finish().events).toEqual([]);
  });
});
