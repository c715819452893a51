import type { Metadata } from "next";
import Link from "next/link";
import { AlertList } from "~/components/alerts/alert-list";
import { Pagination } from "~/components/pagination";
import { can } from "~/lib/labels";
import { api } from "~/server/trpc";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Alerts · Fleetwatch" };

const PAGE_SIZE = 50;

export default async function AlertsPage({ searchParams }: { searchParams: Promise<{ status?: string; page?: string }> }) {
  const sp = await searchParams;
  const status = sp.status === "all" ? "all" : "open";
  const page = Math.max(1, Number.parseInt(sp.page ?? "1", 10) || 1);
  const { user, trpc } = await api();
  const alerts = await trpc.alerts.list({ status, page, pageSize: PAGE_SIZE });
  const now = new Date();
  const href = (p: number) =>
    `/alerts?${new URLSearchParams({ ...(status === "all" ? { status } : {}), ...(p > 1 ? { page: String(p) } : {}) })}`;
  return (
    <>
      <div className="page-head">
        <h1>Alerts</h1>
        <span className="sub">
          {alerts.total} {status === "open" ? "open" : "in all"}
        </span>
        <nav aria-label="Which alerts" className="segmented actions">
          <Link href="/alerts" aria-current={status === "open" ? "page" : undefined}>
            Open
          </Link>
          <Link href="/alerts?status=all" aria-current={status === "all" ? "page" : undefined}>
            All
          </Link>
        </nav>
      </div>
      {alerts.rows.length === 0 ? (
        <p className="empty">
          {status === "open" ? "No open alerts. Everything that was raised has cleared." : "No alerts have been raised yet."}
        </p>
      ) : (
        <>
          <AlertList alerts={alerts.rows} canAcknowledge={can(user.role, "operator")} now={now} />
          <Pagination total={alerts.total} page={alerts.page} pageSize={alerts.pageSize} noun="alerts" href={href} />
        </>
      )}
    </>
  );
}
