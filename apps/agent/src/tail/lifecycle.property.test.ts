import { appendFile, copyFile, mkdtemp, rename, rm, truncate, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seededRandom } from "@fleetwatch/core/demo";
import { parseLogs } from "@fleetwatch/core/parse";
import { describe, expect, it } from "vitest";
import { demoNodeLines, type LogLine } from "../testing/demo-logs";
import { TailHarness } from "../testing/tail-harness";
import { WrappingWriter, type WrapShape } from "../testing/wrapping-writer";

/** Cases per property (FLEETWATCH_PROPERTY_CASES; CI runs thousands). */
const CASES = Number(process.env.FLEETWATCH_PROPERTY_CASES ?? 1000);

type Op = "append" | "partial" | "kill" | "crash" | "truncate" | "copytruncate" | "rotate" | "delete" | "inode-reuse" | "prune";
const BOUNDARY_OPS: Op[] = ["truncate", "copytruncate", "rotate", "delete", "inode-reuse", "prune"];

/**
 * One random life of a node's two logs: appends of any size (lines cut anywhere), CRLF or LF,
 * Latin-1 bytes, kills (with and without the last cursor stored), and at night boundaries the
 * changes logrotate and TSM make (truncate, copytruncate, rename + create, delete, inode reuse,
 * SCHEDLOGRETENTION pruning). Whatever happens, the server model must end with exactly the events
 * a one-shot parse of everything written finds: each once, none from a half-written line.
 */
async function lifeOf(seed: number): Promise<{ ops: Op[]; diff: string[] }> {
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const eol = rand() < 0.3 ? "\r\n" : "\n";
  const latin = rand() < 0.3;
  const { lines } = demoNodeLines({ nights: 2 + Math.floor(rand() * 4), seed, node: Math.floor(rand() * 8) });
  const bytesOf = (l: LogLine) => Buffer.from(`${latin ? l.text.replace("volume", "volume d\xe9j\xe0") : l.text}${eol}`, "latin1");
  const dir = await mkdtemp(join(tmpdir(), "fw-life-"));
  const files = { sched: join(dir, "dsmsched.log"), error: join(dir, "dsmerror.log") };
  const h = new TailHarness(files.sched, files.error, undefined, 256 + Math.floor(rand() * 8192));
  const ops: Op[] = [];
  h.ops = ops;
  let rotations = 0;
  // What each path holds now (a truncate, delete or rotation empties it): what a prune can keep.
  const written: Record<"sched" | "error", LogLine[]> = { sched: [], error: [] };
  const emptied = () => {
    written.sched = [];
    written.error = [];
  };
  try {
    await h.boot();
    let i = 0;
    let partial: { file: "sched" | "error"; rest: Buffer } | null = null;
    const finishPartial = async () => {
      if (partial) await appendFile(files[partial.file], partial.rest);
      partial = null;
    };
    while (i < lines.length) {
      const atBoundary = lines[i]!.file === "sched" && lines[i]!.text.includes("Executing scheduled command now");
      const op: Op =
        atBoundary && rand() < 0.4 ? pick(BOUNDARY_OPS) : pick(["append", "append", "append", "partial", "kill", "crash"] as const);
      ops.push(op);
      switch (op) {
        case "append":
        case "partial": {
          await finishPartial();
          const n = 1 + Math.floor(rand() * 25);
          for (const l of lines.slice(i, i + n)) {
            await appendFile(files[l.file], bytesOf(l));
            written[l.file].push(l);
          }
          i += n;
          if (op === "partial" && i < lines.length) {
            const l = lines[i++]!;
            const b = bytesOf(l);
            const cut = Math.floor(rand() * b.length);
            await appendFile(files[l.file], b.subarray(0, cut));
            written[l.file].push(l);
            partial = { file: l.file, rest: b.subarray(cut) };
          }
          await h.pump();
          break;
        }
        case "kill":
          await h.kill();
          break;
        case "crash":
          await h.pump({ crashBeforeStore: true });
          await h.kill();
          break;
        case "truncate":
        case "delete":
          // Only once everything is read: these lose what was not (as they would for any reader).
          await h.pump();
          for (const f of Object.values(files)) await (op === "truncate" ? truncate(f, 0) : unlink(f)).catch(() => undefined);
          emptied();
          break;
        case "copytruncate":
          for (const f of Object.values(files)) {
            await copyFile(f, `${f}.${++rotations}`).catch(() => undefined);
            await truncate(f, 0).catch(() => undefined);
          }
          emptied();
          break;
        case "rotate":
          for (const f of Object.values(files)) await rename(f, `${f}.${++rotations}`).catch(() => undefined);
          emptied();
          break;
        case "inode-reuse":
          await h.pump();
          await h.close();
          for (const f of Object.values(files)) await unlink(f).catch(() => undefined);
          for (const f of Object.values(files)) await writeFile(f, "");
          emptied();
          await h.boot();
          break;
        case "prune": {
          // SCHEDLOGRETENTION: the file rewritten in place, keeping only what follows the cut.
          await finishPartial();
          const kept = written.sched.slice(Math.floor(rand() * written.sched.length));
          written.sched = kept;
          await writeFile(files.sched, Buffer.concat(kept.map(bytesOf)));
          break;
        }
      }
    }
    await finishPartial();
    await h.pump();
    const all = (file: "sched" | "error") => Buffer.concat(lines.filter((l) => l.file === file).map(bytesOf));
    return { ops, diff: h.server.diff(parseLogs({ sched: all("sched"), error: all("error") }).events) };
  } catch (error) {
    return { ops, diff: [(error as Error).stack ?? String(error)] };
  } finally {
    await h.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * What the client may write around a wrap: IBM's manual describes `Continued at beginning of file`
 * and `END OF DATA`; a header line rewritten in place at every write; and the shape seen in the
 * field, where the start of the live log is overwritten in place (same file, same size) with new
 * runs and then `END OF DATA`, with no marker before.
 */
const SHAPES: Record<string, WrapShape> = {
  manual: {},
  "with header": { header: true },
  "in place, no marker before the wrap": { markBeforeWrap: false, continued: false },
  "in place with header": { header: true, markBeforeWrap: false, continued: false },
};

async function wrappedLifeOf(seed: number, shape: WrapShape): Promise<string[]> {
  const rand = seededRandom(seed);
  const { lines } = demoNodeLines({ nights: 6 + Math.floor(rand() * 10), seed, node: Math.floor(rand() * 8) });
  const text = lines.filter((l) => l.file === "sched").map((l) => l.text);
  const dir = await mkdtemp(join(tmpdir(), "fw-wrap-"));
  const path = join(dir, "dsmsched.log");
  const max = 8192 + Math.floor(rand() * 16384);
  const writer = new WrappingWriter(path, max, undefined, shape);
  const h = new TailHarness(path, null, undefined, 512 + Math.floor(rand() * 4096));
  try {
    await writer.create();
    await h.boot();
    for (let i = 0; i < text.length; ) {
      // Never more than a quarter of the file between reads: the writer must not lap the reader.
      const n = 1 + Math.floor(rand() * Math.min(30, max / 400));
      await writer.write(text.slice(i, i + n));
      i += n;
      if (rand() < 0.15) await h.kill();
      await h.pump({ crashBeforeStore: rand() < 0.1 });
    }
    await h.pump();
    return h.server.diff(parseLogs({ sched: `${text.join("\n")}\n` }).events);
  } finally {
    await h.close();
    await rm(dir, { recursive: true, force: true });
  }
}

describe("file lifecycle property", () => {
  it(
    `${CASES} random lives of a log pair: every event once, exactly as a one-shot parse sees it`,
    async () => {
      const failures: string[] = [];
      for (let c = 0; c < CASES; c++) {
        const { ops, diff } = await lifeOf(1000 + c);
        if (diff.length) failures.push(`seed ${1000 + c} [${ops.join(" ")}]: ${diff.slice(0, 3).join("; ")}`);
        if (failures.length >= 3) break;
      }
      expect(failures).toEqual([]);
    },
    60_000 + CASES * 150,
  );

  for (const [name, shape] of Object.entries(SHAPES)) {
    it(
      `${Math.ceil(CASES / 8)} random lives of a SCHEDLOGMAX wrapping log (${name})`,
      async () => {
        const failures: string[] = [];
        for (let c = 0; c < Math.ceil(CASES / 8); c++) {
          const diff = await wrappedLifeOf(5000 + c, shape);
          if (diff.length) failures.push(`seed ${5000 + c}: ${diff.slice(0, 3).join("; ")}`);
          if (failures.length >= 3) break;
        }
        expect(failures).toEqual([]);
      },
      60_000 + CASES * 100,
    );
  }
});
