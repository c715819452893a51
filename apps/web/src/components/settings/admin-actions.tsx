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

/** Free an agent from its machine, so it may report the machine it is on now (a moved or renamed PC). */
export function UnbindAgent({ agentId, name }: { agentId: string; name: string }) {
  return (
    <ActionDialog
      trigger="Move…"
      title={`Move agent ${name} to another machine`}
      description="Its next report binds it to the machine it is on, if no other agent watches that machine. Until then, a report naming another machine is refused."
      reasonLabel="Reason"
      confirm="Move"
      small
      run={(reason) => trpcClient.admin.unbindAgent.mutate({ agentId, reason })}
      done={`${name} will bind to the machine of its next report.`}
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

/** Revoke a status badge: its addresses answer 404 (after at most a minute in caches). */
export function RevokeBadge({ badgeId, shows }: { badgeId: string; shows: string }) {
  return (
    <ActionDialog
      trigger="Revoke…"
      title={`Revoke the badge of ${shows}`}
      description="Its SVG and JSON addresses stop answering; pages showing it show a broken image after their cache (a minute)."
      reasonLabel={null}
      confirm="Revoke"
      tone="danger"
      small
      run={() => trpcClient.admin.revokeBadge.mutate({ badgeId })}
      done="Badge revoked."
    />
  );
}

/** Revoke an API key: every request with it is refused from now on. */
export function RevokeApiKey({ keyId, name }: { keyId: string; name: string }) {
  return (
    <ActionDialog
      trigger="Revoke…"
      title={`Revoke API key ${name}`}
      description="Every request with it is refused from now on. This cannot be undone; make a new key if one is needed again."
      reasonLabel={null}
      confirm="Revoke"
      tone="danger"
      small
      run={() => trpcClient.admin.revokeApiKey.mutate({ keyId })}
      done={`${name} revoked.`}
    />
  );
}
