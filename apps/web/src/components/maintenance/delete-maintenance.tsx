"use client";

import { ActionDialog } from "~/components/actions/action-dialog";
import { trpcClient } from "~/lib/trpc-client";

/** Remove a maintenance window: nights it already suppressed stay marked in the history. */
export function DeleteMaintenance({ id, name }: { id: string; name: string }) {
  return (
    <ActionDialog
      trigger="Delete…"
      title={`Delete maintenance window "${name}"`}
      description="Nights it suppressed so far keep their mark; from now on bad nights in its times alert as usual."
      reasonLabel={null}
      confirm="Delete"
      tone="danger"
      small
      run={() => trpcClient.maintenance.delete.mutate({ id })}
      done="Deleted."
    />
  );
}
