import { slowClockAllowanceMs } from "./clock-skew";
import type { ExpectedWindow } from "./expected";
import { MINUTE_MS, naiveFromLocal } from "./local-time";
import { clockLocalToUtc } from "./time";

/** A window the server already holds an outcome for (an event the agent reported, or an earlier MISSED). */
export interface RecordedWindow {
  schedule: string;
  /** The window start the event names (`SCHEDULEREC OBJECT BEGIN ... <date> <time>`), as an instant. */
  scheduledStart: Date;
}

/** An expected window with its instants, for the judge to record as MISSED. */
export interface WindowToJudge extends ExpectedWindow {
  opensAt: Date;
  closesAt: Date;
}

export interface WindowsToJudgeArgs {
  /** The node's expected windows (local time), e.g. from `expectedWindows`. */
  expected: readonly ExpectedWindow[];
  recorded: readonly RecordedWindow[];
  /** The node's UTC offset, to turn its local windows into instants when its time zone is unknown. */
  utcOffsetMinutes: number;
  /** The node's IANA time zone, when known: each window then takes the offset of its own night. */
  timeZone?: string | null;
  /** The client's clock against the server's, in seconds (negative: slow); see clock-skew.ts. */
  clockSkewSeconds?: number | null;
  now: Date;
  /** Wait this long after a window closed before calling it missed (settings.judgeGraceMinutes). */
  graceMinutes: number;
}

/**
 * The windows that have closed (start + duration, plus the grace) with no recorded outcome: each
 * is to be recorded MISSED. A recorded window counts for an expected one when it has the same
 * schedule name (case-insensitive, as TSM names are) and its start lies within the window, ends
 * included: an exact match is the normal case, the range forgives a schedule whose start time was
 * moved or a log clock a little off. Windows that never close (DURUNITS=INDEFINITE) are never
 * judged. Oldest first.
 */
export function windowsToJudge(args: WindowsToJudgeArgs): WindowToJudge[] {
  const bySchedule = new Map<string, number[]>();
  for (const r of args.recorded) {
    const key = r.schedule.toUpperCase();
    const list = bySchedule.get(key) ?? [];
    bySchedule.set(key, list);
    list.push(r.scheduledStart.getTime());
  }
  for (const list of bySchedule.values()) list.sort((a, b) => a - b);

  // A slow client reaches a window's end late by the server's clock: wait for its clock too.
  const deadline = args.now.getTime() - args.graceMinutes * MINUTE_MS - slowClockAllowanceMs(args.clockSkewSeconds);
  const out: WindowToJudge[] = [];
  for (const w of args.expected) {
    if (w.end === null) continue;
    // The startup window lasts its DURATION of elapsed time, even across a daylight-saving change.
    const opensAt = clockLocalToUtc(w.start, args);
    const closesAt = new Date(opensAt.getTime() + naiveFromLocal(w.end) - naiveFromLocal(w.start));
    if (closesAt.getTime() > deadline) continue;
    const starts = bySchedule.get(w.schedule.toUpperCase());
    if (starts && anyWithin(starts, opensAt.getTime(), closesAt.getTime())) continue;
    out.push({ ...w, opensAt, closesAt });
  }
  return out.sort((a, b) => a.opensAt.getTime() - b.opensAt.getTime());
}

/** Whether the sorted list holds a value in [lo, hi]: a binary search, the fleet has long histories. */
function anyWithin(sorted: readonly number[], lo: number, hi: number): boolean {
  let a = 0;
  let b = sorted.length;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if ((sorted[mid] as number) < lo) a = mid + 1;
    else b = mid;
  }
  return a < sorted.length && (sorted[a] as number) <= hi;
}

/** A window open now (or inside its grace) with no run reported yet: late, shown but not alerted. */
export interface LateWindow extends WindowToJudge {
  /** When it will be held MISSED if nothing arrives: its end, the grace, and a slow clock's allowance. */
  missedAfter: Date;
}

/**
 * The windows that have opened but are not yet to judge (before their end plus the grace) and
 * have no recorded run: healthchecks.io's grace state. A run that starts late in its startup
 * window is normal; staff see it as late, and it is MISSED only once the grace has passed.
 */
export function lateWindows(args: WindowsToJudgeArgs): LateWindow[] {
  const allowance = args.graceMinutes * MINUTE_MS + slowClockAllowanceMs(args.clockSkewSeconds);
  const recorded = new Map<string, number[]>();
  for (const r of args.recorded)
    recorded.set(r.schedule.toUpperCase(), [...(recorded.get(r.schedule.toUpperCase()) ?? []), r.scheduledStart.getTime()]);
  const out: LateWindow[] = [];
  for (const w of args.expected) {
    if (w.end === null) continue;
    const opensAt = clockLocalToUtc(w.start, args);
    const closesAt = new Date(opensAt.getTime() + naiveFromLocal(w.end) - naiveFromLocal(w.start));
    const missedAfter = new Date(closesAt.getTime() + allowance);
    if (opensAt.getTime() > args.now.getTime() || missedAfter.getTime() <= args.now.getTime()) continue;
    const starts = recorded.get(w.schedule.toUpperCase()) ?? [];
    if (starts.some((s) => s >= opensAt.getTime() && s <= closesAt.getTime())) continue;
    out.push({ ...w, opensAt, closesAt, missedAfter });
  }
  return out.sort((a, b) => a.opensAt.getTime() - b.opensAt.getTime());
}
