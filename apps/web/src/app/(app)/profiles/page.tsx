import { policyWords, ruleLine } from "@fleetwatch/core/profiles";
import type { Metadata } from "next";
import { DataTable } from "~/components/data-table";
import { DeleteProfile } from "~/components/profiles/delete-profile";
import { ProfileForm } from "~/components/profiles/profile-form";
import { can } from "~/lib/labels";
import { api } from "~/server/trpc";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Profiles · Fleetwatch" };

export default async function ProfilesPage() {
  const { user, trpc } = await api();
  const { profiles, site } = await trpc.profiles.list();
  const admin = can(user.role, "admin");
  return (
    <>
      <div className="page-head">
        <h1>Profiles</h1>
        <span className="sub">
          Each node is judged by its profile's rules over the site's settings: by hand on its page, else by the first profile whose rule
          holds, else the default.
        </span>
      </div>
      <DataTable
        testId="profiles-table"
        columns={[{ label: "Profile" }, { label: "Nodes" }, { label: "Who is in it" }, { label: "What differs from the site's settings" }]}
        rows={profiles}
        row={(p) => (
          <tr key={p.id} data-profile={p.name}>
            <td>
              <strong>{p.name}</strong>
              {p.isDefault && <span className="muted"> (default)</span>}
              {p.description && <div className="muted">{p.description}</div>}
            </td>
            <td>{p.nodes}</td>
            <td>
              {p.rules.length === 0 ? (
                <span className="muted">{p.isDefault ? "every node no rule puts elsewhere" : "only nodes set by hand"}</span>
              ) : (
                p.rules.map((r) => (
                  <div key={ruleLine(r)}>
                    <code>{ruleLine(r)}</code>
                  </div>
                ))
              )}
            </td>
            <td>
              {policyWords(p.policy).length === 0 ? (
                <span className="muted">nothing: the site's settings</span>
              ) : (
                <ul style={{ margin: 0, paddingLeft: "1.1rem" }}>
                  {policyWords(p.policy).map((w) => (
                    <li key={w}>{w}</li>
                  ))}
                </ul>
              )}
            </td>
          </tr>
        )}
      />
      {admin ? (
        <section className="section" aria-labelledby="change-profiles">
          <h2 id="change-profiles">Change profiles</h2>
          <div style={{ display: "grid", gap: "1rem" }}>
            <ProfileForm profile={null} site={site} />
            {profiles.map((p) => (
              <details key={p.id}>
                <summary>
                  Change or delete <strong>{p.name}</strong>
                </summary>
                <ProfileForm profile={p} site={site} />
                {!p.isDefault && <DeleteProfile id={p.id} name={p.name} nodes={p.nodes} />}
              </details>
            ))}
          </div>
        </section>
      ) : (
        <p className="muted">Administrators change profiles; operators set a node's profile and exceptions on its page.</p>
      )}
    </>
  );
}
