/**
 * Plain words for the identifiers the API sends (causes, flags, outcomes, roles). Presentation
 * only: an unknown identifier reads as itself, so a new cause on the server never breaks a page.
 */
const causes: Record<string, string> = {
  // MISSED (the guide, section 1)
  "node-retired": "Node retired or a dead duplicate",
  "node-locked": "Node locked on the TSM server",
  "password-expired": "TSM password expired",
  "machine-off": "Machine was switched off",
  "machine-asleep": "Machine was asleep",
  "off-network": "Machine could not reach the TSM server",
  "scheduler-not-running": "TSM scheduler was not running",
  "started-too-late": "Machine came back after the window closed",
  "pre-command-failed": "Pre-schedule command failed",
  "machine-died": "Machine stopped reporting mid-backup",
  // FAILED / SEVERED (the guide, section 2)
  "auth-failure": "Scheduler cannot sign on (stored password)",
  "server-refused": "TSM server refused the session",
  "cancelled-by-server": "Cancelled by the TSM server",
  "server-out-of-space": "TSM server out of storage space",
  "invalid-domain": "DOMAIN names a path that is no file system",
  "out-of-memory": "Client ran out of memory",
  "communication-lost": "Connection to the server was lost",
  "corrupt-files": "Corrupt or unreadable files",
  "files-changed": "Files changed while being backed up",
  "files-skipped": "Some files were skipped",
  aborted: "Backup aborted",
  "sign-off-only": "Failed at sign-off only (data saved)",
  unknown: "Cause unknown",
  // A node's standing condition, when it is the reason to look (no failed window behind it)
  "at-risk": "No completed backup recently",
  stale: "No contact for weeks",
  "duplicate-suspect": "Looks like a duplicate node",
  "agent-silent": "Agent stopped reporting",
  "password-expiring": "TSM password expires soon",
  "auth-broken": "Scheduler cannot sign on",
  "repeated-misses": "Missed several nights",
  "repeated-failures": "Failed several nights",
  "needs-manual-backup": "Needs a manual backup",
  "config-error": "Client configuration error",
};

export function causeLabel(cause: string | null | undefined): string {
  if (!cause) return "–";
  return causes[cause] ?? cause;
}

const flags: Record<string, string> = {
  locked: "locked",
  "password-expired": "password expired",
  "password-expiring": "password expiring",
  "auth-broken": "cannot sign on",
  "repeated-misses": "repeated misses",
  "repeated-failures": "repeated failures",
  "needs-manual-backup": "needs manual backup",
  "at-risk": "at risk",
  "duplicate-suspect": "duplicate?",
  stale: "stale",
  "agent-silent": "agent silent",
  "config-error": "config error",
};

export const flagKinds = Object.keys(flags);

export function flagLabel(kind: string): string {
  return flags[kind] ?? kind;
}

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

export function outcomeLabel(outcome: string | null | undefined): string {
  if (!outcome) return "no report yet";
  return outcome === "in-progress" ? "in progress" : outcome;
}

export const roles = ["viewer", "operator", "admin"] as const;
export type Role = (typeof roles)[number];

const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** Whether to show an action: the API refuses it anyway for a lower role. */
export function can(role: Role, needed: Role): boolean {
  return rank[role] >= rank[needed];
}
