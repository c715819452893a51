"use client";

import { trpcClient } from "~/lib/trpc-client";
import { useAction } from "~/lib/use-action";

/** "Send me a test": today's digest to the signed-in user's own address, and what happened, in one line. */
export function SendTest() {
  const send = useAction(() => trpcClient.report.sendTest.mutate());
  return (
    <div className="actions">
      <button type="button" className="button primary" onClick={() => send.run()} disabled={send.disabled}>
        {send.busy ? "Sending…" : "Send me a test"}
      </button>
      {send.result && (
        <span role="status" className={send.result.sent ? "form-ok" : "form-error"} data-testid="test-result">
          {send.result.message}
        </span>
      )}
      {send.error && (
        <span role="alert" className="form-error">
          {send.error}
        </span>
      )}
    </div>
  );
}
