import type { Metadata } from "next";
import { ScopeBar } from "~/components/groups/scope-bar";
import { ScopeLabel } from "~/components/groups/scope-label";
import { TagSelected } from "~/components/groups/tag-selected";
import { DroppedFilters } from "~/components/nodes/dropped-filters";
import { NodeFilters } from "~/components/nodes/node-filters";
import { NodeTable } from "~/components/nodes/node-table";
import { Pagination } from "~/components/pagination";
import { formatCount } from "~/lib/format";
import { can } from "~/lib/labels";
import { filterQuery, parseNodeFilters, type SearchParams, unknownFilters } from "~/lib/node-filters";
import { api } from "~/server/trpc";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Nodes · Fleetwatch" };

export default async function NodesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const filters = parseNodeFilters(params);
  const dropped = unknownFilters(params);
  const { trpc, user } = await api();
  const staff = can(user.role, "operator");
  const [list, groups, views, tags] = await Promise.all([
    trpc.nodes.list(filters),
    trpc.groups.list(),
    trpc.views.list(),
    staff ? trpc.groups.tags() : [],
  ]);
  const path = `/nodes${filterQuery(filters)}`;
  const now = new Date();
  const exportHref = `/nodes/export.csv${filterQuery({ ...filters, page: 1 })}`;
  return (
    <>
      <div className="page-head">
        <h1>{filters.deregistered ? "Deregistered nodes" : "Nodes"}</h1>
        {filters.group && <ScopeLabel scope={filters.group} clearHref={`/nodes${filterQuery(filters, { group: undefined, page: 1 })}`} />}
        <span className="sub" data-testid="node-total">
          {formatCount(list.total)} {list.total === 1 ? "node matches" : "nodes match"}
        </span>
        <div className="actions">
          <a href={exportHref} className="button" download>
            Export CSV
          </a>
        </div>
      </div>
      {dropped.length > 0 && <DroppedFilters dropped={dropped} cleanHref={`/nodes${filterQuery(filters)}`} />}
      <ScopeBar
        groups={groups}
        scope={filters.group}
        hrefFor={(group) => `/nodes${filterQuery(filters, { group, page: 1 })}`}
        path={path}
        views={views}
      />
      <NodeFilters key={filterQuery(filters)} filters={filters} />
      {staff && list.rows.length > 0 && <TagSelected tags={tags} />}
      {list.rows.length === 0 ? (
        <p className="empty">
          {list.total === 0 && filterQuery({ ...filters, sort: "worst", dir: "asc", page: 1, pageSize: 50 }) === ""
            ? "No nodes yet: enroll an agent and its nodes appear after the first report."
            : "No node matches these filters."}
        </p>
      ) : (
        <>
          <NodeTable rows={list.rows} filters={filters} now={now} recentNights={list.recentNights} selectable={staff} />
          <Pagination
            total={list.total}
            page={list.page}
            pageSize={list.pageSize}
            noun="nodes"
            href={(page) => `/nodes${filterQuery(filters, { page })}`}
          />
        </>
      )}
    </>
  );
}
