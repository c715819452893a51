import Link from "next/link";
import { DataTable } from "~/components/data-table";
import type { Outputs } from "~/lib/api-types";
import { formatAgo, formatDateTime } from "~/lib/format";
import { RevokeAgent, UnbindAgent } from "./admin-actions";

type Agent = Outputs["admin"]["agents"][number];

const COLUMNS = [
  { label: "Agent" },
  { label: "Machine", className: "hide-sm" },
  { label: "Nodes" },
  { label: "Last seen" },
  { label: "Enrolled", className: "hide-sm" },
  { label: "Actions", hidden: true },
];

/** Enrolled agents: which machine, which nodes it reports for, when it last called in. */
export function AgentsTable({ agents, now }: { agents: Agent[]; now: Date }) {
  return (
    <DataTable
      columns={COLUMNS}
      rows={agents}
      empty="No agents enrolled yet. Create a token above and enroll the first one."
      row={(a) => (
        <tr key={a.id}>
          <td>
            {a.name}
            {a.collector && (
              <span className="badge" title="Ships the TSM server's records (dsmadmc)">
                {" "}
                collector
              </span>
            )}
            {a.revokedAt && <div className="form-error">revoked {formatDateTime(a.revokedAt, now)}</div>}
            {a.rejectedRecords > 0 && (
              <div className="form-error" title={a.lastRejected?.reason}>
                {a.rejectedRecords === 1 ? "1 rejected record" : `${a.rejectedRecords} rejected records`}
                {a.lastRejected &&
                  `, the newest ${formatAgo(a.lastRejected.at, now)}${a.lastRejected.node ? ` for ${a.lastRejected.node}` : ""}: ${a.lastRejected.reason}`}
              </div>
            )}
          </td>
          <td className="hide-sm">
            {a.machine
              ? [a.machine.hostname, a.machine.os, a.machine.clientVersion && `TSM ${a.machine.clientVersion}`].filter(Boolean).join(" · ")
              : "–"}
          </td>
          <td>
            {a.machine?.nodes.length
              ? a.machine.nodes.map((n, i) => (
                  <span key={n.id}>
                    {i > 0 && ", "}
                    <Link href={`/nodes/${n.id}`}>{n.name}</Link>
                  </span>
                ))
              : "–"}
          </td>
          <td className="nowrap" title={formatDateTime(a.lastSeenAt, now)}>
            {formatAgo(a.lastSeenAt, now)}
          </td>
          <td className="nowrap hide-sm">{formatDateTime(a.createdAt, now)}</td>
          <td className="nowrap">
            {!a.revokedAt && <RevokeAgent agentId={a.id} name={a.name} />}
            {!a.revokedAt && a.machine && <UnbindAgent agentId={a.id} name={a.name} />}
          </td>
        </tr>
      )}
    />
  );
}
