import { generateDemoFleet, renderDemoLogs } from "@fleetwatch/core/demo";

/** One line of a node's logs, in the order the TSM client writes them. */
export interface LogLine {
  file: "sched" | "error";
  text: string;
}

/**
 * Realistic dsmsched.log / dsmerror.log lines for one demo node over `nights` nights, as one
 * time-ordered stream (an error line is written before the schedule-log line of the same second,
 * as the client does). For tests that grow logs the way a TSM client does.
 */
export function demoNodeLines(opts: { nights: number; seed: number; node?: number; lastNight?: string }): {
  node: string;
  lines: LogLine[];
} {
  const fleet = generateDemoFleet({
    nodes: Math.max(8, (opts.node ?? 0) + 1),
    nights: opts.nights,
    seed: opts.seed,
    lastNight: opts.lastNight ?? "2024-03-20",
  });
  const node = { ...fleet[opts.node ?? 0]!, dateFormat: "YYYY-MM-DD" as const };
  const logs = renderDemoLogs(node, opts.lastNight ?? "2024-03-20");
  const sched = logs.sched.split("\n").filter(Boolean);
  const error = logs.error.split("\n").filter(Boolean);
  const lines: LogLine[] = [];
  let e = 0;
  for (const text of sched) {
    while (e < error.length && error[e]!.slice(0, 19) <= text.slice(0, 19)) lines.push({ file: "error", text: error[e++]! });
    lines.push({ file: "sched", text });
  }
  while (e < error.length) lines.push({ file: "error", text: error[e++]! });
  return { node: node.name, lines };
}

export const joinLines = (lines: LogLine[], file: LogLine["file"], eol = "\n") =>
  lines
    .filter((l) => l.file === file)
    .map((l) => l.text + eol)
    .join("");
