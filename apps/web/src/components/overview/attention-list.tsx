import Link from "next/link";
import { FlagBadge } from "~/components/flag-badge";
import { OutcomeBadge } from "~/components/outcome-badge";
import type { Outputs } from "~/lib/api-types";
import { formatAgo, formatDateTime } from "~/lib/format";
import { causeLabel, osLabel } from "~/lib/labels";
import styles from "./attention.module.css";

type Item = Outputs["fleet"]["overview"]["attention"][number];

/** "Needs attention now": ranked by the API; each with its cause and the first thing to do. */
export function AttentionList({ items, now }: { items: Item[]; now: Date }) {
  if (items.length === 0) {
    return <p className="empty">Nothing needs you right now: no node has an open flag.</p>;
  }
  const first = items.slice(0, SHOWN);
  const rest = items.slice(SHOWN);
  return (
    <>
      <AttentionItems items={first} now={now} />
      {rest.length > 0 && (
        <details className={styles.more}>
          <summary>
            {rest.length} more {rest.length === 1 ? "node" : "nodes"} with open flags
          </summary>
          <AttentionItems items={rest} now={now} />
        </details>
      )}
    </>
  );
}

const SHOWN = 10;

function AttentionItems({ items, now }: { items: Item[]; now: Date }) {
  return (
    <ol className={styles.list}>
      {items.map((item) => (
        <li key={item.nodeId} className={styles.item} data-testid="attention-item">
          <div className={styles.who}>
            <Link href={`/nodes/${item.nodeId}`} className={styles.name}>
              {item.name}
            </Link>
            <span className="muted">{item.os ? osLabel(item.os) : ""}</span>
          </div>
          <div className={styles.what}>
            <OutcomeBadge outcome={item.outcome} />
            <strong>{causeLabel(item.cause)}</strong>
            {item.since && (
              <span className="muted" title={formatDateTime(item.since, now)}>
                since {formatAgo(item.since, now).replace(" ago", "")}
              </span>
            )}
          </div>
          <div className={styles.flags}>
            {item.flags.map((f) => (
              <FlagBadge key={f.kind} flag={f} now={now} />
            ))}
          </div>
          <p className={styles.step}>
            <span className="muted">First step: </span>
            {item.firstStep}
          </p>
        </li>
      ))}
    </ol>
  );
}
