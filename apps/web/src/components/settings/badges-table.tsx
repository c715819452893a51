import type { Outputs } from "~/lib/api-types";
import { formatDateTime } from "~/lib/format";
import { RevokeBadge } from "./admin-actions";

type Badge = Outputs["admin"]["badges"][number];

function shows(b: Badge): string {
  if (b.scope === "fleet") return "the fleet";
  if (b.scope === "server") return `TSM server ${b.server || "(default)"}`;
  return b.node ? `node ${b.node.name}${b.node.server ? ` on ${b.node.server}` : ""}` : "a node since removed";
}

/** Badges made so far (never their addresses, which were shown once). */
export function BadgesTable({ badges, now }: { badges: Badge[]; now: Date }) {
  if (badges.length === 0) return <p className="empty">No badges yet.</p>;
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Shows</th>
            <th scope="col">Note</th>
            <th scope="col">Created</th>
            <th scope="col" className="hide-sm">
              By
            </th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {badges.map((b) => (
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
          ))}
        </tbody>
      </table>
    </div>
  );
}
