import { type DateFormat, dateFormats, type NumberFormat } from "@fleetwatch/core/parse";
import { UsageError } from "../args";

/** `--date-format` and `--number-format`, as `parse` and `ship` take them (the client's DATEFORMAT / NUMBERFORMAT). */
export const formatUsage = `[--date-format auto|${dateFormats.join("|")}] [--number-format auto|1|2|3|4|5|6]`;

export const formatOptions = {
  "date-format": { type: "string", default: "auto" },
  "number-format": { type: "string", default: "auto" },
} as const;

export function readDateFormat(value: string | undefined): DateFormat {
  if (value === "auto" || (dateFormats as readonly string[]).includes(value ?? "")) return value as DateFormat;
  throw new UsageError(`--date-format must be auto or one of ${dateFormats.join(", ")}`);
}

export function readNumberFormat(value: string | undefined): NumberFormat {
  if (value === "auto") return "auto";
  const n = Number(value);
  if (Number.isInteger(n) && n >= 1 && n <= 6) return n as NumberFormat;
  throw new UsageError("--number-format must be auto or 1-6 (IBM's NUMBERFORMAT)");
}
