import Link from "next/link";
import { FlagList } from "~/components/flag-badge";
import groupStyles from "~/components/groups/groups.module.css";
import { SelectAll, TAG_FORM } from "~/components/groups/tag-selected";
import { OutcomeBadge } from "~/components/outcome-badge";
import type { Outputs } from "~/lib/api-types";
import { formatAgo, formatDateTime } from "~/lib/format";
import { causeLabel, osLabel } from "~/lib/labels";
import type { NodeFilters } from "~/lib/node-filters";
import styles from "./nodes.module.css";
import { SortHeader } from "./sort-header";

type Row = Outputs["nodes"]["list"]["rows"][number];

const Count = ({ n, testId }: { n: number; testId: string }) => (
  <td className="num hide-sm" data-testid={testId}>
    {n || <span className="muted">0</span>}
  </td>
);

/**
 * One row per node: last outcome and cause, when it last backed up and called in, missed and failed
 * nights both in a row (now) and in the last 30 (how often), flags.
 */
export function NodeTable({
  rows,
  filters,
  now,
  recentNights,
  selectable = false,
}: {
  rows: Row[];
  filters: NodeFilters;
  now: Date;
  recentNights: number;
  /** Staff tick rows to tag them (the boxes belong to the TagSelected form). */
  selectable?: boolean;
}) {
  const recent = `last ${recentNights}`;
  return (
    <div className="table-wrap">
      <table className={styles.table}>
        <thead>
          <tr>
            {selectable && (
              <th scope="col" rowSpan={2}>
                <SelectAll />
              </th>
            )}
            <SortHeader label="Node" sortKey="name" filters={filters} rowSpan={2} />
            <SortHeader label="Last outcome" sortKey="lastOutcome" filters={filters} rowSpan={2} />
            <SortHeader label="Last backup" sortKey="lastCompletedAt" filters={filters} rowSpan={2} />
            <SortHeader label="Last contact" sortKey="lastContactAt" filters={filters} className="hide-sm" rowSpan={2} />
            <th scope="colgroup" colSpan={2} className={`hide-sm ${styles.group}`}>
              Missed nights
            </th>
            <th scope="colgroup" colSpan={2} className={`hide-sm ${styles.group}`}>
              Failed nights
            </th>
            <th scope="col" rowSpan={2}>
              Flags
            </th>
            <th scope="col" className="hide-sm" rowSpan={2}>
              OS · server
            </th>
          </tr>
          <tr>
            <SortHeader
              label="in a row"
              sortKey="missedStreak"
              filters={filters}
              className="hide-sm"
              title="Missed nights in a row, up to now"
            />
            <SortHeader
              label={recent}
              sortKey="missed30"
              filters={filters}
              className="hide-sm"
              title={`Missed nights in the last ${recentNights}`}
            />
            <SortHeader
              label="in a row"
              sortKey="failedStreak"
              filters={filters}
              className="hide-sm"
              title="Failed nights in a row, up to now"
            />
            <SortHeader
              label={recent}
              sortKey="failed30"
              filters={filters}
              className="hide-sm"
              title={`Failed nights in the last ${recentNights}`}
            />
          </tr>
        </thead>
        <tbody>
          {rows.map((n) => (
            <tr key={n.id} data-testid="node-row">
              {selectable && (
                <td>
                  <input type="checkbox" name="nodeId" value={n.id} form={TAG_FORM} aria-label={`Tick ${n.name}`} />
                </td>
              )}
              <td className="row-link">
                <Link href={`/nodes/${n.id}`}>{n.name}</Link>
                {n.hostname && <div className="muted">{n.hostname}</div>}
                {n.tags.length > 0 && (
                  <div className={groupStyles.tags} data-testid="row-tags">
                    {n.tags.map((t) => (
                      <span key={t} className={groupStyles.tag}>
                        {t}
                      </span>
                    ))}
                  </div>
                )}
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
              <Count n={n.missedStreak} testId="missed-streak" />
              <Count n={n.missed30} testId="missed-30" />
              <Count n={n.failedStreak} testId="failed-streak" />
              <Count n={n.failed30} testId="failed-30" />
              <td>
                <FlagList flags={n.flags} now={now} />
              </td>
              <td className="hide-sm">
                <span data-testid="node-os" title={n.os ?? undefined}>
                  {n.os ? osLabel(n.os) : "–"}
                </span>
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
