import type { Metadata } from "next";
import { UserAccess } from "~/components/settings/admin-actions";
import { UserForm } from "~/components/settings/user-form";
import { formatDate } from "~/lib/format";
import { adminApi } from "~/server/trpc";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Users · Settings · Fleetwatch" };

export default async function UsersSettingsPage() {
  const session = await adminApi();
  if (!session) return null;
  const users = await session.trpc.admin.users();
  return (
    <div className="stack">
      <UserForm />
      <section aria-labelledby="users-title">
        <h2 id="users-title">Users ({users.length})</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col" className="hide-sm">
                  Name
                </th>
                <th scope="col">Role</th>
                <th scope="col">Since</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
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
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
