import type { Metadata } from "next";
import Link from "next/link";
import { DataTable } from "~/components/data-table";
import { DeleteMaintenance } from "~/components/maintenance/delete-maintenance";
import { MaintenanceForm } from "~/components/maintenance/maintenance-form";
import { formatDateTime } from "~/lib/format";
import { can } from "~/lib/labels";
import { api } from "~/server/trpc";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Maintenance · Fleetwatch" };

export default async function MaintenancePage() {
  const { user, trpc } = await api();
  const windows = await trpc.maintenance.list();
  const now = new Date();
  const operator = can(user.role, "operator");
  return (
    <>
      <div className="page-head">
        <h1>Maintenance windows</h1>
        <span className="sub">A bad night inside one is kept in the history, marked, and never alerted.</span>
      </div>
      {operator && <MaintenanceForm />}
      <DataTable
        testId="maintenance-table"
        columns={[
          { label: "Name" },
          { label: "Covers" },
          { label: "When" },
          { label: "Nights suppressed" },
          { label: "Made by" },
          operator && { label: "Actions", hidden: true },
        ]}
        rows={windows}
        empty="No maintenance window is defined."
        row={(m) => (
          <tr key={m.id}>
            <td>{m.name}</td>
            <td>
              {m.scope === "fleet" ? "the whole fleet" : m.scope === "server" ? `TSM server ${m.target || "(default)"}` : null}
              {m.scope === "profile" && <Link href="/profiles">profile {m.target}</Link>}
              {m.scope === "group" && <Link href={`/nodes?group=${encodeURIComponent(m.target)}`}>{m.target.replace(":", " ")}</Link>}
              {m.scope === "node" && (m.nodeName ? <Link href={`/nodes/${m.target}`}>{m.nodeName}</Link> : "a node no longer known")}
            </td>
            <td>
              {m.cron
                ? `${m.cron} (${m.timeZone}), ${m.durationMinutes} minutes each`
                : `${formatDateTime(m.startsAt, now)} until ${formatDateTime(m.endsAt, now)}`}
            </td>
            <td>{m.suppressedNights}</td>
            <td>
              {m.createdBy ?? "–"}, {formatDateTime(m.createdAt, now)}
            </td>
            {operator && (
              <td>
                <DeleteMaintenance id={m.id} name={m.name} />
              </td>
            )}
          </tr>
        )}
      />
    </>
  );
}
