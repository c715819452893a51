import type { Metadata } from "next";
import { DataTable } from "~/components/data-table";
import { UserAccess } from "~/components/settings/admin-actions";
import { UserForm } from "~/components/settings/user-form";
import { formatDate } from "~/lib/format";
import { adminApi } from "~/server/trpc";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Users · Settings · Fleetwatch" };

const COLUMNS = [
  { label: "Email" },
  { label: "Name", className: "hide-sm" },
  { label: "Role" },
  { label: "Since" },
  { label: "Actions", hidden: true },
];

export default async function UsersSettingsPage() {
  const session = await adminApi();
  if (!session) return null;
  const users = await session.trpc.admin.users();
  return (
    <div className="stack">
      <UserForm />
      <section aria-labelledby="users-title">
        <h2 id="users-title">Users ({users.length})</h2>
        <DataTable
          columns={COLUMNS}
          rows={users}
          row={(u) => (
            <tr key={u.id} data-testid="user-row">
              <td>
                {u.email}
                {u.disabledAt && <span className="muted"> (disabled)</span>}
              </td>
              <td className="hide-sm">{u.name ?? "–"}</td>
              <td>{u.role}</td>
              <td className="nowrap">{formatDate(u.createdAt)}</td>
              <td>{u.id !== session.user.id && <UserAccess userId={u.id} email={u.email} disabled={u.disabledAt !== null} />}</td>
            </tr>
          )}
        />
      </section>
    </div>
  );
}
