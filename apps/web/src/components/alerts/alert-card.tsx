"use client";

import { conditionLabel, severityWords } from "@fleetwatch/core/words";
import Link from "next/link";
import { ActionDialog } from "~/components/actions/action-dialog";
import { formatAgo, formatDateTime } from "~/lib/format";
import { trpcClient } from "~/lib/trpc-client";
import { useAction } from "~/lib/use-action";
import { AlertHistory } from "./alert-history";
import type { AlertRow, Assignee } from "./alert-list";
import styles from "./alerts.module.css";

const SHORT = 180;

/** A long body (a node's bad nights and the remedy) reads as its first line; the rest opens on demand. */
function AlertBody({ body }: { body: string }) {
  if (body.length <= SHORT && !body.includes("\n")) return <p className={styles.body}>{body}</p>;
  const first = body.split("\n")[0] ?? "";
  return (
    <details className={styles.long}>
      <summary>{first.length > SHORT ? `${first.slice(0, SHORT)}…` : first}</summary>
      <p className={styles.body}>{body}</p>
    </details>
  );
}

function StateLine({ a, now }: { a: AlertRow; now: Date }) {
  if (a.state === "resolved") {
    return (
      <span className="muted">
        resolved {formatAgo(a.resolvedAt, now)}
        {a.resolvedBy ? ` by ${a.resolvedBy}` : ""}
        {a.resolvedReason ? `: ${a.resolvedReason}` : ""}
      </span>
    );
  }
  if (a.state === "acknowledged") {
    return (
      <span className="muted">
        acknowledged by {a.acknowledgedBy ?? "someone"} {formatAgo(a.acknowledgedAt, now)}
        {a.acknowledgeNote ? `: ${a.acknowledgeNote}` : ""}
      </span>
    );
  }
  return <span className={styles.open}>open</span>;
}

function AssignSelect({ a, assignees }: { a: AlertRow; assignees: Assignee[] }) {
  const assign = useAction((userId: string | null) => trpcClient.alerts.assign.mutate({ alertId: a.id, userId }));
  return (
    <label className={styles.assign}>
      <select
        value={a.assignee?.id ?? ""}
        disabled={assign.disabled}
        onChange={(e) => assign.run(e.currentTarget.value || null)}
        aria-label={`Assignee of ${a.title}`}
      >
        <option value="">nobody</option>
        {assignees.map((u) => (
          <option key={u.id} value={u.id}>
            {u.email}
          </option>
        ))}
      </select>
      {assign.error && (
        <span className="form-error" role="alert">
          {assign.error}
        </span>
      )}
    </label>
  );
}

/** One alert: how bad, what, which node, since when and how often, who has it, and what was done. */
export function AlertCard({
  alert: a,
  operator,
  assignees,
  showNode,
  now,
  picked,
  onPick,
}: {
  alert: AlertRow;
  operator: boolean;
  assignees: Assignee[];
  showNode: boolean;
  now: Date;
  picked: boolean;
  onPick: ((on: boolean) => void) | null;
}) {
  const live = a.state !== "resolved";
  return (
    <li
      className={`${styles.alert} ${styles[a.severity] ?? ""} ${live ? "" : styles.resolved}`}
      data-testid="alert-row"
      data-state={a.state}
    >
      <div className={styles.head}>
        {onPick && (
          <input type="checkbox" checked={picked} onChange={(e) => onPick(e.currentTarget.checked)} aria-label={`Select: ${a.title}`} />
        )}
        <span className={styles.severity}>{severityWords[a.severity as keyof typeof severityWords] ?? a.severity}</span>
        <span className={styles.kind}>{conditionLabel(a.kind)}</span>
        <strong>{a.title}</strong>
        {showNode && a.node && (
          <Link href={`/nodes/${a.node.id}`} className={styles.node}>
            {a.node.name}
          </Link>
        )}
        <span className="muted" title={`raised ${formatDateTime(a.raisedAt, now)}`}>
          since {formatAgo(a.since ?? a.raisedAt, now)}
          {a.occurrences > 1 ? ` · ${a.occurrences} times` : ""}
        </span>
        <span className={styles.state}>
          <StateLine a={a} now={now} />
        </span>
      </div>
      {a.incident && (
        <p className={styles.body}>
          Part of an incident: <Link href="/alerts?kind=incident&state=all">{a.incident.title}</Link>
          {a.incident.state === "resolved" ? " (resolved)" : ""}
        </p>
      )}
      <AlertBody body={a.body} />
      <div className={styles.foot}>
        {operator && live ? (
          <>
            {a.state === "open" && (
              <ActionDialog
                trigger="Acknowledge"
                title={`Acknowledge: ${a.title}`}
                description="Tells the team someone is on it. It stays in the list until its condition clears or it is resolved."
                reasonLabel="Note"
                confirm="Acknowledge"
                small
                run={(note) => trpcClient.alerts.acknowledge.mutate({ alertId: a.id, note: note || null })}
                done="Acknowledged."
              />
            )}
            <ActionDialog
              trigger="Resolve…"
              title={`Resolve: ${a.title}`}
              description="Closes the alert by hand. It comes back only if something new happens (another bad night, the flag raised again)."
              reasonLabel="Reason"
              reasonRequired
              confirm="Resolve"
              small
              run={(reason) => trpcClient.alerts.resolve.mutate({ alertId: a.id, reason })}
              done="Resolved."
            />
            <AssignSelect a={a} assignees={assignees} />
          </>
        ) : (
          a.assignee && <span className="muted">assigned to {a.assignee.email}</span>
        )}
        <AlertHistory alertId={a.id} now={now} />
      </div>
      {a.deliveries.length > 0 && (
        <ul className={styles.deliveries} aria-label="Deliveries">
          {a.deliveries.map((d, i) => (
            <li key={`${d.channel}:${d.target}:${i}`} className={styles[`d-${d.status}`]}>
              {d.channel} ({d.event.kind}) → {d.target}: {d.status}
              {d.attempts > 1 && ` after ${d.attempts} attempts`}
              {d.lastError && d.status !== "delivered" && <span className="muted"> ({d.lastError})</span>}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
