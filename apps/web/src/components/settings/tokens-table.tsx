import type { Outputs } from "~/lib/api-types";
import { formatDateTime } from "~/lib/format";

type Token = Outputs["admin"]["enrollmentTokens"][number];

function status(t: Token, now: Date): string {
  if (t.usedAt) return `used ${formatDateTime(t.usedAt, now)}${t.agent ? ` by ${t.agent.name}` : ""}`;
  if (t.expiresAt < now) return "expired unused";
  return `valid until ${formatDateTime(t.expiresAt, now)}`;
}

/** Tokens made so far (never the token itself, which was shown once). */
export function TokensTable({ tokens, now }: { tokens: Token[]; now: Date }) {
  if (tokens.length === 0) return <p className="empty">No enrollment tokens yet.</p>;
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Note</th>
            <th scope="col">Created</th>
            <th scope="col" className="hide-sm">
              By
            </th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id}>
              <td>
                {t.note ?? <span className="muted">–</span>}
                {t.collector && <span className="badge"> collector</span>}
              </td>
              <td className="nowrap">{formatDateTime(t.createdAt, now)}</td>
              <td className="hide-sm">{t.createdBy}</td>
              <td>{status(t, now)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
