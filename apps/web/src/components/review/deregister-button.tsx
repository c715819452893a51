"use client";

import { useRouter } from "next/navigation";
import { ActionDialog } from "~/components/actions/action-dialog";
import { trpcClient } from "~/lib/trpc-client";

/** Deregister one node from the review page; Undo appears at the top afterwards. */
export function DeregisterButton({ nodeId, name }: { nodeId: string; name: string }) {
  const router = useRouter();
  return (
    <ActionDialog
      small
      trigger="Deregister…"
      title={`Deregister ${name}`}
      description={`${name} is taken off every check. Its history is kept; you can undo this.`}
      reasonLabel="Reason"
      reasonRequired
      confirm="Deregister"
      tone="danger"
      run={(reason) => trpcClient.nodes.deregister.mutate({ nodeId, reason })}
      done={`${name} deregistered.`}
      afterDone={() => router.replace(`/review?undo=${nodeId}`, { scroll: false })}
    />
  );
}
