import { appendFile, copyFile, mkdtemp, readFile, rename, rm, truncate, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseLogs } from "@fleetwatch/core/parse";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { demoNodeLines, joinLines, type LogLine } from "../testing/demo-logs";
import { TailHarness } from "../testing/tail-harness";
import { WrappingWriter } from "../testing/wrapping-writer";

let dir: string;
let sched: string;
let error: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "fw-tail-"));
  sched = join(dir, "dsmsched.log");
  error = join(dir, "dsmerror.log");
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const expected = (lines: LogLine[], context = false) =>
  parseLogs({ sched: joinLines(lines, "sched"), error: joinLines(lines, "error") }, { context }).events;

/** Appends lines to the two logs as the client would. */
async function write(lines: LogLine[]) {
  const s = joinLines(lines, "sched");
  const e = joinLines(lines, "error");
  if (e) await appendFile(error, e);
  if (s) await appendFile(sched, s);
}

describe("NodeTail: appends", () => {
  it("reads a growing log night by night and ends with exactly the one-shot parse's events, lines around messages too", async () => {
    // This fleet member fails some nights: its events carry ANS messages.
    const { lines } = demoNodeLines({ nights: 20, seed: 5 });
    const h = new TailHarness(sched, error);
    await h.boot();
    for (let i = 0; i < lines.length; i += 37) {
      await write(lines.slice(i, i + 37));
      await h.pump();
    }
    const withContext = expected(lines, true);
    expect(withContext.some((e) => e.messages.some((m) => m.context?.before.length))).toBe(true);
    expect(h.server.diff(withContext, { withContext: true })).toEqual([]);
    expect(h.stored.sched?.offset).toBeGreaterThan(0);
    await h.close();
  });

  it("never builds an event from a half-written line", async () => {
    const { lines } = demoNodeLines({ nights: 3, seed: 2 });
    const text = joinLines(lines, "sched");
    const cut = text.indexOf("Results sent to server") + 10; // mid-way through the line that ends the first event
    await writeFile(sched, text.slice(0, cut));
    const h = new TailHarness(sched, null);
    await h.boot();
    await h.pump();
    expect(h.server.windows.size).toBeLessThanOrEqual(1);
    for (const e of h.server.windows.values()) expect(e.status).toBe("in-progress");
    await appendFile(sched, text.slice(cut));
    await h.pump();
    expect(h.server.diff(parseLogs({ sched: text }).events)).toEqual([]);
    await h.close();
  });

  it("reads CRLF and Latin-1 logs byte for byte like the one-shot parse", async () => {
    const { lines } = demoNodeLines({ nights: 6, seed: 3 });
    const latin = lines.map((l) => ({
      ...l,
      text: l.text.replace("Incremental backup of volume", "Incremental backup of volume \xe9t\xe9"),
    }));
    const s = Buffer.from(joinLines(latin, "sched", "\r\n"), "latin1");
    await writeFile(sched, s.subarray(0, 5000));
    const h = new TailHarness(sched, null, undefined, 1000);
    await h.boot();
    await h.pump();
    await appendFile(sched, s.subarray(5000));
    await h.pump();
    expect(h.server.diff(parseLogs({ sched: s }).events)).toEqual([]);
    await h.close();
  });
});

describe("NodeTail: restarts", () => {
  it("after a kill at any point, resumes from its anchors: every event once, none built from a torn line", async () => {
    const { lines } = demoNodeLines({ nights: 15, seed: 4 });
    const h = new TailHarness(sched, error);
    await h.boot();
    for (let i = 0; i < lines.length; i += 11) {
      await write(lines.slice(i, i + 11));
      await h.pump({ crashBeforeStore: i % 3 === 0 });
      if (i % 2 === 0) await h.kill();
    }
    await h.pump();
    expect(h.server.diff(expected(lines))).toEqual([]);
    await h.close();
  });

  it("resumes at the anchor, not the start: a restart re-reads at most the bytes since the last quiet point", async () => {
    const { lines } = demoNodeLines({ nights: 30, seed: 5 });
    await write(lines);
    const h = new TailHarness(sched, error);
    await h.boot();
    await h.pump();
    const reports = h.server.reports;
    await h.kill();
    await h.pump();
    expect(h.server.reports - reports).toBeLessThanOrEqual(2);
    await h.close();
  });
});

describe("NodeTail: files changing under it", () => {
  const night = (lines: LogLine[], n: number) => {
    const starts = lines.flatMap((l, i) => (l.file === "sched" && l.text.includes("Executing scheduled command now") ? [i] : []));
    return lines.slice(starts[n] ?? lines.length, starts[n + 1] ?? lines.length);
  };
  const startOf = (lines: LogLine[], n: number) => lines.indexOf(night(lines, n)[0]!);

  /** Where each test here begins: a demo log written up to night `cut`, read by a booted tail. */
  async function tailedUpTo(opts: { nights: number; seed: number; cut: number }) {
    const { lines } = demoNodeLines({ nights: opts.nights, seed: opts.seed });
    const cutAt = startOf(lines, opts.cut);
    await write(lines.slice(0, cutAt));
    const h = new TailHarness(sched, error);
    await h.boot();
    await h.pump();
    return { lines, cutAt, h };
  }

  it("SCHEDLOGRETENTION pruning (rewritten shorter, in place): finds its place again and reads on", async () => {
    const { lines, cutAt, h } = await tailedUpTo({ nights: 12, seed: 6, cut: 8 });
    const firstPart = lines.slice(0, cutAt);
    const before = h.server.reports;
    // Keep the last 3 nights, rewriting the same file (same inode), then the client logs on.
    const kept = firstPart.slice(firstPart.indexOf(night(lines, 5)[0]!));
    const pruneLine = `${kept[0]!.text.slice(0, 19)} ANS1483I Schedule log pruning started.`;
    await writeFile(sched, `${pruneLine}\n${joinLines(kept, "sched")}`);
    await write(lines.slice(firstPart.length));
    await h.pump();
    expect(h.restarts.length).toBeGreaterThan(0);
    expect(h.server.diff(expected(lines))).toEqual([]);
    // It re-read only from its anchor, not the kept nights.
    expect(h.server.reports - before).toBeLessThanOrEqual(night(lines, 8).length ? 6 : 0);
    await h.close();
  });

  it("pruning into a new file (rename over the old one), also across a restart", async () => {
    const { lines, cutAt, h } = await tailedUpTo({ nights: 10, seed: 7, cut: 7 });
    await h.close();
    const kept = lines.slice(startOf(lines, 4), cutAt);
    await writeFile(`${sched}.new`, joinLines(kept, "sched"));
    await rename(`${sched}.new`, sched);
    await write(lines.slice(cutAt));
    await h.boot();
    await h.pump();
    expect(h.server.diff(expected(lines))).toEqual([]);
    await h.close();
  });

  it("truncation: a log cut to zero and written again is read from its new start", async () => {
    const { lines, cutAt, h } = await tailedUpTo({ nights: 8, seed: 8, cut: 4 });
    await truncate(sched, 0);
    await truncate(error, 0).catch(() => undefined); // this node had no errors yet
    await write(lines.slice(cutAt));
    await h.pump();
    const all = expected(lines);
    expect(h.server.diff(all)).toEqual([]);
    await h.close();
  });

  it("copytruncate: lines written after the last read are read from the copy", async () => {
    const { lines, cutAt: a, h } = await tailedUpTo({ nights: 8, seed: 9, cut: 3 });
    const b = startOf(lines, 5);
    await write(lines.slice(a, b)); // not read yet
    await copyFile(sched, `${sched}.1`);
    await truncate(sched, 0);
    await write(lines.slice(b));
    await h.pump();
    expect(h.server.diff(expected(lines))).toEqual([]);
    await h.close();
  });

  it("rotation (rename + create): the old file is read to its end, then the new one", async () => {
    const { lines, cutAt: a, h } = await tailedUpTo({ nights: 8, seed: 10, cut: 3 });
    const b = startOf(lines, 5);
    await write(lines.slice(a, b));
    await rename(sched, `${sched}.1`);
    await write(lines.slice(b));
    await h.pump();
    expect(h.server.diff(expected(lines))).toEqual([]);
    await h.close();
  });

  it("rotation while the agent was down: the rotated file is found beside the log by its identity", async () => {
    const { lines, cutAt: a, h } = await tailedUpTo({ nights: 8, seed: 11, cut: 3 });
    const b = startOf(lines, 5);
    await h.close();
    await write(lines.slice(a, b));
    await rename(sched, `${sched}.1`);
    await write(lines.slice(b));
    await h.boot();
    await h.pump();
    expect(h.server.diff(expected(lines))).toEqual([]);
    await h.close();
  });

  it("the log vanishing and coming back", async () => {
    const { lines, cutAt: a, h } = await tailedUpTo({ nights: 8, seed: 12, cut: 4 });
    await unlink(sched);
    await h.pump();
    await h.kill();
    await h.pump();
    await write(lines.slice(a));
    await h.pump();
    expect(h.server.diff(expected(lines))).toEqual([]);
    await h.close();
  });
});

describe("NodeTail: SCHEDLOGMAX wrapping logs", () => {
  const schedLines = (lines: LogLine[]) => lines.filter((l) => l.file === "sched").map((l) => l.text);

  it("follows a log that wraps round several times, never reading past END OF DATA", async () => {
    const { lines } = demoNodeLines({ nights: 40, seed: 13 });
    const text = schedLines(lines);
    const writer = new WrappingWriter(sched, 16 * 1024);
    await writer.create();
    const h = new TailHarness(sched, null);
    await h.boot();
    for (let i = 0; i < text.length; i += 23) {
      await writer.write(text.slice(i, i + 23));
      await h.pump();
      if (i % 5 === 0) await h.kill();
    }
    expect(text.join("\n").length).toBeGreaterThan(4 * 16 * 1024);
    expect(h.server.diff(parseLogs({ sched: `${text.join("\n")}\n` }).events)).toEqual([]);
    await h.close();
  });

  it("starts on an already wrapped log with its oldest line and reads on in time order", async () => {
    const { lines } = demoNodeLines({ nights: 40, seed: 14 });
    const text = schedLines(lines);
    const writer = new WrappingWriter(sched, 32 * 1024);
    await writer.create();
    const half = Math.floor(text.length / 2);
    for (let i = 0; i < half; i += 50) await writer.write(text.slice(i, Math.min(i + 50, half)));
    const atStart = parseLogs({ sched: await readFile(sched) }).events;
    const h = new TailHarness(sched, null);
    await h.boot();
    await h.pump();
    for (let i = half; i < text.length; i += 17) {
      await writer.write(text.slice(i, i + 17));
      await h.pump();
    }
    const all = parseLogs({ sched: `${text.join("\n")}\n` }).events;
    const diff = h.server.diff(all).filter((d) => !d.startsWith("missing"));
    expect(diff).toEqual([]);
    // Every event still in the file at start, and every later one, arrived.
    const later = all.filter((e) => (e.startedAt ?? "") > (atStart.at(-1)?.startedAt ?? "") && e.status !== "in-progress");
    for (const e of [...atStart.filter((e) => e.status !== "in-progress" && e.stats !== null), ...later])
      expect(h.server.windows.has(`${e.schedule}\u0000${e.scheduledStart ?? e.startedAt}`)).toBe(true);
    await h.close();
  });
});

describe("NodeTail: SCHEDLOGMAX wrapping in place", () => {
  const schedText = (lines: LogLine[]) => lines.filter((l) => l.file === "sched").map((l) => `${l.text}\n`);

  for (const restart of [false, true]) {
    it(`the start of the live log overwritten in place (same size, new runs, then END OF DATA)${restart ? ", agent down meanwhile" : ""}: the new runs arrive, no old run twice`, async () => {
      const text = schedText(demoNodeLines({ nights: 12, seed: 21 }).lines);
      const starts = text.flatMap((t, i) => (t.includes("Executing scheduled command now") ? [i] : []));
      const cut = starts[8]!;
      const old = Buffer.from(text.slice(0, cut).join(""), "latin1");
      await writeFile(sched, old);
      const h = new TailHarness(sched, null);
      await h.boot();
      await h.pump();
      const before = new Set(h.server.windows.keys());
      // Nights 9 and 10 written over the oldest lines; the rest of the file stays as it was.
      const fresh = text.slice(cut, starts[10]!).join("");
      const wrapped = Buffer.from(`${fresh}2024-03-20 10:00:00 ---------- END OF DATA ----------\n`, "latin1");
      expect(wrapped.length).toBeLessThan(old.length / 2);
      if (restart) await h.close();
      await writeFile(sched, Buffer.concat([wrapped, old.subarray(wrapped.length)]));
      if (restart) await h.boot();
      const harvests = await h.pump();
      const again = harvests
        .flatMap((x) => [...x.events, ...x.running])
        .filter((e) => before.has(`${e.schedule}\u0000${e.scheduledStart}`));
      expect(again.map((e) => e.scheduledStart)).toEqual([]);
      expect(h.server.diff(parseLogs({ sched: text.slice(0, starts[10]!).join("") }).events)).toEqual([]);
      await h.close();
    });
  }
});

describe("NodeTail: identity", () => {
  it("a new file that reuses the old inode number but not its content is read from its start", async () => {
    const a = demoNodeLines({ nights: 5, seed: 15 }).lines;
    await writeFile(sched, joinLines(a, "sched"));
    const h = new TailHarness(sched, null);
    await h.boot();
    await h.pump();
    await h.close();
    // Same path, same inode (rewritten in place), other content of the same length or longer.
    const b = demoNodeLines({ nights: 7, seed: 16, lastNight: "2024-05-01" }).lines;
    await writeFile(sched, joinLines(b, "sched"));
    await h.boot();
    await h.pump();
    const want = [...parseLogs({ sched: joinLines(a, "sched") }).events, ...parseLogs({ sched: joinLines(b, "sched") }).events];
    expect(h.server.diff(want)).toEqual([]);
    await h.close();
  });
});
