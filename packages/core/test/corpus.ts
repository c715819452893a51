import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ParseOptions } from "../src/parse/index";

/** The fixture folders as inputs, for tests that reuse them (chunking, fuzzing). */
export type Case = { name: string; sched: Uint8Array; error?: Uint8Array; options: ParseOptions };

const root = join(import.meta.dirname, "fixtures");

export function fixtureCases(): Case[] {
  return readdirSync(root)
    .filter((name) => existsSync(join(root, name, "sched.log")))
    .map((name) => {
      const file = (f: string) => (existsSync(join(root, name, f)) ? new Uint8Array(readFileSync(join(root, name, f))) : undefined);
      const options = file("options.json");
      return {
        name,
        sched: file("sched.log")!,
        error: file("error.log"),
        options: options ? (JSON.parse(new TextDecoder().decode(options)) as ParseOptions) : {},
      };
    });
}

/** Cuts bytes at the given (sorted, deduplicated) offsets. */
export function chunk(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const p of points) {
    out.push(bytes.subarray(from, p));
    from = p;
  }
  out.push(bytes.subarray(from));
  return out;
}
