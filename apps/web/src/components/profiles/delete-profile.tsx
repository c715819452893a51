"use client";

import { ActionDialog } from "~/components/actions/action-dialog";
import { trpcClient } from "~/lib/trpc-client";

/** Delete a profile: its nodes go where the other profiles' rules put them. */
export function DeleteProfile({ id, name, nodes }: { id: string; name: string; nodes: number }) {
  return (
    <ActionDialog
      trigger="Delete…"
      title={`Delete profile "${name}"`}
      description={`Its ${nodes} node${nodes === 1 ? "" : "s"} go where the other profiles' rules put them, or to the default.`}
      reasonLabel={null}
      confirm="Delete"
      tone="danger"
      small
      run={() => trpcClient.profiles.delete.mutate({ id })}
      done="Deleted."
    />
  );
}
