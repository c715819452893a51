"use client";

import { alertEventWords } from "@fleetwatch/core/words";
import { useState } from "react";
import type { Outputs } from "~/lib/api-types";
import { formatAgo, formatDateTime } from "~/lib/format";
import { errorLine, trpcClient } from "~/lib/trpc-client";
import styles from "./alerts.module.css";

type Event = Outputs["alerts"]["history"][number];

/** An alert's history, read when someone opens it. */
export function AlertHistory({ alertId, now }: { alertId: string; now: Date }) {
  const [events, setEvents] = useState<Event[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function load(open: boolean) {
    if (!open || events) return;
    try {
      setEvents(await trpcClient.alerts.history.query({ alertId }));
    } catch (e) {
      setError(errorLine(e));
    }
  }
  return (
    <details className={styles.history} onToggle={(e) => load(e.currentTarget.open)}>
      <summary>History</summary>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {!events && !error && <p className="muted">Loading…</p>}
      {events && (
        <ol>
          {events.map((e) => (
            <li key={e.id}>
              <span title={formatDateTime(e.at, now)}>{formatAgo(e.at, now)}</span>:{" "}
              <strong>{alertEventWords[e.kind as keyof typeof alertEventWords] ?? e.kind}</strong>
              {e.actor ? ` by ${e.actor}` : ""}
              {e.detail ? `: ${e.detail}` : ""}
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
