import { z } from "zod";

/**
 * The wire's limits. Each bound is the column's (a value the database cannot hold is refused at the
 * schema, as one line naming the field, never a 500), or a size no real TSM client writes.
 *
 * | what                                   | limit                                  | why                          |
 * | -------------------------------------- | -------------------------------------- | ---------------------------- |
 * | request body, an agent's batch         | BODY_LIMIT_BYTES (8 MiB), before parse | agents send at most 2 MiB    |
 * | request body, a collector's collection | COLLECTOR_BODY_LIMIT_BYTES (128 MiB)   | one server's whole tables    |
 * | request body, anything else            | USER_BODY_LIMIT_BYTES (1 MiB)          | forms and clicks             |
 * | records per batch                      | 5000 events, 5000 problems, 500 beats  | one spool peek is 500        |
 * | messages per event                     | MAX_MESSAGES_PER_EVENT (1000)          | the agent keeps the first    |
 * |                                        |   and counts the rest (omittedMessages)|   1000 and counts the rest   |
 * | message text / log line of context     | 8192 / 300 characters, 5 lines a side  | a log line is < 1 KB         |
 * | 32-bit counts (rc, seconds, days)      | INT4_MAX (2^31 - 1)                    | `integer` columns            |
 * | 64-bit counts (objects, bytes)         | Number.MAX_SAFE_INTEGER (2^53 - 1)     | `bigint`, exact in JSON      |
 * | stats keys                             | 32, camelCase names, each a count      | the contract allows more     |
 * | dates                                  | real calendar dates, years 1990-2100   | no TSM client outside them   |
 * | text                                   | NUL, lone surrogates become U+FFFD     | PostgreSQL text holds neither|
 * | a log's names (schedules)              | control characters become U+FFFD       | a garbled log still arrives  |
 * | node names                             | TSM's rule: A-Z 0-9 _ . - + &, 64 chars | the server allows no other   |
 * | objects                                | strict: an unknown key is refused      | nothing unchecked is stored  |
 */
export const BODY_LIMIT_BYTES = 8 * 1024 * 1024;
export const COLLECTOR_BODY_LIMIT_BYTES = 128 * 1024 * 1024;
export const USER_BODY_LIMIT_BYTES = 1024 * 1024;
export const MAX_MESSAGES_PER_EVENT = 1000;
export const INT4_MAX = 2_147_483_647;
export const INT4_MIN = -2_147_483_648;
export const MIN_YEAR = 1990;
export const MAX_YEAR = 2100;

/** A count that fits an `integer` column. */
export const int4Count = z.number().int().nonnegative().max(INT4_MAX);
/** A count that fits a `bigint` column and survives JSON exactly. */
export const bigCount = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

const NUL = /\0/g;
/** Half of a UTF-16 surrogate pair without its other half: no UTF-8 text (nor jsonb) can hold it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const wellFormed = (s: string) => s.replace(new RegExp(LONE_SURROGATE, "g"), "\uFFFD");
const CONTROL = /[\x00-\x1f\x7f]/g;

/** Control characters made visible (U+FFFD): for text that must arrive whatever a log put in it. */
export const printable = (s: string) => s.replace(CONTROL, "\uFFFD");
/** Whether `s` holds no control character: names, codes and searches cannot contain one. */
export const hasNoControl = (s: string) => !/[\x00-\x1f\x7f]/.test(s);

/** Free text from a log: bounded, NULs (a zero-filled log after a crash) made visible, not refused. */
export const logText = (max: number) =>
  z
    .string()
    .max(max)
    .transform((s) => wellFormed(s.includes("\0") ? s.replace(NUL, "\uFFFD") : s));

/**
 * A name as a log writes it (a schedule's): a garbled log may put control characters in one, and
 * its record must still arrive, so they are made visible rather than refused.
 */
export const logName = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .transform((s) => wellFormed(printable(s)));

/** A name the agent or a person chose (node, machine): bounded, and no control characters at all. */
export const identifier = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine(hasNoControl, "control characters are not allowed")
    .refine((s) => !LONE_SURROGATE.test(s), "not well-formed text (a lone UTF-16 surrogate)");

/**
 * TSM's rule for naming objects such as client nodes ("Naming IBM Storage Protect objects", the
 * server reference): the letters A-Z, the digits, and _ . - + &, at most 64 characters. The server
 * folds case, so a name is checked after upper-casing.
 */
export const TSM_NAME_MAX = 64;
const TSM_NAME = /^[A-Z0-9_.\-+&]+$/;

/** Why `name` (upper-cased) cannot be a TSM node name, or null when it can. */
export function tsmNameProblem(name: string): string | null {
  if (name.length === 0) return "a node name cannot be empty";
  if (name.length > TSM_NAME_MAX) return `a TSM node name has at most ${TSM_NAME_MAX} characters, this one ${name.length}`;
  if (TSM_NAME.test(name)) return null;
  const bad = [...new Set([...name].filter((ch) => !/[A-Z0-9_.\-+&]/.test(ch)))]
    .slice(0, 5)
    .map((ch) =>
      ch === " " ? "space" : /[\x00-\x1f\x7f]/.test(ch) ? `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}` : ch,
    );
  return `not a TSM node name: ${bad.join(" ")} cannot be in one (only A-Z, 0-9 and _ . - + &)`;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
// Arithmetic, not a Date: the log parser asks for every date it reads.
const daysIn = (year: number, month: number) =>
  month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : MONTH_DAYS[month - 1]!;

/** A real calendar date and time of day within the years a TSM client can have written. */
export function realDateTime(y: number, mo: number, d: number, h: number, mi: number, s: number): string | null {
  if (y < MIN_YEAR || y > MAX_YEAR) return `year ${y} is outside ${MIN_YEAR}-${MAX_YEAR}`;
  if (mo < 1 || mo > 12) return `month ${mo} does not exist`;
  if (d < 1 || d > daysIn(y, mo)) return `day ${d} does not exist in ${y}-${String(mo).padStart(2, "0")}`;
  // Second 60: a leap second, which a client's clock may write.
  if (h > 23 || mi > 59 || s > 60) return "the time of day does not exist";
  return null;
}

/** Local wall-clock time as the TSM logs write it, normalised: `YYYY-MM-DDTHH:MM:SS`, no zone. */
export const localTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/, "expected local time YYYY-MM-DDTHH:MM:SS")
  .superRefine((v, ctx) => {
    const n = v.split(/[-T:]/).map(Number) as [number, number, number, number, number, number];
    const wrong = realDateTime(...n);
    if (wrong) ctx.addIssue({ code: "custom", message: wrong });
  });

/** An instant with its offset (ISO 8601), within the same years. */
export const instant = z.iso.datetime({ offset: true }).superRefine((v, ctx) => {
  const n = v.slice(0, 19).split(/[-T:]/).map(Number) as [number, number, number, number, number, number];
  const wrong = realDateTime(...n);
  if (wrong) ctx.addIssue({ code: "custom", message: wrong });
});

let zones: ReadonlySet<string> | undefined;
/** Whether Intl knows the name as an IANA zone (itself or, for an alias such as Europe/Kyiv, its canonical name). */
export function isTimeZone(name: string): boolean {
  zones ??= new Set([...Intl.supportedValuesOf("timeZone"), "UTC"]);
  if (zones.has(name)) return true;
  try {
    return zones.has(new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone);
  } catch {
    return false;
  }
}

/** An IANA time zone name (`Europe/London`), as `Intl.DateTimeFormat().resolvedOptions().timeZone` gives it. */
export const timeZoneName = z.string().min(1).max(64).refine(isTimeZone, "not an IANA time zone Intl knows");
