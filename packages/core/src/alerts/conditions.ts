import { z } from "zod";
import type { DiagnosisCause } from "../diagnosis/types";
import type { FlagKind } from "../flags/kinds";

/**
 * What one alert is about: a (node, condition) that is true now. Several flags that are one
 * problem to the people fixing it share a condition, so they share an alert: missed nights,
 * failed nights, their repeats, at-risk and needs-manual-backup are all "not backed up".
 */
export const alertCondition = z.enum([
  "backup",
  "suspicious-run",
  "locked",
  "password",
  "auth-broken",
  "config-error",
  "agent-silent",
  "stale",
  "duplicate-suspect",
]);
export type AlertCondition = z.infer<typeof alertCondition>;

/** Ordered worst first: the list sorts by it. */
export const alertSeverity = z.enum(["critical", "warning", "info"]);
export type AlertSeverity = z.infer<typeof alertSeverity>;

export const alertState = z.enum(["open", "acknowledged", "resolved"]);
export type AlertState = z.infer<typeof alertState>;

/** What happened to an alert, for its history and for webhooks. */
export const alertEventKind = z.enum(["opened", "grew", "escalated", "eased", "acknowledged", "assigned", "resolved", "reopened"]);
export type AlertEventKind = z.infer<typeof alertEventKind>;

export const conditionOfFlag: Record<FlagKind, AlertCondition> = {
  "repeated-misses": "backup",
  "repeated-failures": "backup",
  "at-risk": "backup",
  "needs-manual-backup": "backup",
  locked: "locked",
  "password-expired": "password",
  "password-expiring": "password",
  "auth-broken": "auth-broken",
  "config-error": "config-error",
  "agent-silent": "agent-silent",
  stale: "stale",
  "duplicate-suspect": "duplicate-suspect",
};

/**
 * The standing conditions a bad night's cause belongs to, in the order they claim it. While such a
 * condition is true its alert is the one to act on (unlock the node and its nights back up again),
 * so when every bad night since the last backup is its own, the nights grow that alert instead of
 * opening a second, "not backed up" one. A retired node's misses are its duplicate pair's when it
 * is the dead half, else the stale ladder's.
 */
export const conditionsOfCause: Partial<Record<DiagnosisCause, readonly AlertCondition[]>> = {
  "node-locked": ["locked"],
  "password-expired": ["password"],
  "auth-failure": ["auth-broken"],
  "invalid-domain": ["config-error"],
  "node-retired": ["duplicate-suspect", "stale"],
};

const rank: Record<AlertSeverity, number> = { critical: 0, warning: 1, info: 2 };

/** Negative when `a` is worse than `b`: for sorting worst first. */
export function compareSeverity(a: AlertSeverity, b: AlertSeverity): number {
  return rank[a] - rank[b];
}

/** Info is shown on the dashboard and in the digest; warning and worse also go out by webhook at once. */
export function isPushed(severity: AlertSeverity): boolean {
  return rank[severity] <= rank.warning;
}
