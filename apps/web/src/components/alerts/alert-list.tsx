import Link from "next/link";
import { AcknowledgeButton } from "~/components/actions/acknowledge-button";
import type { Outputs } from "~/lib/api-types";
import { formatAgo, formatDateTime } from "~/lib/format";
import styles from "./alerts.module.css";

type AlertRow = Outputs["alerts"]["list"]["rows"][number];

const SHORT = 180;

/** A long body (a MISSED window's whole remedy) reads as its first line; the rest opens on demand. */
function AlertBody({ body }: { body: string }) {
  if (body.length <= SHORT) return <p className={styles.body}>{body}</p>;
  const cut = body.lastIndexOf(" ", SHORT);
  return (
    <details className={styles.long}>
      <summary>{body.slice(0, cut > 80 ? cut : SHORT)}…</summary>
      <p className={styles.body}>{body}</p>
    </details>
  );
}

/** Alerts as cards: what, which node, when, who acknowledged, and where it was sent. */
export function AlertList({
  alerts,
  canAcknowledge,
  showNode = true,
  now,
}: {
  alerts: AlertRow[];
  canAcknowledge: boolean;
  showNode?: boolean;
  now: Date;
}) {
  return (
    <ul className={styles.list}>
      {alerts.map((a) => (
        <li key={a.id} className={`${styles.alert} ${styles[a.severity] ?? ""}`} data-testid="alert-row">
          <div className={styles.head}>
            <span className={styles.severity}>{a.severity}</span>
            <strong>{a.title}</strong>
            {showNode && a.node && (
              <Link href={`/nodes/${a.node.id}`} className={styles.node}>
                {a.node.name}
              </Link>
            )}
            <span className="muted" title={formatDateTime(a.raisedAt, now)}>
              {formatAgo(a.raisedAt, now)}
            </span>
            <span className={styles.state}>
              {a.clearedAt ? (
                <span className="muted">cleared {formatAgo(a.clearedAt, now)}</span>
              ) : a.acknowledgedAt ? (
                <span className="muted">
                  acknowledged by {a.acknowledgedBy ?? "someone"} {formatAgo(a.acknowledgedAt, now)}
                </span>
              ) : canAcknowledge ? (
                <AcknowledgeButton alertId={a.id} title={a.title} />
              ) : (
                <span className={styles.open}>open</span>
              )}
            </span>
          </div>
          <AlertBody body={a.body} />
          {a.deliveries.length > 0 && (
            <ul className={styles.deliveries} aria-label="Deliveries">
              {a.deliveries.map((d) => (
                <li key={`${d.channel}:${d.target}`} className={styles[`d-${d.status}`]}>
                  {d.channel} → {d.target}: {d.status}
                  {d.attempts > 1 && ` after ${d.attempts} attempts`}
                  {d.lastError && d.status !== "delivered" && <span className="muted"> ({d.lastError})</span>}
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}
