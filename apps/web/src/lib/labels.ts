import { type FlagKind, flagKind } from "@fleetwatch/core/flags";
import { roleAtLeast, type StaffRole, staffRole, windowOutcome } from "@fleetwatch/core/schemas";

/**
 * Plain words for the identifiers the API sends: causes and flags come from core (the one source of
 * domain words, shared with alerts and the digest); outcomes and roles are presentation.
 */
export { causeLabel, flagLabel, osLabel, outcomeLabel } from "@fleetwatch/core/words";

export const flagKinds = flagKind.options;

/** How loud a flag is: "bad" needs someone today, "warn" soon, "info" to know. A new kind fails the type check until it has one. */
const tones: Record<FlagKind, "bad" | "warn" | "info"> = {
  locked: "bad",
  "password-expired": "bad",
  "auth-broken": "bad",
  "needs-manual-backup": "bad",
  "repeated-failures": "bad",
  "repeated-misses": "bad",
  "at-risk": "bad",
  "password-expiring": "warn",
  "agent-silent": "warn",
  "config-error": "warn",
  "duplicate-suspect": "info",
  stale: "info",
};

export function flagTone(kind: string): "bad" | "warn" | "info" {
  return tones[kind as FlagKind] ?? "info";
}

export const outcomes = windowOutcome.options;

export const roles = staffRole.options;
export type Role = StaffRole;

/** Whether to show an action: the API refuses it anyway for a lower role. */
export const can: (role: Role, needed: Role) => boolean = roleAtLeast;
