/**
 * Formatting only: how dates, sizes and durations read on a page. One locale and the server's
 * time zone, so a server-rendered page and its client islands agree (no hydration mismatch).
 */
const LOCALE = "en-GB";

const dateTime = new Intl.DateTimeFormat(LOCALE, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hour12: false });
const dateTimeYear = new Intl.DateTimeFormat(LOCALE, {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});
const dateOnly = new Intl.DateTimeFormat(LOCALE, { day: "numeric", month: "short", year: "numeric" });
const timeOnly = new Intl.DateTimeFormat(LOCALE, { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });

const toDate = (d: Date | string) => (d instanceof Date ? d : new Date(d));

/** "21 Nov 22:05" (this year) or "21 Nov 2025, 22:05". */
export function formatDateTime(d: Date | string | null | undefined, now = new Date()): string {
  if (!d) return "–";
  const date = toDate(d);
  return (date.getFullYear() === now.getFullYear() ? dateTime : dateTimeYear).format(date);
}

export function formatDate(d: Date | string | null | undefined): string {
  return d ? dateOnly.format(toDate(d)) : "–";
}

export function formatTime(d: Date | string | null | undefined): string {
  return d ? timeOnly.format(toDate(d)) : "–";
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
