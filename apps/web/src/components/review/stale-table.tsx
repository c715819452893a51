import Link from "next/link";
import { DataTable } from "~/components/data-table";
import type { Outputs } from "~/lib/api-types";
import { formatDateTime } from "~/lib/format";
import { DeregisterButton } from "./deregister-button";

type Row = Outputs["fleet"]["stale"]["rows"][number];

/** Nodes nobody has heard from for the stale period: the seed's site removes them after ten weeks. */
export function StaleTable({ rows, canAct, now }: { rows: Row[]; canAct: boolean; now: Date }) {
  return (
    <DataTable
      columns={[
        { label: "Node" },
        { label: "Hostname" },
        { label: "Last contact" },
        { label: "Days silent", className: "num" },
        canAct && { label: "Actions", hidden: true },
      ]}
      rows={rows}
      row={(r) => (
        <tr key={r.nodeId} data-testid="stale-row">
          <td className="row-link">
            <Link href={`/nodes/${r.nodeId}`}>{r.name}</Link>
          </td>
          <td>{r.hostname ?? "–"}</td>
          <td className="nowrap">{r.lastContactAt ? formatDateTime(r.lastContactAt, now) : "never"}</td>
          <td className="num">{r.daysSinceContact}</td>
          {canAct && (
            <td className="num">
              <DeregisterButton nodeId={r.nodeId} name={r.name} />
            </td>
          )}
        </tr>
      )}
    />
  );
}
