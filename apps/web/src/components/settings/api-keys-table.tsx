import { DataTable } from "~/components/data-table";
import type { Outputs } from "~/lib/api-types";
import { formatAgo, formatDateTime } from "~/lib/format";
import { RevokeApiKey } from "./admin-actions";

type ApiKey = Outputs["admin"]["apiKeys"][number];

const COLUMNS = [
  { label: "Name" },
  { label: "Scope" },
  { label: "Key" },
  { label: "Last used" },
  { label: "Made", className: "hide-sm" },
  { label: "Expires" },
  { label: "Actions", hidden: true },
];

const SCOPE_WORDS: Record<ApiKey["scope"], string> = { read: "read-only", write: "read-write", admin: "admin" };

/** The site's API keys: who made each, what it may do, when it was last used; revoke stops it at once. */
export function ApiKeysTable({ keys, now }: { keys: ApiKey[]; now: Date }) {
  return (
    <DataTable
      columns={COLUMNS}
      rows={keys}
      empty="No API keys yet."
      row={(k) => {
        const expired = k.expiresAt !== null && new Date(k.expiresAt) <= now;
        return (
          <tr key={k.id}>
            <td>
              {k.name}
              {k.revokedAt && <div className="form-error">revoked {formatDateTime(k.revokedAt, now)}</div>}
              {!k.revokedAt && expired && <div className="form-error">expired</div>}
            </td>
            <td>{SCOPE_WORDS[k.scope]}</td>
            <td>
              <code>{k.prefix}…</code>
            </td>
            <td className="nowrap" title={formatDateTime(k.lastUsedAt, now)}>
              {k.lastUsedAt ? formatAgo(k.lastUsedAt, now) : "never"}
            </td>
            <td className="nowrap hide-sm">
              {formatDateTime(k.createdAt, now)} by {k.createdBy}
            </td>
            <td className="nowrap">{k.expiresAt ? formatDateTime(k.expiresAt, now) : "never"}</td>
            <td className="nowrap">{!k.revokedAt && <RevokeApiKey keyId={k.id} name={k.name} />}</td>
          </tr>
        );
      }}
    />
  );
}
