import { EventEmitter, once } from "node:events";
import { type FileHandle, open } from "node:fs/promises";
import { createLogParser, dateFormats, type LogParser } from "@fleetwatch/core/parse";
import type { ParseResult } from "@fleetwatch/core/schemas";
import { parseCommandArgs, UsageError } from "../args";
import type { Command, Output } from "../io";
import { formatOptions, readDateFormat, readNumberFormat } from "./formats";

const usage = `fleetwatch-agent parse [--error-log PATH] [--date-format auto|${dateFormats.join("|")}]
                       [--number-format auto|1|2|3|4|5|6] [--json] SCHED_LOG`;

/**
 * 64 KiB a read: a dense log's chunk holds a few dozen events, which are all that is alive when
 * the garbage collector runs, so `--json`'s peak RSS stays flat (~65-72 MiB for 32-128 MiB logs,
 * against 79-102 MiB with 1 MiB reads) at the same speed.
 */
const CHUNK = 1 << 16;

/** `fleetwatch-agent parse`: the daemon's own parse of a log pair, printed (shared/spec/parse-contract.md). */
export const parseCommand: Command = {
  name: "parse",
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      "error-log": { type: "string" },
      ...formatOptions,
      json: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    });
    if (values.help) {
      io.stdout.write(`usage: ${usage}\n`);
      return 0;
    }
    const [schedPath, ...extra] = positionals;
    if (!schedPath || extra.length > 0) throw new UsageError("expected one SCHED_LOG path; see fleetwatch-agent parse --help");
    const dateFormat = readDateFormat(values["date-format"]);
    const numberFormat = readNumberFormat(values["number-format"]);

    // Open both files before printing anything: a missing one is a one-line error, exit 2.
    const files: { path: string; handle: FileHandle }[] = [];
    try {
      for (const path of [schedPath, values["error-log"]]) if (path !== undefined) files.push({ path, handle: await openOrFail(path) });
      const parser = createLogParser({ dateFormat, numberFormat });
      const [sched, error] = files;
      // Chunks stream through the incremental parser: a 1 GB log is never held in memory.
      if (error) await stream(error, (chunk) => parser.pushError(chunk));
      parser.endError();
      if (values.json && !(await mayBeWrapped(sched!))) {
        await printJson(sched!, parser, io.stdout);
        return 0;
      }
      await stream(sched!, (chunk) => parser.push(chunk));
      const result = parser.finish();
      io.stdout.write(values.json ? `${JSON.stringify(result)}\n` : table(result));
      return 0;
    } catch (err) {
      if (!(err instanceof FileError)) throw err;
      io.stderr.write(`fleetwatch-agent parse: ${err.message}\n`);
      return 2;
    } finally {
      await Promise.all(files.map((f) => f.handle.close().catch(() => undefined)));
    }
  },
};

class FileError extends Error {}

const WRAP_END = Buffer.from("END OF DATA");

/**
 * Whether the log may be wrapped by SCHEDLOGMAX: its END OF DATA marker appears. Only then do its
 * events come out of file order (the part after the marker is older), so only then must `--json`
 * hold them all before printing. A quick pass: the bytes are searched, not parsed.
 */
async function mayBeWrapped(file: { path: string; handle: FileHandle }): Promise<boolean> {
  const buffer = Buffer.alloc(CHUNK);
  try {
    // A pipe cannot be read twice: treat it as wrapped (printed at the end, as before).
    if (!(await file.handle.stat()).isFile()) return true;
    // Reads at explicit positions leave the file's own position at the start for the parse.
    for (let at = 0; ; ) {
      const { bytesRead } = await file.handle.read(buffer, 0, CHUNK, at);
      if (buffer.subarray(0, bytesRead).includes(WRAP_END)) return true;
      if (bytesRead < CHUNK) return false;
      at += bytesRead - (WRAP_END.length - 1); // a marker across two reads is seen whole in the next
    }
  } catch (err) {
    throw new FileError(`cannot read ${file.path}: ${reason(err)}`);
  }
}

/**
 * `--json` for a log that is not wrapped: each event is printed as soon as it has ended, and the
 * lists after the events one entry at a time, so memory stays flat however big the log (what still
 * grows is what the contract sorts: the next schedules). The text is exactly JSON.stringify of the
 * whole result.
 */
async function printJson(file: { path: string; handle: FileHandle }, parser: LogParser, out: Output): Promise<void> {
  const json = new JsonWriter(out);
  json.text('{"events":[');
  await stream(file, async (chunk) => {
    parser.push(chunk);
    await json.items(parser.takeEvents());
  });
  const { events, ...rest } = parser.finish();
  await json.items(events);
  json.text("]");
  for (const [key, value] of Object.entries(rest)) {
    if (value === undefined) continue;
    json.text(`,${JSON.stringify(key)}:`);
    if (!Array.isArray(value)) json.text(JSON.stringify(value));
    else {
      json.text("[");
      await json.items(value);
      json.text("]");
    }
  }
  json.text("}\n");
  await json.flush();
}

/** Array items as JSON.stringify writes them, handed to the output in pieces of about 64 KiB. */
class JsonWriter {
  private pending = "";
  private first = true;

  constructor(private readonly out: Output) {}

  text(text: string): void {
    this.pending += text;
    this.first = text.endsWith("[");
  }

  async items(values: readonly unknown[]): Promise<void> {
    for (const value of values) {
      this.pending += (this.first ? "" : ",") + (JSON.stringify(value) ?? "null");
      this.first = false;
      if (this.pending.length >= 1 << 16) await this.flush();
    }
  }

  /** One write, waiting for a slow reader (a pipe on Windows) to drain it before the next. */
  async flush(): Promise<void> {
    const text = this.pending;
    this.pending = "";
    if (this.out.write(text) === false && this.out instanceof EventEmitter) await once(this.out, "drain");
  }
}

async function stream(file: { path: string; handle: FileHandle }, push: (chunk: Uint8Array) => void | Promise<void>): Promise<void> {
  const buffer = new Uint8Array(CHUNK);
  for (;;) {
    let bytesRead: number;
    try {
      ({ bytesRead } = await file.handle.read(buffer, 0, CHUNK, null));
    } catch (err) {
      throw new FileError(`cannot read ${file.path}: ${reason(err)}`);
    }
    if (bytesRead === 0) return;
    await push(buffer.subarray(0, bytesRead)); // the parser copies what it keeps: the buffer can be reused
  }
}

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "is a directory";
  return err instanceof Error ? (err.message.split("\n")[0] ?? "unreadable") : "unreadable";
}

async function openOrFail(path: string): Promise<FileHandle> {
  try {
    return await open(path, "r");
  } catch (err) {
    throw new FileError(`cannot read ${path}: ${reason(err)}`);
  }
}

/** The readable form: one row per event, then a short summary. */
function table(result: ParseResult): string {
  const rows = result.events.map((e) => [
    (e.startedAt ?? e.scheduledStart ?? "?").replace("T", " "),
    e.schedule,
    e.status,
    e.returnCode === null ? "-" : String(e.returnCode),
    e.stats?.failed == null ? "-" : String(e.stats.failed),
    e.cause === null ? "-" : e.benign ? `${e.cause} (benign)` : e.cause,
  ]);
  const header = ["START", "SCHEDULE", "STATUS", "RC", "FAILED", "CAUSE"];
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
  const line = (cells: string[]) =>
    `${cells
      .map((c, k) => c.padEnd(widths[k]!))
      .join("  ")
      .trimEnd()}\n`;
  const counts = new Map<string, number>();
  for (const e of result.events) counts.set(e.status, (counts.get(e.status) ?? 0) + 1);
  const byStatus = [...counts].map(([s, n]) => `${n} ${s}`).join(", ");
  const next = result.nextScheduled.at(-1);
  return [
    rows.length > 0 ? line(header) + rows.map(line).join("") : "No scheduled events in the log.\n",
    "\n",
    `${result.events.length} events${byStatus ? ` (${byStatus})` : ""}; ${result.problems.length} problems outside events; ${result.unparsedLines} unparsed lines\n`,
    ...result.problems.slice(0, 10).map((p) => `  ${(p.at ?? "?").replace("T", " ")}  ${p.code}  ${p.text.slice(0, 100)}\n`),
    result.problems.length > 10 ? `  ... ${result.problems.length - 10} more (use --json)\n` : "",
    next ? `Next scheduled: ${next.schedule} at ${next.windowStart.replace("T", " ")}\n` : "",
  ].join("");
}
