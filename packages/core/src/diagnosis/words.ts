import type { AlertCondition, AlertEventKind, AlertSeverity, AlertState } from "../alerts/conditions";
import type { FlagKind } from "../flags/kinds";
import type { WindowOutcome } from "../schemas/event";
import { type OsFamily, osFamily } from "./os";
import type { SuspiciousReason } from "./suspicious";
import type { DiagnosisCause } from "./types";

/**
 * The words staff read for each cause and flag: one source for the dashboard, alerts, webhooks
 * and the digest. Typed by the enums, so a new cause or flag fails the type check until it has
 * words here.
 */
export const causeWords: Record<DiagnosisCause, string> = {
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
};

/** A window's outcome as a person reads it (badges, the node list, the CSV export). */
export const outcomeWords: Record<WindowOutcome, string> = {
  completed: "completed",
  failed: "failed",
  severed: "severed",
  aborted: "aborted",
  "in-progress": "in progress",
  missed: "missed",
};

/** An outcome named by the API, or none yet. */
export function outcomeLabel(outcome: string | null | undefined): string {
  if (!outcome) return "no report yet";
  return (outcomeWords as Record<string, string>)[outcome] ?? outcome;
}

/** An operating system family as people name it. */
export const osFamilyWords: Record<Exclude<OsFamily, "unknown">, string> = {
  windows: "Windows",
  "windows-xp": "Windows XP",
  mac: "macOS",
  linux: "Linux",
  unix: "Unix",
};

/** A node's OS however its record spells it (win32, darwin, WinNT, `MAC:Macintosh`), in people's words; unknown ones as they are. */
export function osLabel(os: string | null | undefined): string {
  if (!os) return "not known";
  const family = osFamily(os);
  return family === "unknown" ? os : osFamilyWords[family];
}

/** A flag as the reason to look at a node (no failed window behind it). */
export const flagReasonWords: Record<FlagKind, string> = {
  locked: "Node locked on the TSM server",
  "at-risk": "No completed backup recently",
  stale: "No contact for weeks",
  "duplicate-suspect": "Looks like a duplicate node",
  "agent-silent": "Agent stopped reporting",
  "password-expired": "TSM password expired",
  "password-expiring": "TSM password expires soon",
  "auth-broken": "Scheduler cannot sign on",
  "repeated-misses": "Missed several nights",
  "repeated-failures": "Failed several nights",
  "needs-manual-backup": "Needs a manual backup",
  "config-error": "Client configuration error",
};

/** A flag as a short badge on a node. */
export const flagWords: Record<FlagKind, string> = {
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

/** Why a completed run is suspicious (core/diagnosis/suspicious), in a few words. */
export const suspiciousReasonWords: Record<SuspiciousReason, string> = {
  "too-few-objects": "far fewer objects than usual",
  "too-short": "far shorter than usual",
  "too-long": "far longer than usual",
};

/** What an alert is about, as a filter or a heading names it. */
export const conditionWords: Record<AlertCondition, string> = {
  backup: "Not backed up",
  "suspicious-run": "Suspicious run",
  locked: "Node locked",
  password: "TSM password",
  "auth-broken": "Cannot sign on",
  "config-error": "Configuration error",
  "agent-silent": "Agent silent",
  stale: "Stale node",
  "duplicate-suspect": "Duplicate node?",
};

export const severityWords: Record<AlertSeverity, string> = { critical: "Critical", warning: "Warning", info: "Info" };

export const alertStateWords: Record<AlertState, string> = { open: "Open", acknowledged: "Acknowledged", resolved: "Resolved" };

/** An alert's history, as a line starts. */
export const alertEventWords: Record<AlertEventKind, string> = {
  opened: "Opened",
  grew: "Happened again",
  escalated: "Became more severe",
  eased: "Became less severe",
  acknowledged: "Acknowledged",
  assigned: "Assigned",
  resolved: "Resolved",
  reopened: "Re-opened",
};

/** An alert kind named by the API: a condition, or a notice such as an unlock request. */
export function conditionLabel(kind: string): string {
  if (kind === "unlock-request") return "Unlock request";
  if (kind === "incident") return "Incident";
  return (conditionWords as Record<string, string>)[kind] ?? kind;
}

/**
 * The words for a cause or a flag named by the API (which may be newer than this code): an
 * identifier nobody has words for yet reads as itself rather than breaking a page.
 */
export function causeLabel(cause: string | null | undefined): string {
  if (!cause) return "–";
  return (causeWords as Record<string, string>)[cause] ?? (flagReasonWords as Record<string, string>)[cause] ?? cause;
}

export function flagLabel(kind: string): string {
  return (flagWords as Record<string, string>)[kind] ?? kind;
}
