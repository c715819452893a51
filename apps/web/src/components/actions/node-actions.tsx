"use client";

import { trpcClient } from "~/lib/trpc-client";
import { ActionDialog } from "./action-dialog";

/** Operator actions on one node. Rendered only for operators; the API refuses anyone else anyway. */
export function NodeActions({
  nodeId,
  name,
  deregistered,
  locked,
}: {
  nodeId: string;
  name: string;
  deregistered: boolean;
  locked: boolean;
}) {
  return (
    <div className="actions">
      {locked && !deregistered && (
        <ActionDialog
          trigger="Request unlock…"
          title={`Request unlock of ${name}`}
          description="The backup team gets an alert asking them to unlock this node on the TSM server."
          reasonLabel="Note for the backup team"
          confirm="Request unlock"
          run={(note) => trpcClient.nodes.requestUnlock.mutate({ nodeId, note: note || null })}
          done="Unlock requested."
        />
      )}
      {deregistered ? (
        <ActionDialog
          trigger="Restore…"
          title={`Restore ${name}`}
          description="The node goes back on every check: its windows are judged and its flags raised again."
          reasonLabel="Reason"
          confirm="Restore"
          run={(reason) => trpcClient.nodes.restore.mutate({ nodeId, reason: reason || null })}
          done={`${name} restored.`}
        />
      ) : (
        <ActionDialog
          trigger="Deregister…"
          title={`Deregister ${name}`}
          description="The node is taken off every check and its open flags close. Its history is kept, and you can restore it at any time."
          reasonLabel="Reason"
          reasonRequired
          confirm="Deregister"
          tone="danger"
          run={(reason) => trpcClient.nodes.deregister.mutate({ nodeId, reason })}
          done={`${name} deregistered.`}
        />
      )}
    </div>
  );
}
