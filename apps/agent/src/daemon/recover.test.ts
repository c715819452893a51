import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nodeFsys } from "../fsys";
import { silentLogger } from "../log";
import { Spool } from "../spool/spool";
import { emptyState, StateStore } from "../state/state-store";
import { recoverState } from "./recover";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "fw-recover-"));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const pos = { dev: "1", ino: "2", headLen: 10, head: "h", offset: 500, beforeLen: 100, before: "b", lastLine: "", wrapped: false };
const recover = () => recoverState(dir, nodeFsys, { spoolMaxBytes: 1 << 20, log: silentLogger, now: () => new Date() });

/** A state folder as a running agent leaves it: cursors stored, records spooled, a batch in flight. */
async function runningAgentFolder() {
  const store = new StateStore(dir, nodeFsys);
  await store.save({ ...emptyState(), nodes: { N: { schedLog: "/l", errorLog: null, anchors: { sched: pos, error: null } } } });
  const { spool } = await Spool.open(dir, nodeFsys, { maxBytes: 1 << 20 });
  for (let i = 0; i < 5; i++) await spool.append([{ kind: "event", node: "N", data: { i } }]);
  await store.setMark({ first: 1, last: 3, at: new Date().toISOString() });
}

const segment = async () => join(dir, "spool", (await readdir(join(dir, "spool"))).find((n) => n.endsWith(".seg"))!);

/**
 * Every torn or lost piece of the state folder, and what recovery must do about it: resume (send
 * the in-flight batch again) when the record of what was saved is intact; the full save (drop
 * every cursor, read every log again) when it is not. Never a throw, never more than a moment.
 */
const cases: Array<[string, () => Promise<void>, "resume" | "full resync"]> = [
  ["nothing damaged (killed mid-batch)", async () => {}, "resume"],
  [
    "state.json truncated",
    async () => writeFile(join(dir, "state.json"), (await readFile(join(dir, "state.json"))).subarray(0, 40)),
    "full resync",
  ],
  ["state.json zero length", async () => writeFile(join(dir, "state.json"), ""), "full resync"],
  ["state.json zero-filled", async () => writeFile(join(dir, "state.json"), Buffer.alloc(300)), "full resync"],
  [
    "state.json rename never persisted (only the .tmp)",
    async () => {
      await writeFile(join(dir, "state.json.tmp"), await readFile(join(dir, "state.json")));
      await rm(join(dir, "state.json"));
    },
    "full resync",
  ],
  ["resync.mark torn", async () => writeFile(join(dir, "resync.mark"), '{"crc":1,"bo'), "full resync"],
  ["resync.mark zero-filled", async () => writeFile(join(dir, "resync.mark"), Buffer.alloc(64)), "full resync"],
  ["spool: torn last append", async () => appendFile(await segment(), Buffer.from("FWR1\x99\x00")), "resume"],
  ["spool: zero-filled tail", async () => appendFile(await segment(), Buffer.alloc(100)), "resume"],
  [
    "spool: a record damaged before intact ones",
    async () => {
      const seg = await segment();
      const buf = await readFile(seg);
      buf[30] = buf[30]! ^ 0xff;
      await writeFile(seg, buf);
    },
    "full resync",
  ],
  ["spool: segment zero length", async () => writeFile(await segment(), ""), "full resync"],
  ["spool folder lost (the marked batch with it)", async () => rm(join(dir, "spool"), { recursive: true }), "full resync"],
  ["state.json lost, spool kept", async () => rm(join(dir, "state.json")), "full resync"],
];

describe("recoverState", () => {
  for (const [what, damage, outcome] of cases) {
    it(`${what}: ${outcome}`, async () => {
      await runningAgentFolder();
      await damage();
      const started = Date.now();
      const rec = await recover();
      expect(Date.now() - started).toBeLessThan(2000);
      if (outcome === "resume") {
        expect(rec.fullResync).toBeNull();
        expect(rec.state.nodes.N?.anchors.sched?.offset).toBe(500);
        expect(rec.spool.holds(1, 3)).toBe(true);
      } else {
        expect(rec.fullResync?.reason).toBeTruthy();
        expect(rec.state.nodes).toEqual({});
        expect(rec.state.fullResyncs).toBe(1);
      }
      // Whatever happened, the folder is usable again: a second start is clean and resumes.
      await rec.spool.append([{ kind: "event", node: "N", data: { after: true } }]);
      const again = await recover();
      expect(again.fullResync).toBeNull();
    });
  }

  it("an empty folder is a first start, not a resync", async () => {
    const rec = await recover();
    expect(rec.fullResync).toBeNull();
    expect(rec.state).toEqual(emptyState());
  });
});
