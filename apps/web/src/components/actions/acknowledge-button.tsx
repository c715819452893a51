"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { errorLine, trpcClient } from "~/lib/trpc-client";

/** Acknowledge one alert ("someone is on it"); the page re-reads afterwards. */
export function AcknowledgeButton({ alertId, title }: { alertId: string; title: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function acknowledge() {
    setBusy(true);
    setError(null);
    try {
      await trpcClient.alerts.acknowledge.mutate({ alertId });
      router.refresh();
    } catch (e) {
      setError(errorLine(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <button type="button" className="button small" onClick={acknowledge} disabled={busy} aria-label={`Acknowledge: ${title}`}>
        {busy ? "…" : "Acknowledge"}
      </button>
      {error && (
        <span className="form-error" role="alert">
          {" "}
          {error}
        </span>
      )}
    </>
  );
}
