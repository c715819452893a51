"use client";

import { useState } from "react";
import type { Outputs } from "~/lib/api-types";
import { trpcClient } from "~/lib/trpc-client";
import { useAction } from "~/lib/use-action";
import { AlertCard } from "./alert-card";
import styles from "./alerts.module.css";

export type AlertRow = Outputs["alerts"]["list"]["rows"][number];
export type Assignee = Outputs["alerts"]["assignees"][number];

/** Alerts as cards, worst first; operators can pick several open ones and acknowledge them at once. */
export function AlertList({
  alerts,
  operator,
  assignees,
  showNode = true,
  now,
}: {
  alerts: AlertRow[];
  operator: boolean;
  assignees: Assignee[];
  showNode?: boolean;
  now: Date;
}) {
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const open = alerts.filter((a) => a.state === "open");
  const chosen = open.filter((a) => picked.has(a.id));
  const ack = useAction(() => trpcClient.alerts.acknowledgeMany.mutate({ alertIds: chosen.map((a) => a.id), note: null }));
  const toggle = (id: string, on: boolean) =>
    setPicked((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  return (
    <>
      {operator && open.length > 0 && (
        <div className={styles.bulk}>
          <label>
            <input
              type="checkbox"
              checked={chosen.length === open.length}
              onChange={(e) => setPicked(e.currentTarget.checked ? new Set(open.map((a) => a.id)) : new Set())}
            />{" "}
            Select every open alert on this page
          </label>
          <button
            type="button"
            className="button small"
            disabled={ack.disabled || chosen.length === 0}
            onClick={async () => {
              if (await ack.run()) setPicked(new Set());
            }}
          >
            {ack.busy ? "…" : `Acknowledge ${chosen.length} selected`}
          </button>
          {ack.error && (
            <span className="form-error" role="alert">
              {ack.error}
            </span>
          )}
        </div>
      )}
      <ul className={styles.list}>
        {alerts.map((a) => (
          <AlertCard
            key={a.id}
            alert={a}
            operator={operator}
            assignees={assignees}
            showNode={showNode}
            now={now}
            picked={picked.has(a.id)}
            onPick={a.state === "open" && operator ? (on) => toggle(a.id, on) : null}
          />
        ))}
      </ul>
    </>
  );
}
