import Link from "next/link";
import { FlagList } from "~/components/flag-badge";
import { OutcomeBadge } from "~/components/outcome-badge";
import type { Outputs } from "~/lib/api-types";
import { formatAgo, formatDateTime } from "~/lib/format";
import { causeLabel } from "~/lib/labels";
import type { NodeFilters } from "~/lib/node-filters";
import styles from "./nodes.module.css";
import { SortHeader } from "./sort-header";

type Row = Outputs["nodes"]["list"]["rows"][number];

/** One row per node: last outcome and cause, when it last backed up and called in, streaks, flags. */
export function NodeTable({ rows, filters, now }: { rows: Row[]; filters: NodeFilters; now: Date }) {
  return (
    <div className="table-wrap">
      <table className={styles.table}>
        <thead>
          <tr>
            <SortHeader label="Node" sortKey="name" filters={filters} />
            <SortHeader label="Last outcome" sortKey="lastOutcome" filters={filters} />
            <SortHeader label="Last backup" sortKey="lastCompletedAt" filters={filters} />
            <SortHeader label="Last contact" sortKey="lastContactAt" filters={filters} className="hide-sm" />
            <SortHeader label="Missed" sortKey="missedStreak" filters={filters} className="hide-sm" />
            <SortHeader label="Failed" sortKey="failedStreak" filters={filters} className="hide-sm" />
            <th scope="col">Flags</th>
            <th scope="col" className="hide-sm">
              OS · server
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((n) => (
            <tr key={n.id} data-testid="node-row">
              <td className="row-link">
                <Link href={`/nodes/${n.id}`}>{n.name}</Link>
                {n.hostname && <div className="muted">{n.hostname}</div>}
              </td>
              <td>
                <OutcomeBadge outcome={n.lastOutcome} />
                {n.lastCause && <div className={styles.cause}>{causeLabel(n.lastCause)}</div>}
              </td>
              <td className="nowrap" title={formatDateTime(n.lastCompletedAt, now)}>
                {formatAgo(n.lastCompletedAt, now)}
              </td>
              <td className="nowrap hide-sm" title={formatDateTime(n.lastContactAt, now)}>
                {formatAgo(n.lastContactAt, now)}
              </td>
              <td className="num hide-sm">{n.missedStreak || <span className="muted">0</span>}</td>
              <td className="num hide-sm">{n.failedStreak || <span className="muted">0</span>}</td>
              <td>
                <FlagList flags={n.flags} now={now} />
              </td>
              <td className="hide-sm">
                {n.os ?? "–"}
                {n.server && <div className="muted">{n.server}</div>}
                {n.deregisteredAt && <div className="muted">deregistered {formatAgo(n.deregisteredAt, now)}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
