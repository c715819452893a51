import Link from "next/link";
import { filterQuery, type NodeFilters, type SortKey } from "~/lib/node-filters";

/** A column header that sorts by its key; a second click reverses the order. */
export function SortHeader({
  label,
  sortKey,
  filters,
  className,
  rowSpan,
  title,
}: {
  label: string;
  sortKey: SortKey;
  filters: NodeFilters;
  className?: string;
  rowSpan?: number;
  title?: string;
}) {
  const active = filters.sort === sortKey;
  const dir = active && filters.dir === "asc" ? "desc" : "asc";
  return (
    <th
      scope="col"
      className={className}
      rowSpan={rowSpan}
      title={title}
      aria-sort={active ? (filters.dir === "asc" ? "ascending" : "descending") : undefined}
    >
      <Link href={`/nodes${filterQuery(filters, { sort: sortKey, dir, page: 1 })}`} scroll={false}>
        {label}
        <span aria-hidden="true">{active ? (filters.dir === "asc" ? " ▲" : " ▼") : ""}</span>
        <span className="visually-hidden">{active ? "" : ", sort"}</span>
      </Link>
    </th>
  );
}
