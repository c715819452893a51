"use client";

import { useRouter } from "next/navigation";
import { ActionDialog } from "~/components/actions/action-dialog";
import { trpcClient } from "~/lib/trpc-client";
import styles from "./review.module.css";

type Ref = { id: string; name: string };

/** "Deregister the dead one" (or either, when neither looks dead), then offer Undo at the top of the page. */
export function PairActions({ a, b, deadId }: { a: Ref; b: Ref; deadId: string | null }) {
  const router = useRouter();
  const choices = deadId ? [deadId === a.id ? a : b] : [a, b];
  return (
    <div className={styles.actions}>
      {choices.map((n) => (
        <ActionDialog
          key={n.id}
          trigger={deadId ? `Deregister the dead one (${n.name})…` : `Deregister ${n.name}…`}
          title={`Deregister ${n.name}`}
          description={`${n.name} is taken off every check and stops being reported as missed. Its history is kept; you can undo this.`}
          reasonLabel="Reason"
          reasonRequired
          confirm="Deregister"
          tone={deadId ? "primary" : "danger"}
          run={(reason) => trpcClient.nodes.deregister.mutate({ nodeId: n.id, reason })}
          done={`${n.name} deregistered.`}
          afterDone={() => router.replace(`/review?undo=${n.id}`, { scroll: false })}
        />
      ))}
    </div>
  );
}
