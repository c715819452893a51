import { type AlertCondition, type AlertEventKind, type AlertSeverity, type AlertState, compareSeverity } from "./conditions";
import type { ActiveCondition } from "./evaluate";

/** An alert of a node as the database holds it: the newest one per condition. */
export interface KnownAlert {
  id: string;
  condition: AlertCondition;
  state: AlertState;
  severity: AlertSeverity;
  since: Date;
  occurrences: number;
  title: string;
  body: string;
  resolvedAt: Date | null;
  /** Who resolved it by hand; null when the condition cleared by itself. */
  resolvedBy: string | null;
}

export type AlertChange =
  | { kind: "open"; condition: ActiveCondition }
  | { kind: "update"; id: string; condition: ActiveCondition; events: AlertEventKind[] }
  | { kind: "resolve"; id: string; reason: string };

/** A condition that clears and comes back within this long re-opens its alert instead of a new one. */
export const REOPEN_HORIZON_MS = 7 * 86_400_000;

/**
 * What to do with a node's alerts so that each condition true now has exactly one live alert:
 * open the new ones, update the live ones (their count and words grow, their severity follows the
 * rules), resolve the ones whose condition cleared, and re-open a recent one when its condition
 * returns. An alert someone resolved by hand stays resolved while the condition merely goes on;
 * it re-opens only on new evidence (another bad night, a flag raised again).
 */
export function planAlerts(
  known: readonly KnownAlert[],
  active: readonly ActiveCondition[],
  now: Date,
  reasons: Partial<Record<AlertCondition, string>> = {},
): AlertChange[] {
  const byCondition = new Map(known.map((a) => [a.condition, a]));
  const changes: AlertChange[] = [];
  const activeConditions = new Set(active.map((c) => c.condition));

  for (const c of active) {
    const a = byCondition.get(c.condition);
    if (!a) {
      changes.push({ kind: "open", condition: c });
      continue;
    }
    if (a.state !== "resolved") {
      const events = growth(a, c);
      if (events.length || a.title !== c.title || a.body !== c.body) changes.push({ kind: "update", id: a.id, condition: c, events });
      continue;
    }
    const resolvedAt = a.resolvedAt ?? now;
    if (a.resolvedBy !== null) {
      // Resolved by hand: only news brings it back.
      const news = c.since.getTime() > resolvedAt.getTime() || (sameRun(a, c) && c.occurrences > a.occurrences);
      if (news) changes.push({ kind: "update", id: a.id, condition: c, events: ["reopened"] });
      continue;
    }
    if (now.getTime() - resolvedAt.getTime() <= REOPEN_HORIZON_MS)
      changes.push({ kind: "update", id: a.id, condition: c, events: ["reopened"] });
    else changes.push({ kind: "open", condition: c });
  }
  for (const a of known) {
    if (a.state === "resolved" || activeConditions.has(a.condition)) continue;
    changes.push({ kind: "resolve", id: a.id, reason: reasons[a.condition] ?? "the condition cleared" });
  }
  return changes;
}

/** The same bad run as the alert counted (same first night), not a new one. */
function sameRun(a: KnownAlert, c: ActiveCondition): boolean {
  return a.since.getTime() === c.since.getTime();
}

function growth(a: KnownAlert, c: ActiveCondition): AlertEventKind[] {
  const events: AlertEventKind[] = [];
  if (c.occurrences > a.occurrences || !sameRun(a, c)) events.push("grew");
  const order = compareSeverity(c.severity, a.severity);
  if (order < 0) events.push("escalated");
  else if (order > 0) events.push("eased");
  return events;
}
