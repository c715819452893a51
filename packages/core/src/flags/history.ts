import type { EvidenceFact } from "../diagnosis/types";
import { isSuccess } from "../fleet/node-state";
import type { HistoryWindow, RuleContext, WantedFlag } from "./types";

/**
 * Flags read from the node's windows: repeated-misses, repeated-failures, needs-manual-backup,
 * at-risk. A benign sign-off-only failure saved the data: it counts as a completed backup for
 * all four (isSuccess), so it raises none and clears them as a completed backup does.
 */

const HOUR = 3_600_000;
const iso = (d: Date) => d.toISOString();
const closed = (ctx: RuleContext) => ctx.history.filter((w) => w.outcome !== "in-progress");
const windowFact = (w: HistoryWindow): EvidenceFact => ({
  kind: "status-block",
  at: iso(w.scheduledStart),
  text: `${w.outcome} window of ${iso(w.scheduledStart)}`,
});
/** A completed run that skipped files (rc 4): a failure where the profile says so (SET STATUSSKIPASFAILURE). */
const skippedFiles = (w: HistoryWindow) => w.outcome === "completed" && (w.returnCode === 4 || w.causes.includes("files-skipped"));
const succeeded = (ctx: RuleContext) => (w: HistoryWindow) => isSuccess(w) && !(ctx.skippedCountsAsFailure && skippedFiles(w));
const failed = (ctx: RuleContext) => (w: HistoryWindow) =>
  ((w.outcome === "failed" || w.outcome === "severed" || w.outcome === "aborted") && !isSuccess(w)) ||
  (ctx.skippedCountsAsFailure === true && skippedFiles(w));
const isMiss = (w: HistoryWindow) => w.outcome === "missed";

/**
 * N bad windows in a row, or M of the last K. Raised by the bad window that first makes it true
 * after the last completed backup, and cleared by a completed backup: the M of K count still looks
 * back past that backup, so an intermittent node (miss, complete, miss...) is raised again by its
 * next bad window while the count holds.
 */
function repeated(
  ctx: RuleContext,
  bad: (w: HistoryWindow) => boolean,
  inARow: number,
  ofLast: { m: number; k: number },
): { since: Date; windows: HistoryWindow[]; detail: string } | null {
  const ws = closed(ctx);
  const success = succeeded(ctx);
  let lastSuccess = -1;
  ws.forEach((w, i) => {
    if (success(w)) lastSuccess = i;
  });
  for (let i = lastSuccess + 1; i < ws.length; i++) {
    if (!bad(ws[i] as HistoryWindow)) continue;
    let run = 0;
    while (run <= i && bad(ws[i - run] as HistoryWindow)) run++;
    const recent = ws.slice(Math.max(0, i - ofLast.k + 1), i + 1);
    const count = recent.filter(bad).length;
    const since = (ws[i] as HistoryWindow).scheduledStart;
    if (run >= inARow) return { since, windows: ws.slice(i - run + 1, i + 1), detail: `${run} in a row` };
    if (count >= ofLast.m) return { since, windows: recent.filter(bad), detail: `${count} of the last ${recent.length}` };
  }
  return null;
}

/** The counts as they stand now, for the detail line (the raising count may have grown since). */
function currentRun(ctx: RuleContext, bad: (w: HistoryWindow) => boolean): number {
  const ws = closed(ctx);
  let run = 0;
  while (run < ws.length && bad(ws[ws.length - 1 - run] as HistoryWindow)) run++;
  return run;
}

export function repeatedMissesFlag(ctx: RuleContext): WantedFlag | null {
  const r = repeated(ctx, isMiss, ctx.settings.missesInARow, ctx.settings.missesOfLast);
  if (!r) return null;
  return {
    kind: "repeated-misses",
    since: r.since,
    evidence: r.windows.map(windowFact),
    detail: `missed ${r.detail}; ${currentRun(ctx, isMiss)} in a row now`,
  };
}

export function repeatedFailuresFlag(ctx: RuleContext): WantedFlag | null {
  const isFailure = failed(ctx);
  const r = repeated(ctx, isFailure, ctx.settings.failuresInARow, ctx.settings.failuresOfLast);
  if (!r) return null;
  return {
    kind: "repeated-failures",
    since: r.since,
    evidence: r.windows.map(windowFact),
    detail: `failed, severed or aborted ${r.detail}; ${currentRun(ctx, isFailure)} in a row now`,
  };
}

/** A backup that saved everything: completed (or benign) with no failed object. */
function isClean(w: HistoryWindow): boolean {
  if (!isSuccess(w)) return false;
  return w.failedObjects === 0 || (w.failedObjects === null && w.returnCode === 0);
}

/**
 * From a severed or aborted event, or a failure that left objects unsaved (any non-benign failed
 * event: a backup that never ran saved nothing), until a later backup completes with 0 failed
 * objects. A completed backup that skipped files neither raises nor clears it. It carries how
 * long the node has been unprotected: since its last clean backup.
 */
export function needsManualBackupFlag(ctx: RuleContext): WantedFlag | null {
  const ws = ctx.history;
  let lastClean = -1;
  ws.forEach((w, i) => {
    if (isClean(w)) lastClean = i;
  });
  const raising = ws
    .slice(lastClean + 1)
    .filter((w) => w.outcome === "severed" || w.outcome === "aborted" || (w.outcome === "failed" && !w.benign));
  const first = raising[0];
  if (!first) return null;
  const clean = ws[lastClean];
  const since = first.startedAt ?? first.scheduledStart;
  const unprotectedSince = clean ? (clean.endedAt ?? clean.scheduledStart) : since;
  const hours = Math.max(0, Math.floor((ctx.now.getTime() - unprotectedSince.getTime()) / HOUR));
  return {
    kind: "needs-manual-backup",
    since,
    evidence: [
      ...raising.map(windowFact),
      {
        kind: "status-block",
        at: iso(unprotectedSince),
        text: clean ? `last backup with no failed object: ${iso(unprotectedSince)}` : "no backup with no failed object on record",
      },
    ],
    detail: `unprotected for ${hours} h, since ${iso(unprotectedSince)}: run a manual backup`,
  };
}

/** No completed backup within atRiskHours (IBM's at-risk interval), counted from registration for a node that never had one. */
export function atRiskFlag(ctx: RuleContext): WantedFlag | null {
  const successes = ctx.history.filter(succeeded(ctx)).map((w) => (w.endedAt ?? w.startedAt ?? w.scheduledStart).getTime());
  // The derived lastCompletedAt counts a run that skipped files: where that is a failure, it only
  // speaks for the time before the history passed in.
  const oldest = Math.min(...ctx.history.map((w) => w.scheduledStart.getTime()));
  const derived = ctx.node.lastCompletedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  const last = Math.max(
    Number.NEGATIVE_INFINITY,
    ...successes,
    !ctx.skippedCountsAsFailure || derived < oldest ? derived : Number.NEGATIVE_INFINITY,
  );
  const from = Number.isFinite(last) ? last : ctx.node.contact.knownSince?.getTime();
  if (from === undefined) return null;
  const since = from + ctx.settings.atRiskHours * HOUR;
  if (ctx.now.getTime() < since) return null;
  const hours = Math.floor((ctx.now.getTime() - from) / HOUR);
  const text = Number.isFinite(last) ? `last completed backup ${iso(new Date(last))}` : "no completed backup since the node became known";
  return {
    kind: "at-risk",
    since: new Date(since),
    evidence: [{ kind: "status-block", at: Number.isFinite(last) ? iso(new Date(last)) : null, text }],
    detail: `no completed backup for ${hours} h (at-risk after ${ctx.settings.atRiskHours} h)`,
  };
}
