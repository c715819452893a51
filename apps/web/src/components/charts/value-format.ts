import { formatBytes, formatCount, formatDuration } from "~/lib/format";

/** How a chart's values read; a string so server components can choose it for a client chart. */
export type ValueUnit = "count" | "bytes" | "seconds";

export function formatValue(unit: ValueUnit, v: number | null | undefined): string {
  if (unit === "bytes") return formatBytes(v);
  if (unit === "seconds") return formatDuration(v);
  return formatCount(v);
}

/** Short axis ticks: "12k", "3.2 GB", "45 min". */
export function formatTick(unit: ValueUnit, v: number): string {
  if (unit === "bytes")
    return formatBytes(v)
      .replace(/\.\d /, " ")
      .replace(/ ([KMGTP])?B$/, (_, p: string | undefined) => p ?? "B");
  if (unit === "seconds") return v >= 3600 ? `${Math.round(v / 360) / 10} h` : `${Math.round(v / 60)} min`;
  return v >= 1000 ? `${Math.round(v / 100) / 10}k` : String(v);
}
