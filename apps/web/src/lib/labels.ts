import { flagWords } from "@fleetwatch/core/words";

/**
 * Plain words for the identifiers the API sends: causes and flags come from core (the one source of
 * domain words, shared with alerts and the digest); outcomes and roles are presentation.
 */
export { causeLabel, flagLabel, osLabel, outcomeLabel } from "@fleetwatch/core/words";

export const flagKinds = Object.keys(flagWords);

/** How loud a flag is: "bad" needs someone today, "warn" soon, "info" to know. */
export function flagTone(kind: string): "bad" | "warn" | "info" {
  switch (kind) {
    case "locked":
    case "password-expired":
    case "auth-broken":
    case "needs-manual-backup":
    case "repeated-failures":
    case "repeated-misses":
    case "at-risk":
      return "bad";
    case "password-expiring":
    case "agent-silent":
    case "config-error":
      return "warn";
    default:
      return "info";
  }
}

export const outcomes = ["completed", "failed", "severed", "aborted", "in-progress", "missed"] as const;

export const roles = ["viewer", "operator", "admin"] as const;
export type Role = (typeof roles)[number];

const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** Whether to show an action: the API refuses it anyway for a lower role. */
export function can(role: Role, needed: Role): boolean {
  return rank[role] >= rank[needed];
}
