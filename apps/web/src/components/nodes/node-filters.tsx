"use client";

import { groupParam } from "@fleetwatch/core/groups";
import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { flagKinds, flagLabel, outcomeLabel, outcomes } from "~/lib/labels";
import { type NodeFilters as Filters, pageSizes } from "~/lib/node-filters";
import { FilterSelect } from "../filter-select";
import styles from "./nodes.module.css";

/**
 * Filters as a GET form: it works without JavaScript, and with it the URL is built without empty
 * fields and a select applies at once. Changing a filter goes back to page 1.
 */
export function NodeFilters({ filters }: { filters: Filters }) {
  const router = useRouter();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const q = new URLSearchParams();
    for (const [key, value] of new FormData(event.currentTarget)) {
      const v = String(value).trim();
      if (v && !(key === "sort" && v === "worst") && !(key === "dir" && v === "asc") && !(key === "pageSize" && v === "50")) q.set(key, v);
    }
    const s = q.toString();
    router.push(s ? `/nodes?${s}` : "/nodes");
  }

  const apply = (event: { currentTarget: HTMLSelectElement | HTMLInputElement }) => event.currentTarget.form?.requestSubmit();

  return (
    <search>
      <form action="/nodes" method="get" onSubmit={submit} className={styles.filters} aria-label="Filter nodes">
        <label className={`field ${styles.search}`}>
          Search by name
          <input type="search" name="search" defaultValue={filters.search ?? ""} placeholder="e.g. ENG-PC" />
        </label>
        <FilterSelect
          label="Flag"
          name="flag"
          value={filters.flag ?? ""}
          options={[["", "any"], ...flagKinds.map((k) => [k, flagLabel(k)] as const)]}
        />
        <FilterSelect
          label="Last outcome"
          name="outcome"
          value={filters.outcome ?? ""}
          options={[["", "any"], ...[...outcomes, "none" as const].map((o) => [o, outcomeLabel(o === "none" ? null : o)] as const)]}
        />
        <label className="field">
          OS
          <input name="os" defaultValue={filters.os ?? ""} placeholder="windows, linux…" />
        </label>
        <label className="field">
          TSM server
          <input name="server" defaultValue={filters.server ?? ""} />
        </label>
        <label className="field">
          Owner
          <input name="owner" defaultValue={filters.owner ?? ""} />
        </label>
        {filters.group && <input type="hidden" name="group" value={groupParam(filters.group)} />}
        <input type="hidden" name="sort" value={filters.sort} />
        <input type="hidden" name="dir" value={filters.dir} />
        <FilterSelect
          label="Per page"
          name="pageSize"
          value={String(filters.pageSize)}
          options={pageSizes.map((n) => [String(n), String(n)] as const)}
        />
        <label className={styles.check}>
          <input type="checkbox" name="deregistered" value="1" defaultChecked={filters.deregistered} onChange={apply} />
          Deregistered nodes
        </label>
        <div className={styles.buttons}>
          <button type="submit" className="button primary">
            Apply
          </button>
          <a href="/nodes" className="button">
            Clear
          </a>
        </div>
      </form>
    </search>
  );
}
