"use client";

import { trpcClient } from "~/lib/trpc-client";
import { useAction } from "~/lib/use-action";

/** Acknowledge one alert ("someone is on it"); the page re-reads afterwards. */
export function AcknowledgeButton({ alertId, title }: { alertId: string; title: string }) {
  const ack = useAction(() => trpcClient.alerts.acknowledge.mutate({ alertId }));
  return (
    <>
      <button type="button" className="button small" onClick={() => ack.run()} disabled={ack.disabled} aria-label={`Acknowledge: ${title}`}>
        {ack.busy ? "…" : "Acknowledge"}
      </button>
      {ack.error && (
        <span className="form-error" role="alert">
          {" "}
          {ack.error}
        </span>
      )}
    </>
  );
}
