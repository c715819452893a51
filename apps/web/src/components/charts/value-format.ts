import { formatBytes, formatCount, formatDuration } from "~/lib/format";

/** How a chart's values read; a string so server components can choose it for a client chart. */
export type ValueUnit = "count" | "bytes" | "seconds";

export function formatValue(unit: ValueUnit, v: number | null | undefined): string {
  if (unit === "bytes") return formatBytes(v);
  if (unit === "seconds") return formatDuration(v);
  return formatCount(v);
}

/** Short axis ticks: "12k", "2.5G", "45 min". */
export function formatTick(unit: ValueUnit, v: number): string {
  if (unit === "bytes") return compactBytes(v);
  if (unit === "seconds") return v >= 3600 ? `${Math.round(v / 360) / 10} h` : `${Math.round(v / 60)} min`;
  return v >= 1000 ? `${Math.round(v / 100) / 10}k` : String(v);
}

const prefixes = ["", "K", "M", "G", "T", "P"];

/** "0B", "512M", "2.5G": an axis tick for a byte count. */
function compactBytes(n: number): string {
  let v = n;
  let i = 0;
  while (v >= 1024 && i < prefixes.length - 1) {
    v /= 1024;
    i++;
  }
  const digits = v < 10 && !Number.isInteger(v) ? 1 : 0;
  return `${v.toFixed(digits)}${prefixes[i]}${i === 0 ? "B" : ""}`;
}
