import { requestZone } from "./zone";

/**
 * Formatting only: how dates, sizes and durations read on a page. One locale; times in the
 * viewer's zone (their setting, else their browser's: `requestZone`, set per request by `api()`),
 * with the zone shown, since a time without one misleads whoever is elsewhere.
 */
const LOCALE = "en-GB";

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string, kind: "dateTime" | "dateTimeYear" | "date" | "time"): Intl.DateTimeFormat {
  const key = `${zone} ${kind}`;
  let f = formatters.get(key);
  if (!f) {
    const time = { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short" } as const;
    const options: Intl.DateTimeFormatOptions =
      kind === "dateTime"
        ? { day: "numeric", month: "short", ...time }
        : kind === "dateTimeYear"
          ? { day: "numeric", month: "short", year: "numeric", ...time }
          : kind === "date"
            ? { day: "numeric", month: "short", year: "numeric" }
            : { ...time, second: "2-digit" };
    f = new Intl.DateTimeFormat(LOCALE, { ...options, timeZone: zone });
    formatters.set(key, f);
  }
  return f;
}

const toDate = (d: Date | string) => (d instanceof Date ? d : new Date(d));

/** The parts joined as the pages write them: "21 Nov 22:05 GMT", "21 Nov 2025 22:05 CET", "22:05:01 GMT". */
function render(f: Intl.DateTimeFormat, d: Date): string {
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
  const time = p.hour ? `${p.hour}:${p.minute}${p.second ? `:${p.second}` : ""}` : "";
  const date = p.day ? [p.day, p.month, p.year].filter(Boolean).join(" ") : "";
  return [date, time, p.timeZoneName].filter(Boolean).join(" ");
}

/** The year of `d` in `zone`. */
const yearIn = (d: Date, zone: string) => new Intl.DateTimeFormat("en", { year: "numeric", timeZone: zone }).format(d);

/** "21 Nov 22:05 GMT" (this year) or "21 Nov 2025 22:05 GMT", in the viewer's zone (or `zone`). */
export function formatDateTime(d: Date | string | null | undefined, now = new Date(), zone = requestZone().zone): string {
  if (!d) return "–";
  const date = toDate(d);
  return render(formatter(zone, yearIn(date, zone) === yearIn(now, zone) ? "dateTime" : "dateTimeYear"), date);
}

export function formatDate(d: Date | string | null | undefined, zone = requestZone().zone): string {
  return d ? render(formatter(zone, "date"), toDate(d)) : "–";
}

/** "22:05:01 GMT" in the viewer's zone (or `zone`). */
export function formatTime(d: Date | string | null | undefined, zone = requestZone().zone): string {
  return d ? render(formatter(zone, "time"), toDate(d)) : "–";
}

/** "22:05 GMT": the hour and minute only. */
export function formatClock(d: Date | string, zone = requestZone().zone): string {
  return render(formatter(zone, "time"), toDate(d)).replace(/^(\d\d:\d\d):\d\d/, "$1");
}

/** The node's own wall clock for an instant (windows are the node's local time): its zone, else its UTC offset. */
export function formatNodeTime(d: Date | string, node: { timeZone: string | null; utcOffsetMinutes: number }, now = new Date()): string {
  if (node.timeZone) return formatDateTime(d, now, node.timeZone);
  const m = node.utcOffsetMinutes;
  const shifted = new Date(toDate(d).getTime() + m * 60_000);
  const sign = m < 0 ? "-" : "+";
  const offset = `UTC${sign}${String(Math.floor(Math.abs(m) / 60)).padStart(2, "0")}:${String(Math.abs(m) % 60).padStart(2, "0")}`;
  return `${formatDateTime(shifted, now, "UTC").replace(/ UTC$/, "")} ${offset}`;
}

/** Text from the server with raw instants in it ("since 2026-11-29T00:08:32.000Z") made readable. */
export function readableInstants(text: string, now = new Date()): string {
  return text.replace(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z\b/g, (iso) => formatDateTime(iso, now));
}

/** "just now", "12 min ago", "5 h ago", "3 d ago". */
export function formatAgo(d: Date | string | null | undefined, now = new Date()): string {
  if (!d) return "never";
  const seconds = Math.round((now.getTime() - toDate(d).getTime()) / 1000);
  if (seconds < 0) return "in the future";
  if (seconds < 90) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} d ago`;
}

/** Whole days between two instants (floor), for "unprotected for 3 days". */
export function daysBetween(from: Date | string, to = new Date()): number {
  return Math.floor((to.getTime() - toDate(from).getTime()) / 86_400_000);
}

const units = ["B", "KB", "MB", "GB", "TB", "PB"];

/** Bytes in binary units as TSM prints them: "54.0 MB". */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return "–";
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}

/** "7 min 8 s", "2 h 05 min". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "–";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}

const integer = new Intl.NumberFormat(LOCALE);
export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? "–" : integer.format(n);
}

/** "2026-11-21" -> "21 Nov" (a night's label on a chart axis). */
export function formatNight(night: string): string {
  const [, m, d] = night.split("-");
  const month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][Number(m) - 1] ?? m;
  return `${Number(d)} ${month}`;
}

/** "2026-11-21T22:00:00" (the node's local wall clock) -> "21 Nov 22:00". */
export function formatLocalStart(localStart: string): string {
  return `${formatNight(localStart.slice(0, 10))} ${localStart.slice(11, 16)}`;
}
