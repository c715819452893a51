import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createLogParser, parseLogs } from "../src/parse/index";
import type { Message, ScheduleEvent } from "../src/schemas/event";
import { chunk, fixtureCases } from "./corpus";

const cases = fixtureCases();
const caseIndex = fc.integer({ min: 0, max: cases.length - 1 });
const cuts = fc.array(fc.nat({ max: 1 << 16 }), { maxLength: 40 });

/** Random logs from fixture lines too: lines of different cases, encodings and line ends mixed. */
const mixedLog = fc.array(fc.tuple(caseIndex, fc.nat(), fc.boolean()), { minLength: 1, maxLength: 60 }).map((picks) => {
  const parts: number[] = [];
  for (const [k, at, crlf] of picks) {
    const bytes = cases[k]!.sched;
    let start = bytes.lastIndexOf(10, at % bytes.length) + 1;
    let end = bytes.indexOf(10, start);
    if (end < 0) [start, end] = [0, bytes.length];
    parts.push(...bytes.subarray(start, end), ...(crlf ? [13, 10] : [10]));
  }
  return new Uint8Array(parts);
});

describe("incremental parser", () => {
  it("gives the whole-file result for any chunking of both logs (fixtures)", () => {
    fc.assert(
      fc.property(caseIndex, cuts, cuts, fc.array(fc.boolean(), { maxLength: 80 }), (k, schedCuts, errorCuts, order) => {
        const c = cases[k]!;
        const parser = createLogParser(c.options);
        const sched = chunk(c.sched, schedCuts);
        const error = c.error ? chunk(c.error, errorCuts) : [];
        // Interleave the two logs' chunks in a random order: only each log's own order matters.
        let i = 0;
        let j = 0;
        for (const errorFirst of order) {
          if (errorFirst && j < error.length) parser.pushError(error[j++]!);
          else if (i < sched.length) parser.push(sched[i++]!);
        }
        while (j < error.length) parser.pushError(error[j++]!);
        while (i < sched.length) parser.push(sched[i++]!);
        expect(parser.finish()).toEqual(parseLogs({ sched: c.sched, error: c.error }, c.options));
      }),
      { numRuns: 400 },
    );
  });

  it("gives the whole-file result for any chunking of mixed logs", () => {
    fc.assert(
      fc.property(mixedLog, cuts, (log, schedCuts) => {
        const parser = createLogParser();
        for (const piece of chunk(log, schedCuts)) parser.push(piece);
        expect(parser.finish()).toEqual(parseLogs({ sched: log }));
      }),
      { numRuns: 300 },
    );
  });

  it("hands out each ended event once through takeCompleted, same as the whole-file parse", () => {
    const unwrapped = cases.filter((c) => !c.name.startsWith("wrap-"));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: unwrapped.length - 1 }),
        cuts,
        fc.array(fc.boolean(), { maxLength: 41 }),
        (k, schedCuts, takes) => {
          const c = unwrapped[k]!;
          const parser = createLogParser(c.options);
          if (c.error) parser.pushError(c.error);
          const events: ScheduleEvent[] = [];
          const problems: Message[] = [];
          chunk(c.sched, schedCuts).forEach((piece, n) => {
            parser.push(piece);
            if (takes[n]) {
              const done = parser.takeCompleted();
              events.push(...done.events);
              problems.push(...done.problems);
            }
          });
          const rest = parser.finish();
          const whole = parseLogs({ sched: c.sched, error: c.error }, c.options);
          expect([...events, ...rest.events]).toEqual(whole.events);
          const sorted = (list: unknown[]) => list.map((m) => JSON.stringify(m)).sort();
          expect(sorted([...problems, ...rest.problems])).toEqual(sorted(whole.problems));
        },
      ),
      { numRuns: 300 },
    );
  });
});
