import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nodeFsys } from "../fsys";
import { faultyFsys } from "../testing/faulty-fs";
import { type AgentState, emptyState, StateStore } from "./state-store";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "fw-state-"));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const pos = { dev: "1", ino: "2", headLen: 10, head: "h", offset: 1234, beforeLen: 100, before: "b", lastLine: "bGluZQ==", wrapped: false };
const state = (): AgentState => ({
  ...emptyState(),
  nodes: { N1: { schedLog: "/l/dsmsched.log", errorLog: "/l/dsmerror.log", anchors: { sched: pos, error: null } } },
});

/**
 * Every torn state of a file written by writeFileAtomic: cut short at any length, zero length,
 * zero-filled, garbage, a valid JSON with a wrong checksum.
 */
function tornVersions(whole: Buffer): [string, Buffer][] {
  const out: [string, Buffer][] = [];
  for (let n = 0; n < whole.length; n += Math.max(1, Math.floor(whole.length / 25))) out.push([`cut at ${n}`, whole.subarray(0, n)]);
  out.push(["zero-filled", Buffer.alloc(whole.length)]);
  out.push(["garbage", Buffer.from("{not json")]);
  out.push(["bad checksum", Buffer.from(whole.toString().replace("1234", "1235"))]);
  return out;
}

describe("StateStore", () => {
  it("round-trips the cursors and the resync mark", async () => {
    const store = new StateStore(dir, nodeFsys);
    expect((await store.load()).fresh).toBe(true);
    await store.save(state());
    await store.setMark({ first: 3, last: 9, at: "2024-01-01T00:00:00Z" });
    const loaded = await new StateStore(dir, nodeFsys).load();
    expect(loaded).toMatchObject({ fresh: false, resync: null, state: state(), mark: { first: 3, last: 9 } });
    await store.clearMark();
    expect((await store.load()).mark).toBeNull();
  });

  for (const file of ["state.json", "resync.mark"] as const) {
    it(`a torn ${file} in every shape is quarantined and asks for a full resync, never a crash`, async () => {
      const store = new StateStore(dir, nodeFsys);
      await store.save(state());
      await store.setMark({ first: 1, last: 1234, at: "2024-01-01T00:00:00Z" });
      const whole = await readFile(join(dir, file));
      for (const [what, bytes] of tornVersions(whole)) {
        await store.save(state());
        await store.setMark({ first: 1, last: 1234, at: "2024-01-01T00:00:00Z" });
        await writeFile(join(dir, file), bytes);
        const loaded = await store.load();
        expect(loaded.resync, what).toMatch(new RegExp(`${file.replace(".", "\\.")} damaged`));
        if (file === "state.json") expect(loaded.state).toEqual(emptyState());
        else expect(loaded.mark).toBeNull();
      }
      expect((await readdir(join(dir, "quarantine"))).length).toBe(10); // the newest few are kept
    });
  }

  it("a rename that did not persist: the old file is the truth and the stray temp file is removed", async () => {
    const store = new StateStore(dir, nodeFsys);
    await store.save(state());
    const newer = state();
    newer.nodes.N1!.anchors.sched = { ...pos, offset: 9999 };
    let failRename = true;
    const crashing = new StateStore(
      dir,
      faultyFsys((op) => (op === "rename" && failRename ? "EIO" : null)),
    );
    await expect(crashing.save(newer)).rejects.toMatchObject({ code: "EIO" });
    failRename = false;
    expect((await readdir(dir)).includes("state.json.tmp")).toBe(true);
    const loaded = await store.load();
    expect(loaded.resync).toBeNull();
    expect(loaded.state.nodes.N1?.anchors.sched?.offset).toBe(1234);
    expect((await readdir(dir)).includes("state.json.tmp")).toBe(false);
  });

  it("a lost state folder reads as fresh", async () => {
    const store = new StateStore(dir, nodeFsys);
    await store.save(state());
    await rm(dir, { recursive: true, force: true });
    expect(await store.load()).toMatchObject({ fresh: true, resync: null, mark: null });
  });
});
