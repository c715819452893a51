import { DataTable } from "~/components/data-table";
import type { Outputs } from "~/lib/api-types";
import { formatDateTime } from "~/lib/format";
import { RevokeBadge } from "./admin-actions";

type Badge = Outputs["admin"]["badges"][number];

const COLUMNS = [{ label: "Shows" }, { label: "Note" }, { label: "Created" }, { label: "By", className: "hide-sm" }, { label: "Status" }];

function shows(b: Badge): string {
  if (b.scope === "fleet") return "the fleet";
  if (b.scope === "server") return `TSM server ${b.server || "(default)"}`;
  return b.node ? `node ${b.node.name}${b.node.server ? ` on ${b.node.server}` : ""}` : "a node since removed";
}

/** Badges made so far (never their addresses, which were shown once). */
export function BadgesTable({ badges, now }: { badges: Badge[]; now: Date }) {
  return (
    <DataTable
      columns={COLUMNS}
      rows={badges}
      empty="No badges yet."
      row={(b) => (
        <tr key={b.id}>
          <td>{shows(b)}</td>
          <td>{b.note ?? <span className="muted">–</span>}</td>
          <td className="nowrap">{formatDateTime(b.createdAt, now)}</td>
          <td className="hide-sm">{b.createdBy}</td>
          <td>
            {b.revokedAt ? (
              `revoked ${formatDateTime(b.revokedAt, now)}${b.revokedBy ? ` by ${b.revokedBy}` : ""}`
            ) : (
              <RevokeBadge badgeId={b.id} shows={shows(b)} />
            )}
          </td>
        </tr>
      )}
    />
  );
}
