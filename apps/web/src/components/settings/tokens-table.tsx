import { DataTable } from "~/components/data-table";
import type { Outputs } from "~/lib/api-types";
import { formatDateTime } from "~/lib/format";

type Token = Outputs["admin"]["enrollmentTokens"][number];

const COLUMNS = [{ label: "Note" }, { label: "Created" }, { label: "By", className: "hide-sm" }, { label: "Status" }];

function status(t: Token, now: Date): string {
  if (t.usedAt) return `used ${formatDateTime(t.usedAt, now)}${t.agent ? ` by ${t.agent.name}` : ""}`;
  if (t.expiresAt < now) return "expired unused";
  return `valid until ${formatDateTime(t.expiresAt, now)}`;
}

/** Tokens made so far (never the token itself, which was shown once). */
export function TokensTable({ tokens, now }: { tokens: Token[]; now: Date }) {
  return (
    <DataTable
      columns={COLUMNS}
      rows={tokens}
      empty="No enrollment tokens yet."
      row={(t) => (
        <tr key={t.id}>
          <td>
            {t.note ?? <span className="muted">–</span>}
            {t.collector && <span className="badge"> collector</span>}
          </td>
          <td className="nowrap">{formatDateTime(t.createdAt, now)}</td>
          <td className="hide-sm">{t.createdBy}</td>
          <td>{status(t, now)}</td>
        </tr>
      )}
    />
  );
}
