import type { WindowOutcome } from "../schemas/event";

/**
 * The server's event status (shared/domain.md) as a window outcome; null when the server has no
 * verdict yet (Future, Pending) or has forgotten it (Uncertain): such a row changes nothing.
 */
export function outcomeOfServerStatus(status: string): WindowOutcome | null {
  const s = status.trim().toLowerCase();
  if (s === "completed") return "completed";
  if (s === "missed") return "missed";
  if (s === "severed") return "severed";
  if (s === "failed" || s.startsWith("failed -")) return "failed";
  if (s === "started" || s === "in progress" || s === "restarted") return "in-progress";
  return null;
}
