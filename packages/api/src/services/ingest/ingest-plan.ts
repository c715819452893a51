import { diagnoseFailure } from "@fleetwatch/core/diagnosis";
import { deriveNodeState } from "@fleetwatch/core/fleet";
import type { EventReport, NextScheduled, WindowOutcome } from "@fleetwatch/core/schemas";
import {
  inferSchedules,
  localToUtc,
  type ScheduleDefinition,
  type StoredScheduleFacts,
  storableSchedule,
  utcToLocal,
} from "@fleetwatch/core/windows";

// The decisions of an ingest, in plain data: which windows a batch changes, what each node's
// derived state becomes, which schedules its scheduler implies. No database here: ingest.ts reads
// what these need in one statement and writes what they decide in one more.

/** How many of a node's newest windows its derived state and schedule inference look at. */
export const RECENT = 60;

/** Epoch milliseconds (how the read statement hands instants over), or null. */
export type Ms = number | null;

/** What a window holds now: what the "is this report news?" rule compares. */
export interface CurrentWindow {
  id: string;
  outcome: WindowOutcome;
  source: string;
  endedAt: Ms;
  returnCode: number | null;
  messages: number;
}

/** One of a node's newest windows, as its derived state and schedule inference need it. */
export interface RecentWindow {
  scheduledStart: number;
  outcome: WindowOutcome;
  benign: boolean;
  endedAt: Ms;
  cause: string | null;
  startedAt: Ms;
  source: string;
  schedule: string;
  localStart: string;
}

/** One event report with its window key resolved (node, schedule, start in UTC) and its instants in UTC. */
export interface KeyedEvent {
  /** The node's name: within a batch it names one node. */
  node: string;
  report: EventReport;
  localStart: string;
  scheduledStart: number;
  startedAt: Ms;
  endedAt: Ms;
  key: string;
}

export const windowKey = (node: string, schedule: string, scheduledStart: number) => `${node}\n${schedule}\n${scheduledStart}`;

export const atMs = (local: string | null, utcOffsetMinutes: number): Ms => (local ? localToUtc(local, utcOffsetMinutes).getTime() : null);

/** The batch's events that name a window (a start), keyed; in batch order. */
export function keyEvents(events: readonly EventReport[]): KeyedEvent[] {
  const keyed: KeyedEvent[] = [];
  for (const report of events) {
    const { event, utcOffsetMinutes } = report;
    const localStart = event.scheduledStart ?? event.startedAt;
    if (!localStart) continue;
    const scheduledStart = localToUtc(localStart, utcOffsetMinutes).getTime();
    keyed.push({
      node: report.node,
      report,
      localStart,
      scheduledStart,
      startedAt: atMs(event.startedAt, utcOffsetMinutes),
      endedAt: atMs(event.endedAt, utcOffsetMinutes),
      key: windowKey(report.node, event.schedule, scheduledStart),
    });
  }
  return keyed;
}

/**
 * Is this report news for the window as it stands? A resend is not; a fuller report of the same
 * window (in-progress -> completed) or a late report of a window the judge called MISSED is; a
 * final outcome is never taken back to in-progress.
 */
export function isNews(current: CurrentWindow | undefined, k: KeyedEvent): boolean {
  const { event } = k.report;
  if (current?.source !== "agent") return true;
  if (current.outcome !== "in-progress" && event.status === "in-progress") return false;
  const same =
    current.outcome === event.status &&
    current.returnCode === event.returnCode &&
    current.endedAt === k.endedAt &&
    current.messages === event.messages.length;
  return !same;
}

export interface WindowWrite {
  event: KeyedEvent;
  /** The window this replaces, when it exists. */
  replaces: CurrentWindow | undefined;
  /** How many of the batch's reports of this window were news (each counts as accepted). */
  accepted: number;
}

/**
 * The reports of a batch applied in order, as if one after the other: a later report of the same
 * window is judged against what the earlier one left. One write per window changed: its last news.
 */
export function planWindows(keyed: readonly KeyedEvent[], current: ReadonlyMap<string, CurrentWindow>): WindowWrite[] {
  const writes = new Map<string, WindowWrite>();
  const state = new Map(current);
  for (const k of keyed) {
    if (!isNews(state.get(k.key), k)) continue;
    const { event } = k.report;
    const write = writes.get(k.key) ?? { event: k, replaces: current.get(k.key), accepted: 0 };
    write.event = k;
    write.accepted++;
    writes.set(k.key, write);
    state.set(k.key, {
      id: current.get(k.key)?.id ?? "",
      outcome: event.status,
      source: "agent",
      endedAt: k.endedAt,
      returnCode: event.returnCode,
      messages: event.messages.length,
    });
  }
  return [...writes.values()];
}

/** The window a write leaves, as the node's derived state sees it. */
export function writtenWindow(w: WindowWrite): RecentWindow {
  const { report, scheduledStart, localStart, startedAt, endedAt } = w.event;
  const { event } = report;
  return {
    scheduledStart,
    outcome: event.status,
    benign: event.benign,
    endedAt,
    cause: event.cause,
    startedAt,
    source: "agent",
    schedule: event.schedule,
    localStart,
  };
}

/**
 * A node's newest windows once the writes are in: the newest before them, with the written ones
 * put in (replacing their earlier versions), newest first. Exact: a window among the newest after
 * the writes was among the newest before them, or was written.
 */
export function recentAfter(before: readonly RecentWindow[], written: readonly RecentWindow[]): RecentWindow[] {
  if (!written.length) return [...before];
  const key = (w: RecentWindow) => `${w.schedule}\n${w.scheduledStart}`;
  const replaced = new Set(written.map(key));
  return [...before.filter((w) => !replaced.has(key(w))), ...written].sort((a, b) => b.scheduledStart - a.scheduledStart).slice(0, RECENT);
}

export interface DerivedState {
  lastOutcome: WindowOutcome | null;
  lastCause: string | null;
  lastCompletedAt: Date | null;
  missedStreak: number;
  failedStreak: number;
  lastEventAt: Date | null;
}

/** Last outcome, streaks, last success and last event, from a node's newest windows (newest first). */
export function derivedState(recent: readonly RecentWindow[]): DerivedState {
  const state = deriveNodeState(
    recent.map((w) => ({
      scheduledStart: new Date(w.scheduledStart),
      outcome: w.outcome,
      benign: w.benign,
      endedAt: w.endedAt === null ? null : new Date(w.endedAt),
    })),
  );
  const lastEvent = recent.find((w) => w.source === "agent");
  return {
    lastOutcome: state.lastOutcome,
    lastCause: recent[0]?.cause ?? null,
    lastCompletedAt: state.lastCompletedAt,
    missedStreak: state.missedStreak,
    failedStreak: state.failedStreak,
    lastEventAt: lastEvent ? new Date(lastEvent.startedAt ?? lastEvent.scheduledStart) : null,
  };
}

export type ScheduleFacts = StoredScheduleFacts;

/** A definition as the Schedule table stores it; null when it cannot be (months, years, indefinite). */
function storedFacts(def: ScheduleDefinition): ScheduleFacts | null {
  const stored = storableSchedule(def);
  return stored.ok ? stored.facts : null;
}

export const sameFacts = (a: ScheduleFacts, b: ScheduleFacts) =>
  a.startTime === b.startTime &&
  a.durationMinutes === b.durationMinutes &&
  a.periodMinutes === b.periodMinutes &&
  a.dayOfWeek === b.dayOfWeek;

/**
 * The schedules a node's own scheduler implies: the windows it announced and the window starts its
 * newest agent-reported windows name (see inferSchedules), as the Schedule table stores them.
 */
export function inferredSchedules(
  agentWindows: readonly RecentWindow[],
  announced: readonly NextScheduled[],
  utcOffsetMinutes: number,
): { name: string; facts: ScheduleFacts }[] {
  const events = agentWindows.map((w) => ({
    schedule: w.schedule,
    scheduledStart: w.localStart,
    startedAt: w.startedAt === null ? null : utcToLocal(new Date(w.startedAt), utcOffsetMinutes),
  }));
  return inferSchedules(announced, events).flatMap((inferred) => {
    const facts = storedFacts(inferred.definition);
    return facts ? [{ name: inferred.definition.name, facts }] : [];
  });
}

export const failureDiagnosis = (k: KeyedEvent, os: string | null) =>
  diagnoseFailure(k.report.event, { os, utcOffsetMinutes: k.report.utcOffsetMinutes });
