import type { ScheduleEvent } from "../schemas/event";
import { defaultSiteSettings, type SiteSettings } from "../settings/site-settings";
import { localToUtc } from "../windows/time";
import { remedyFor } from "./remedy";
import type { Diagnosis, EvidenceFact } from "./types";

export type FailedEventFacts = Pick<ScheduleEvent, "status" | "cause" | "causes" | "messages" | "stats" | "benign" | "returnCode">;

export interface FailureContext {
  /** As the node or machine record names it, for the remedy's OS steps. */
  os: string | null;
  /** The log's UTC offset, to give the messages' local times as instants. */
  utcOffsetMinutes: number;
}

/**
 * The diagnosis of an event that ran but did not complete cleanly (failed, severed, aborted, or a
 * completed one the parser gave a cause, such as skipped files): the guide's sections 2 and 3.
 * The parser already chose the primary cause from the client log (parse contract, "Causes"); the
 * evidence is the messages behind it and the status block. Null for what needs no diagnosis: a
 * clean success, or an event still in progress.
 */
export function diagnoseFailure(event: FailedEventFacts, ctx: FailureContext): Diagnosis | null {
  if (event.status === "in-progress") return null;
  const cause = event.cause ?? (event.status === "aborted" ? "aborted" : event.status === "completed" ? null : "unknown");
  if (cause === null) return null;

  const evidence: EvidenceFact[] = event.messages
    .filter((m) => m.cause === cause || (cause === "sign-off-only" && m.code === "ANS1512E"))
    .map((m) => ({
      kind: "message",
      code: m.code,
      at: m.at ? localToUtc(m.at, ctx.utcOffsetMinutes).toISOString() : null,
      text: `${m.code}: ${m.text}`,
    }));
  const stats = event.stats;
  if (stats && stats.failed !== null) {
    const inspected = stats.inspected === null ? "" : ` of ${stats.inspected} inspected`;
    evidence.push({
      kind: "status-block",
      at: null,
      text: `${stats.failed} object(s) failed${inspected}, ${stats.backedUp ?? "?"} backed up`,
    });
  } else if (event.status !== "completed") {
    evidence.push({ kind: "status-block", at: null, text: "no status block: how much was saved is unknown" });
  }
  if (event.returnCode !== null) evidence.push({ kind: "status-block", at: null, text: `return code ${event.returnCode}` });
  for (const other of event.causes.filter((c) => c !== cause)) {
    evidence.push({ kind: "message", at: null, text: `the log also shows ${other}` });
  }
  return { cause, evidence, remedy: remedyFor(cause, ctx.os), benign: event.benign };
}

export interface SilentRun {
  status: ScheduleEvent["status"];
  startedAt: Date | null;
  /** The window's close (start + duration); null if it never closes. */
  windowClosesAt: Date | null;
  /** The node's agent's last heartbeat; null if the node has no agent. */
  lastHeartbeatAt: Date | null;
}

/**
 * An in-progress event whose agent fell silent, and stayed silent past the window's close for
 * `severedAfterSilentMinutes`, did not finish: the machine died, slept or was switched off
 * mid-backup (the parser has no clock; the server decides). It becomes SEVERED with cause
 * `machine-died`. Null while it may still be running: the agent still beats, the window is still
 * open, or there is no agent to tell.
 */
export function severedBySilence(
  run: SilentRun,
  ctx: Pick<FailureContext, "os">,
  now: Date,
  settings: Pick<SiteSettings, "severedAfterSilentMinutes"> = defaultSiteSettings,
): { outcome: "severed"; diagnosis: Diagnosis } | null {
  if (run.status !== "in-progress" || !run.lastHeartbeatAt || !run.windowClosesAt) return null;
  const silentFor = now.getTime() - run.lastHeartbeatAt.getTime();
  const pastClose = now.getTime() - run.windowClosesAt.getTime();
  const limit = settings.severedAfterSilentMinutes * 60_000;
  if (silentFor < limit || pastClose < limit) return null;
  const evidence: EvidenceFact[] = [
    {
      kind: "heartbeat",
      at: run.lastHeartbeatAt.toISOString(),
      text: `the agent's last heartbeat was at ${run.lastHeartbeatAt.toISOString()}, ${Math.round(silentFor / 60_000)} minutes ago; the window closed at ${run.windowClosesAt.toISOString()}`,
    },
  ];
  if (run.startedAt) {
    evidence.unshift({
      kind: "status-block",
      at: run.startedAt.toISOString(),
      text: `the backup began at ${run.startedAt.toISOString()} and never ended`,
    });
  }
  return { outcome: "severed", diagnosis: { cause: "machine-died", evidence, remedy: remedyFor("machine-died", ctx.os), benign: false } };
}
