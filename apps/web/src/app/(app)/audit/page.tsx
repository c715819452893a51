import type { Metadata } from "next";
import { AuditTable } from "~/components/audit/audit-table";
import { Pagination } from "~/components/pagination";
import { can } from "~/lib/labels";
import { api } from "~/server/trpc";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Audit log · Fleetwatch" };

const PAGE_SIZE = 50;

export default async function AuditPage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  const page = Math.max(1, Number.parseInt((await searchParams).page ?? "1", 10) || 1);
  const { user, trpc } = await api();
  if (!can(user.role, "admin")) {
    return (
      <>
        <div className="page-head">
          <h1>Audit log</h1>
        </div>
        <p className="empty">Only administrators can read the audit log.</p>
      </>
    );
  }
  const log = await trpc.admin.auditLog({ page, pageSize: PAGE_SIZE });
  const now = new Date();
  return (
    <>
      <div className="page-head">
        <h1>Audit log</h1>
        <span className="sub">{log.total} entries</span>
      </div>
      {log.rows.length === 0 ? (
        <p className="empty">Nothing recorded yet: deregistrations, restores, acknowledgements and setting changes appear here.</p>
      ) : (
        <>
          <AuditTable rows={log.rows} now={now} />
          <Pagination
            total={log.total}
            page={log.page}
            pageSize={log.pageSize}
            noun="entries"
            href={(p) => (p > 1 ? `/audit?page=${p}` : "/audit")}
          />
        </>
      )}
    </>
  );
}
