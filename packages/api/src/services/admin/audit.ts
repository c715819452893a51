import type { Caller } from "../../caller";
import { actorLabel } from "../../caller";

type AuditDb = { auditLog: { create(args: { data: Record<string, unknown> }): Promise<unknown> } };

/** Every staff action leaves a line: who, when, what, on what, why. */
export function audit(
  db: AuditDb,
  caller: Caller,
  entry: {
    action: string;
    targetType: string;
    targetId: string | null;
    reason?: string | null;
    detail?: unknown;
    /** Who, when the caller cannot say (a script making tokens in its own name). */
    actor?: string;
  },
) {
  return db.auditLog.create({
    data: {
      // A key's line names the key and points at the person who made it.
      actorId: caller.kind === "user" ? caller.userId : caller.kind === "apiKey" ? caller.createdById : null,
      actorLabel: entry.actor ?? actorLabel(caller),
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      reason: entry.reason ?? null,
      detail: entry.detail ?? undefined,
    },
  });
}
