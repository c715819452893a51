import type { Output } from "./io";

export type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Never let a credential into a log line, whatever a caller passes. */
const SECRET = /(bearer\s+|token["'=:\s]+)[A-Za-z0-9._~+/=-]{8,}/gi;

function value(v: unknown): string {
  const s = v instanceof Error ? v.message : typeof v === "string" ? v : JSON.stringify(v);
  return /[\s"=]/.test(s ?? "") ? JSON.stringify(s) : String(s);
}

/**
 * The agent's own log: one line per notable thing, `<time> <LEVEL> <message> key=value ...`, on
 * stderr (journald, launchd and the Windows service wrapper all keep it).
 */
export function createLogger(out: Output, level: Level = "info", now: () => Date = () => new Date()): Logger {
  const write = (at: Level, message: string, fields?: Record<string, unknown>) => {
    if (ORDER[at] < ORDER[level]) return;
    const extra = fields
      ? Object.entries(fields)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => ` ${k}=${value(v)}`)
          .join("")
      : "";
    const line = `${now().toISOString()} ${at.toUpperCase().padEnd(5)} ${message}${extra}`.replace(SECRET, "$1[redacted]");
    out.write(`${line}\n`);
  };
  return {
    debug: (m, f) => write("debug", m, f),
    info: (m, f) => write("info", m, f),
    warn: (m, f) => write("warn", m, f),
    error: (m, f) => write("error", m, f),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
