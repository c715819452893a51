import Link from "next/link";
import { DataTable } from "~/components/data-table";
import type { Outputs } from "~/lib/api-types";
import { formatDateTime } from "~/lib/format";

type Row = Outputs["admin"]["auditLog"]["rows"][number];

const actions: Record<string, string> = {
  "node.deregister": "deregistered a node",
  "node.restore": "restored a node",
  "node.request-unlock": "requested an unlock",
  "alert.acknowledge": "acknowledged an alert",
  "settings.update": "changed settings",
  "user.create": "created a user",
  "enrollment-token.create": "made an enrollment token",
  "agent.enroll": "enrolled (an agent)",
  "agent.revoke": "revoked an agent",
  "agent.unbind": "freed an agent from its machine",
};

const COLUMNS = ["When", "Who", "Did", "To", "Reason", "Change"].map((label) => ({ label }));

/** A change's values before and after, when the line records them. */
function Change({ detail }: { detail: unknown }) {
  if (!detail || typeof detail !== "object" || !("after" in detail)) return <span className="muted">–</span>;
  const d = detail as { before?: unknown; after?: unknown };
  const show = (v: unknown) => (v === null || v === undefined ? "nothing" : JSON.stringify(v, null, 1));
  return (
    <details>
      <summary>before → after</summary>
      <pre className="mono" data-testid="audit-change">
        {`before: ${show(d.before)}\nafter: ${show(d.after)}`}
      </pre>
    </details>
  );
}

function detailName(detail: unknown): string | null {
  if (detail && typeof detail === "object") {
    const d = detail as Record<string, unknown>;
    for (const key of ["name", "title", "email"]) if (typeof d[key] === "string") return d[key] as string;
  }
  return null;
}

function Target({ row }: { row: Row }) {
  const name = detailName(row.detail) ?? row.targetId ?? "";
  if (row.targetType === "node" && row.targetId) return <Link href={`/nodes/${row.targetId}`}>{name}</Link>;
  return <>{name || <span className="muted">{row.targetType}</span>}</>;
}

/** Who did what to which node, when and why: every action people take, newest first. */
export function AuditTable({ rows, now }: { rows: Row[]; now: Date }) {
  return (
    <DataTable
      columns={COLUMNS}
      rows={rows}
      row={(r) => (
        <tr key={r.id} data-testid="audit-row" data-action={r.action}>
          <td className="nowrap">{formatDateTime(r.at, now)}</td>
          <td>{r.actorLabel}</td>
          <td title={r.action}>{actions[r.action] ?? r.action}</td>
          <td>
            <Target row={r} />
          </td>
          <td>{r.reason ?? <span className="muted">–</span>}</td>
          <td>
            <Change detail={r.detail} />
          </td>
        </tr>
      )}
    />
  );
}
