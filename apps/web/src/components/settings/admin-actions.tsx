"use client";

import { ActionDialog } from "~/components/actions/action-dialog";
import { trpcClient } from "~/lib/trpc-client";

/** Revoke an agent's credential (a stolen disk, a machine retired): its next request is refused. */
export function RevokeAgent({ agentId, name }: { agentId: string; name: string }) {
  return (
    <ActionDialog
      trigger="Revoke…"
      title={`Revoke agent ${name}`}
      description="Its credential stops working at once. Its nodes and their history stay; to watch the machine again, enroll a new agent there."
      reasonLabel="Reason"
      confirm="Revoke"
      tone="danger"
      small
      run={(reason) => trpcClient.admin.revokeAgent.mutate({ agentId, reason: reason || null })}
      done={`${name} revoked.`}
    />
  );
}

/** Disable a user (they are signed out at their next click) or enable them again. */
export function UserAccess({ userId, email, disabled }: { userId: string; email: string; disabled: boolean }) {
  return disabled ? (
    <ActionDialog
      trigger="Enable…"
      title={`Enable ${email}`}
      description="They can sign in again, with the role they had."
      reasonLabel={null}
      confirm="Enable"
      small
      run={() => trpcClient.admin.disableUser.mutate({ userId, disabled: false })}
      done={`${email} enabled.`}
    />
  ) : (
    <ActionDialog
      trigger="Disable…"
      title={`Disable ${email}`}
      description="They are signed out at their next click and cannot sign in, by password or single sign-on, until enabled again."
      reasonLabel={null}
      confirm="Disable"
      tone="danger"
      small
      run={() => trpcClient.admin.disableUser.mutate({ userId, disabled: true })}
      done={`${email} disabled.`}
    />
  );
}
