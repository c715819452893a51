"use client";

import { alertSeverity } from "@fleetwatch/core/alerts";
import { conditionLabel, severityWords } from "@fleetwatch/core/words";
import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { type AlertFilters, alertKinds, alertQuery, alertStates } from "~/lib/alert-filters";
import { FilterSelect } from "../filter-select";
import styles from "./alerts.module.css";

const STATE_WORDS: Record<(typeof alertStates)[number], string> = {
  live: "open or acknowledged",
  open: "open, unacknowledged",
  acknowledged: "acknowledged",
  resolved: "resolved",
  all: "all",
};

/** Filters as a GET form: works without JavaScript; with it, a select applies at once. */
export function AlertFiltersForm({
  filters,
  assignees,
  meId,
}: {
  filters: AlertFilters;
  assignees: { id: string; email: string }[];
  meId: string;
}) {
  const router = useRouter();
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const get = (k: string) => String(data.get(k) ?? "").trim() || undefined;
    router.push(
      `/alerts${alertQuery(filters, {
        state: (get("state") as AlertFilters["state"]) ?? "live",
        severity: get("severity") as AlertFilters["severity"],
        kind: get("kind") as AlertFilters["kind"],
        server: get("server"),
        assignee: get("assignee"),
        page: 1,
      })}`,
    );
  }
  return (
    <search>
      <form action="/alerts" method="get" onSubmit={submit} className={styles.filters} aria-label="Filter alerts">
        <FilterSelect label="State" name="state" value={filters.state} options={alertStates.map((s) => [s, STATE_WORDS[s]] as const)} />
        <FilterSelect
          label="Severity"
          name="severity"
          value={filters.severity ?? ""}
          options={[["", "any"], ...alertSeverity.options.map((s) => [s, severityWords[s]] as const)]}
        />
        <FilterSelect
          label="Kind"
          name="kind"
          value={filters.kind ?? ""}
          options={[["", "any"], ...alertKinds.map((k) => [k, conditionLabel(k)] as const)]}
        />
        <label className="field">
          TSM server
          <input name="server" defaultValue={filters.server ?? ""} />
        </label>
        <FilterSelect
          label="Assignee"
          name="assignee"
          value={filters.assignee ?? ""}
          options={[
            ["", "anyone"],
            [meId, "me"],
            ["none", "nobody"],
            ...assignees.filter((u) => u.id !== meId).map((u) => [u.id, u.email] as const),
          ]}
        />
        <button type="submit" className="button small">
          Apply
        </button>
      </form>
    </search>
  );
}
