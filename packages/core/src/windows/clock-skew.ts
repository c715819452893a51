/**
 * A client's clock against the server's. The agent's heartbeat says when it was made by the
 * machine's clock; the server notes when it arrived. skew = heartbeat `at` - arrival, in seconds:
 * negative for a clock that is slow. A heartbeat that waited in the spool makes the clock look
 * slower than it is, never faster, so the server keeps the largest reading of recent hours.
 */

/** A clock off by more than this is shown to staff, and the judge allows for it. */
export const CLOCK_SKEW_NOTABLE_SECONDS = 180;
/** More than this is no slow clock but a wrong date or zone: the judge waits no longer for it. */
const MAX_ALLOWANCE_SECONDS = 12 * 3600;

/**
 * How much later than the window's end a run of a slow client may still begin by the server's
 * clock: its scheduler reaches the end of the window only when its own clock does. 0 for a clock
 * that is right or fast (a fast clock starts early, inside the window the server keeps).
 */
export function slowClockAllowanceMs(skewSeconds: number | null | undefined): number {
  if (skewSeconds === null || skewSeconds === undefined || skewSeconds > -CLOCK_SKEW_NOTABLE_SECONDS) return 0;
  return Math.min(-skewSeconds, MAX_ALLOWANCE_SECONDS) * 1000;
}

/** "40 min slow", "2 h 5 min fast"; null when the clock is within the notable bound. */
export function clockSkewWords(skewSeconds: number | null | undefined): string | null {
  if (skewSeconds === null || skewSeconds === undefined || Math.abs(skewSeconds) <= CLOCK_SKEW_NOTABLE_SECONDS) return null;
  const minutes = Math.round(Math.abs(skewSeconds) / 60);
  const days = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const amount = [days && `${days} d`, h && `${h} h`, m && `${m} min`].filter(Boolean).join(" ");
  return `${amount} ${skewSeconds < 0 ? "slow" : "fast"}`;
}
