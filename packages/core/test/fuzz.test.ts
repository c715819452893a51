import { describe, expect, it } from "vitest";
import { createLogParser, parseLogs } from "../src/parse/index";
import { parseResult } from "../src/schemas/event";
import { fixtureCases } from "./corpus";

/** Deterministic PRNG (mulberry32): a failure names its seed and can be replayed. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MARKERS = [
  "END OF DATA",
  "Continued at beginning of file",
  "--- SCHEDULEREC OBJECT BEGIN X 01/01/2022 00:00:00",
  "--- SCHEDULEREC STATUS BEGIN",
].map((s) => new TextEncoder().encode(s));

/** One mutation of a log: bytes flipped, lines cut, shuffled, junk, markers, duplicated lines. */
export function mutate(input: Uint8Array, random: () => number): Uint8Array {
  const int = (n: number) => Math.floor(random() * n);
  const bytes = Array.from(input);
  const lines = () => {
    const out: number[][] = [[]];
    for (const b of bytes) b === 10 ? out.push([]) : out[out.length - 1]!.push(b);
    return out;
  };
  const rounds = 1 + int(6);
  let current = bytes;
  for (let r = 0; r < rounds; r++) {
    const kind = int(7);
    if (kind === 0)
      for (let k = 0; k < 1 + int(20); k++) current[int(current.length)] = int(256); // flip bytes
    else if (kind === 1)
      current = current.slice(0, int(current.length + 1)); // cut short by a crash
    else if (kind === 2 || kind === 3) {
      const ls = lines();
      if (kind === 2)
        for (let k = ls.length - 1; k > 0; k--) {
          const j = int(k + 1);
          [ls[k], ls[j]] = [ls[j]!, ls[k]!];
        } // shuffle
      else ls.splice(int(ls.length), 0, ...Array.from({ length: 1 + int(5) }, () => ls[int(ls.length)]!)); // duplicate
      current = ls.flatMap((l, k) => (k === 0 ? l : [10, ...l]));
    } else if (kind === 4) {
      const junk = Array.from({ length: int(300) }, () => int(256));
      current.splice(int(current.length), 0, ...junk); // binary junk
    } else if (kind === 5) current.splice(int(current.length), 0, 10, ...MARKERS[int(MARKERS.length)]!, 10);
    else current = current.map((b) => (b === 10 && random() < 0.3 ? 13 : b)); // broken line ends
    bytes.length = 0;
    bytes.push(...current);
  }
  return new Uint8Array(current);
}

describe("fuzz", () => {
  it("never throws and always returns a schema-valid, JSON-safe result (10,000 mutated logs)", () => {
    const cases = fixtureCases();
    const random = rng(20220609);
    const failures: string[] = [];
    let checked = 0;
    for (let n = 0; n < 10_000; n++) {
      const c = cases[n % cases.length]!;
      const sched = mutate(c.sched, random);
      const error = c.error && random() < 0.5 ? mutate(c.error, random) : c.error;
      let result: unknown;
      try {
        result = n % 4 === 0 ? incremental(sched, error, random) : parseLogs({ sched, error }, c.options);
      } catch (e) {
        failures.push(`run ${n} (${c.name}) threw: ${String(e)}`);
        continue;
      }
      const check = parseResult.safeParse(JSON.parse(JSON.stringify(result)));
      if (check.success) checked++;
      else failures.push(`run ${n} (${c.name}) broke the schema: ${check.error.message.slice(0, 400)}`);
    }
    // Every failure is listed with its run number (the seed replays it); none is expected.
    expect(failures.slice(0, 5)).toEqual([]);
    expect(checked).toBe(10_000);
  }, 60_000);
});

function incremental(sched: Uint8Array, error: Uint8Array | undefined, random: () => number) {
  const parser = createLogParser();
  if (error) parser.pushError(error);
  for (let at = 0; at < sched.length; ) {
    const size = 1 + Math.floor(random() * 200);
    parser.push(sched.subarray(at, at + size));
    if (random() < 0.2) parser.takeCompleted();
    at += size;
  }
  return parser.finish();
}
