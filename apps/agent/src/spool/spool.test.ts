import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nodeFsys } from "../fsys";
import { faultyFsys } from "../testing/faulty-fs";
import type { SpoolItem } from "./record";
import { Spool, SpoolFullError } from "./spool";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "fw-spool-"));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const event = (n: number, node = "N1"): SpoolItem => ({ kind: "event", node, data: { n, pad: "x".repeat(200) } });
const beat = (n: number, node = "N1"): SpoolItem => ({ kind: "heartbeat", node, data: { n } });
const open = (maxBytes = 1 << 20, fs = nodeFsys) => Spool.open(dir, fs, { maxBytes, segmentBytes: 4096 });
const segments = async () => (await readdir(join(dir, "spool"))).filter((n) => n.endsWith(".seg")).sort();
const ns = async (spool: Spool) => (await spool.peek(10_000, 1 << 30)).map((r) => (r.data as { n: number }).n);

describe("Spool", () => {
  it("keeps records across a reopen until they are acknowledged, oldest first", async () => {
    const { spool } = await open();
    for (let i = 0; i < 50; i += 5) await spool.append([0, 1, 2, 3, 4].map((k) => event(i + k)));
    expect((await segments()).length).toBeGreaterThan(1);
    const first = await spool.peek(20, 1 << 20);
    await spool.ack(first[first.length - 1]!.seq);
    const again = await open();
    expect(again.recovery).toEqual({ state: "clean" });
    expect(await ns(again.spool)).toEqual(Array.from({ length: 30 }, (_, i) => i + 20));
  });

  it("a torn append at every byte of the last record: the tail is cut, every earlier record kept", async () => {
    const { spool } = await open();
    await spool.append([event(1), event(2)]);
    await spool.append([event(3)]);
    const [seg] = await segments();
    const path = join(dir, "spool", seg!);
    const whole = await readFile(path);
    const lastStart = whole.lastIndexOf(Buffer.from("FWR1"));
    for (let cut = lastStart; cut < whole.length; cut += 7) {
      await writeFile(path, whole.subarray(0, cut));
      const { spool: s, recovery } = await open();
      expect(recovery.state).toBe(cut === lastStart ? "clean" : "repaired");
      expect(await ns(s)).toEqual([1, 2]);
      await s.append([event(9)]);
      const reopened = await open();
      expect(reopened.recovery).toEqual({ state: "clean" });
      expect(await ns(reopened.spool)).toEqual([1, 2, 9]);
    }
  });

  it("a zero-filled tail (a power cut after the size grew) is cut like a torn append", async () => {
    const { spool } = await open();
    await spool.append([event(1), event(2)]);
    await appendFile(join(dir, "spool", (await segments())[0]!), Buffer.alloc(300));
    const { spool: s, recovery } = await open();
    expect(recovery.state).toBe("repaired");
    expect(await ns(s)).toEqual([1, 2]);
  });

  it("damage before intact records, or in an older segment, is corruption: quarantined, empty spool", async () => {
    for (const where of ["middle", "older-segment", "zero-filled-middle"] as const) {
      await rm(dir, { recursive: true, force: true });
      const { spool } = await open();
      for (let i = 0; i < 40; i++) await spool.append([event(i)]);
      const segs = await segments();
      const path = join(dir, "spool", where === "older-segment" ? segs[0]! : segs[segs.length - 1]!);
      const buf = await readFile(path);
      if (where === "zero-filled-middle") buf.fill(0, 30, 120);
      else buf[25] = buf[25]! ^ 0xff;
      await writeFile(path, buf);
      const { spool: s, recovery } = await open();
      expect(recovery.state).toBe("quarantined");
      expect(s.count).toBe(0);
      expect((await readdir(join(dir, "quarantine"))).length).toBe(1);
      await s.append([event(1)]);
      expect(await ns(s)).toEqual([1]);
    }
  });

  it("an empty segment and a damaged `acked` file are harmless (the latter resends everything)", async () => {
    const { spool } = await open();
    await spool.append([event(1), event(2)]);
    await spool.ack((await spool.peek(1, 1 << 20))[0]!.seq);
    await writeFile(join(dir, "spool", "9999999999999999.seg"), "");
    await writeFile(join(dir, "spool", "acked"), "\0\0\0");
    const { spool: s, recovery } = await open();
    expect(recovery.state).toBe("clean");
    expect(await ns(s)).toEqual([1, 2]);
  });

  it("when full: thins old heartbeats (each node keeps its newest), never drops an event, refuses more events", async () => {
    const { spool } = await open(64 * 1024);
    for (let i = 0; i < 300; i++) await spool.append([beat(i, i % 2 ? "A" : "B")]);
    let events = 0;
    await expect(
      (async () => {
        for (;;) {
          await spool.append([event(1000 + events)]);
          events++;
        }
      })(),
    ).rejects.toBeInstanceOf(SpoolFullError);
    expect(spool.thinned).toBeGreaterThan(0);
    const all = await spool.peek(100_000, 1 << 30);
    expect(all.filter((r) => r.kind === "event")).toHaveLength(events);
    expect(all.filter((r) => r.kind === "heartbeat").map((r) => (r.data as { n: number }).n)).toEqual(expect.arrayContaining([298, 299]));
    expect(spool.bytes).toBeLessThanOrEqual(64 * 1024);
    // A heartbeat still fits (the reserve), or is counted as thinned: never an error.
    await spool.append([beat(999)]);
    const reopened = await open(64 * 1024);
    expect(reopened.recovery.state).toBe("clean");
    expect(reopened.spool.count).toBe(spool.count);
  });

  it("a full disk during an append: the append fails, nothing half-written stays, the next one works", async () => {
    let full = false;
    const fs = faultyFsys((op) => (full && (op === "writeFile" || op === "sync") ? "ENOSPC" : null));
    const { spool } = await open(1 << 20, fs);
    await spool.append([event(1)]);
    full = true;
    await expect(spool.append([event(2), event(3)])).rejects.toMatchObject({ code: "ENOSPC" });
    full = false;
    await spool.append([event(4)]);
    const reopened = await open();
    expect(reopened.recovery).toEqual({ state: "clean" });
    expect(await ns(reopened.spool)).toEqual([1, 4]);
  });
});
