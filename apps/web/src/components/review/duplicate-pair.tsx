import Link from "next/link";
import { OutcomeBadge } from "~/components/outcome-badge";
import type { Outputs } from "~/lib/api-types";
import { formatAgo, formatDateTime } from "~/lib/format";
import { HistoryStrip } from "./history-strip";
import { PairActions } from "./pair-actions";
import styles from "./review.module.css";

type Pair = Outputs["fleet"]["duplicates"]["pairs"][number];
type DuplicateSide = Pair["a"];

function Side({ side, dead, nights, now }: { side: DuplicateSide; dead: boolean; nights: string[]; now: Date }) {
  return (
    <div className={`${styles.side} ${dead ? styles.dead : ""}`} data-testid={dead ? "dead-twin" : "live-twin"}>
      <div className={styles.sideHead}>
        <Link href={`/nodes/${side.id}`} className={styles.name}>
          {side.name}
        </Link>
        <OutcomeBadge outcome={side.lastOutcome} />
        {dead && <span className={styles.deadTag}>looks dead</span>}
      </div>
      <dl className={styles.facts}>
        <dt>Hostname</dt>
        <dd>{side.hostname ?? "–"}</dd>
        <dt>Last backup</dt>
        <dd title={formatDateTime(side.lastCompletedAt, now)}>{formatAgo(side.lastCompletedAt, now)}</dd>
        <dt>Last contact</dt>
        <dd title={formatDateTime(side.lastContactAt, now)} data-testid="twin-last-contact">
          {formatAgo(side.lastContactAt, now)}
        </dd>
      </dl>
      <HistoryStrip history={side.history} nights={nights} label={`${side.name}'s nights`} />
    </div>
  );
}

/** Two nodes that look like one machine, side by side, with why we think so and what to do. */
export function DuplicatePair({ pair, canAct, now }: { pair: Pair; canAct: boolean; now: Date }) {
  const nights = [...new Set([...pair.a.history, ...pair.b.history].map((h) => h.night))].sort();
  const dead = pair.deadNodeId === pair.a.id ? pair.a : pair.deadNodeId === pair.b.id ? pair.b : null;
  return (
    <article className={styles.pair} data-testid="duplicate-pair" aria-label={`${pair.a.name} and ${pair.b.name}`}>
      <div className={styles.sides}>
        <Side side={pair.a} dead={dead?.id === pair.a.id} nights={nights} now={now} />
        <Side side={pair.b} dead={dead?.id === pair.b.id} nights={nights} now={now} />
      </div>
      <div className={styles.why}>
        <h3>Why they look like one machine</h3>
        <ul>
          {pair.evidence.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      </div>
      {canAct && (
        <PairActions a={{ id: pair.a.id, name: pair.a.name }} b={{ id: pair.b.id, name: pair.b.name }} deadId={dead?.id ?? null} />
      )}
    </article>
  );
}
