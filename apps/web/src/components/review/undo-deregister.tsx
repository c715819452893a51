"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { errorLine, trpcClient } from "~/lib/trpc-client";
import { useHydrated } from "~/lib/use-hydrated";

/** The notice after a deregistration, with a one-click Undo (a restore, recorded in the audit log). */
export function UndoDeregister({ nodeId, name }: { nodeId: string; name: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const hydrated = useHydrated();
  async function undo() {
    setBusy(true);
    setError(null);
    try {
      await trpcClient.nodes.restore.mutate({ nodeId, reason: "undo from the duplicates review" });
      router.replace("/review", { scroll: false });
      router.refresh();
    } catch (e) {
      setError(errorLine(e));
      setBusy(false);
    }
  }
  return (
    <div className="notice" role="status" data-testid="undo-notice">
      {name} is deregistered.{" "}
      <button type="button" className="button small" onClick={undo} disabled={busy || !hydrated}>
        {busy ? "Restoring…" : "Undo"}
      </button>
      {error && <span className="form-error"> {error}</span>}
    </div>
  );
}
