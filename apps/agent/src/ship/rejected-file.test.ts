import { appendFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nodeFsys } from "../fsys";
import { faultyFsys } from "../testing/faulty-fs";
import { RejectedFile, rejectedSummary } from "./rejected-file";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "fw-rejected-"));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const at = new Date("2024-03-20T10:00:00Z");
const poison = (n: number) => ({
  kind: "event" as const,
  node: "N1",
  reason: `events[${n}].event.returnCode: too big`,
  record: { node: "N1", event: { returnCode: 4294967296, n } },
});
const lines = async () => (await readFile(join(dir, "rejected.jsonl"), "utf8")).split("\n").filter(Boolean);

describe("RejectedFile", () => {
  it("keeps each refused record as one JSON line (when, kind, node, reason, the record), across a reopen", async () => {
    const file = await RejectedFile.open(nodeFsys, dir);
    expect(await file.add([poison(1), poison(2)], at)).toBe(2);
    const again = await RejectedFile.open(nodeFsys, dir);
    expect(again.count).toBe(2);
    expect(again.newest?.reason).toBe("events[2].event.returnCode: too big");
    expect((await lines()).map((l) => JSON.parse(l))).toEqual([
      { at: at.toISOString(), ...poison(1) },
      { at: at.toISOString(), ...poison(2) },
    ]);
  });

  it("a record refused again (a resend after a crash, a re-shipped log) is kept once", async () => {
    const file = await RejectedFile.open(nodeFsys, dir);
    await file.add([poison(1)], at);
    expect(await file.add([poison(1), poison(1), poison(3)], at)).toBe(1);
    const reopened = await RejectedFile.open(nodeFsys, dir);
    expect(await reopened.add([poison(1), poison(3)], at)).toBe(0);
    expect(await lines()).toHaveLength(2);
  });

  it("a line torn by a crash mid-append is cut on open, and its record kept whole when refused again", async () => {
    const file = await RejectedFile.open(nodeFsys, dir);
    await file.add([poison(1)], at);
    await appendFile(join(dir, "rejected.jsonl"), JSON.stringify({ at, ...poison(2) }).slice(0, 40));
    const reopened = await RejectedFile.open(nodeFsys, dir);
    expect(reopened.count).toBe(1);
    expect(await reopened.add([poison(2)], at)).toBe(1);
    expect((await lines()).map((l) => JSON.parse(l).record.event.n)).toEqual([1, 2]);
  });

  it("a failed write (full disk) throws and remembers nothing: the same record is kept on the next try", async () => {
    let full = true;
    const file = await RejectedFile.open(
      faultyFsys((op) => (full && op === "sync" ? "ENOSPC" : null)),
      dir,
    );
    await expect(file.add([poison(1)], at)).rejects.toMatchObject({ code: "ENOSPC" });
    full = false;
    expect(await file.add([poison(1)], at)).toBe(1);
    expect(await lines()).toHaveLength(1);
  });

  it("a state folder that is gone is made again; the summary counts and names the newest", async () => {
    const stateDir = join(dir, "not-yet");
    const file = await RejectedFile.open(nodeFsys, stateDir);
    await file.add([poison(1), poison(2)], at);
    const summary = await rejectedSummary(nodeFsys, stateDir);
    expect(summary).toMatchObject({ path: join(stateDir, "rejected.jsonl"), count: 2, newest: { reason: poison(2).reason } });
    expect((await rejectedSummary(nodeFsys, join(dir, "none"))).count).toBe(0);
  });
});
