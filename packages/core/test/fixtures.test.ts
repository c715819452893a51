import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type ParseOptions, parseLogs } from "../src/parse/index";
import { parseResult } from "../src/schemas/event";

/**
 * One test per folder in fixtures/: sched.log (+ error.log, options.json) -> expected.json.
 * Each folder's README says where its lines come from and what the contract says they mean.
 * FIXTURES_WRITE=1 writes missing expected.json files for review; it never overwrites one.
 */
const root = join(import.meta.dirname, "fixtures");
const cases = readdirSync(root).filter((name) => existsSync(join(root, name, "sched.log")));

describe("fixtures", () => {
  it("has a README for every case", () => {
    for (const name of cases) expect(existsSync(join(root, name, "README")), name).toBe(true);
  });

  it.each(cases)("%s", (name) => {
    const dir = join(root, name);
    const read = (file: string) => (existsSync(join(dir, file)) ? readFileSync(join(dir, file)) : undefined);
    const options = read("options.json");
    const result = parseLogs(
      { sched: read("sched.log")!, error: read("error.log") },
      options ? (JSON.parse(options.toString()) as ParseOptions) : {},
    );
    expect(parseResult.safeParse(result).success).toBe(true);
    const expectedPath = join(dir, "expected.json");
    if (!existsSync(expectedPath) && process.env.FIXTURES_WRITE === "1") {
      writeFileSync(expectedPath, `${JSON.stringify(result, null, 2)}\n`);
    }
    expect(JSON.parse(JSON.stringify(result))).toEqual(JSON.parse(readFileSync(expectedPath, "utf8")));
  });
});
