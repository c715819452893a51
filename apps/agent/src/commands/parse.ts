import { type FileHandle, open } from "node:fs/promises";
import { createLogParser, dateFormats } from "@fleetwatch/core/parse";
import type { ParseResult } from "@fleetwatch/core/schemas";
import { parseCommandArgs, UsageError } from "../args";
import type { Command } from "../io";
import { formatOptions, readDateFormat, readNumberFormat } from "./formats";

const usage = `fleetwatch-agent parse [--error-log PATH] [--date-format auto|${dateFormats.join("|")}]
                       [--number-format auto|1|2|3|4|5|6] [--json] SCHED_LOG`;

const CHUNK = 1 << 20;

/** `fleetwatch-agent parse`: the daemon's own parse of a log pair, printed (shared/spec/parse-contract.md). */
export const parseCommand: Command = {
  name: "parse",
  summary: "parse a dsmsched.log (and dsmerror.log) and print its events",
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

async function stream(file: { path: string; handle: FileHandle }, push: (chunk: Uint8Array) => void): Promise<void> {
  const buffer = new Uint8Array(CHUNK);
  for (;;) {
    let bytesRead: number;
    try {
      ({ bytesRead } = await file.handle.read(buffer, 0, CHUNK, null));
    } catch (err) {
      throw new FileError(`cannot read ${file.path}: ${reason(err)}`);
    }
    if (bytesRead === 0) return;
    push(buffer.subarray(0, bytesRead)); // the parser copies what it keeps: the buffer can be reused
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
