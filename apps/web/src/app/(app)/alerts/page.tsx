import type { Metadata } from "next";
import { AlertFiltersForm } from "~/components/alerts/alert-filters-form";
import { AlertList } from "~/components/alerts/alert-list";
import { Pagination } from "~/components/pagination";
import { ReplaceUrl } from "~/components/replace-url";
import { alertListInput, alertQuery, parseAlertFilters } from "~/lib/alert-filters";
import { can } from "~/lib/labels";
import type { SearchParams } from "~/lib/node-filters";
import { api } from "~/server/trpc";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Alerts · Fleetwatch" };

const PAGE_SIZE = 50;

const EMPTY: Record<string, string> = {
  live: "No open alerts: every problem raised has cleared or been resolved.",
  open: "Every open alert is acknowledged.",
  acknowledged: "No acknowledged alert.",
  resolved: "No resolved alert.",
  all: "No alerts have been raised yet.",
};

export default async function AlertsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const filters = parseAlertFilters(await searchParams);
  const { user, trpc } = await api();
  const [alerts, counts, assignees] = await Promise.all([
    trpc.alerts.list(alertListInput(filters, PAGE_SIZE)),
    trpc.alerts.counts(),
    trpc.alerts.assignees(),
  ]);
  const now = new Date();
  const operator = can(user.role, "operator");
  const filtered = alertQuery({ ...filters, page: 1 }) !== "";
  return (
    <>
      {filters.dropped.length > 0 && <ReplaceUrl href={`/alerts${alertQuery(filters)}`} />}
      <div className="page-head">
        <h1>Alerts</h1>
        <span className="sub" data-testid="alert-counts">
          {counts.live} open · {counts.unacknowledged} unacknowledged
          {counts.critical > 0 && ` · ${counts.critical} critical`}
        </span>
      </div>
      {filters.dropped.length > 0 && (
        <p className="form-error" role="status">
          Ignored an unknown filter: {filters.dropped.join(", ")}.
        </p>
      )}
      <AlertFiltersForm key={alertQuery(filters)} filters={filters} assignees={assignees} meId={user.id} />
      {alerts.rows.length === 0 ? (
        <p className="empty">
          {filtered && filters.state === "live" ? "No alert matches these filters." : (EMPTY[filters.state] ?? EMPTY.all)}
        </p>
      ) : (
        <>
          <p className="muted" aria-live="polite">
            {alerts.total} {alerts.total === 1 ? "alert" : "alerts"}, worst first
          </p>
          <AlertList alerts={alerts.rows} operator={operator} assignees={assignees} now={now} />
          <Pagination
            total={alerts.total}
            page={alerts.page}
            pageSize={alerts.pageSize}
            noun="alerts"
            href={(page) => `/alerts${alertQuery(filters, { page })}`}
          />
        </>
      )}
    </>
  );
}
