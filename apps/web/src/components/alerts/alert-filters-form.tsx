"use client";

import { alertSeverity } from "@fleetwatch/core/alerts";
import { conditionLabel, severityWords } from "@fleetwatch/core/words";
import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { type AlertFilters, alertKinds, alertQuery, alertStates } from "~/lib/alert-filters";
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
  const apply = (event: { currentTarget: HTMLSelectElement | HTMLInputElement }) => event.currentTarget.form?.requestSubmit();
  return (
    <search>
      <form action="/alerts" method="get" onSubmit={submit} className={styles.filters} aria-label="Filter alerts">
        <label className="field">
          State
          <select name="state" defaultValue={filters.state} onChange={apply}>
            {alertStates.map((s) => (
              <option key={s} value={s}>
                {STATE_WORDS[s]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Severity
          <select name="severity" defaultValue={filters.severity ?? ""} onChange={apply}>
            <option value="">any</option>
            {alertSeverity.options.map((s) => (
              <option key={s} value={s}>
                {severityWords[s]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Kind
          <select name="kind" defaultValue={filters.kind ?? ""} onChange={apply}>
            <option value="">any</option>
            {alertKinds.map((k) => (
              <option key={k} value={k}>
                {conditionLabel(k)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          TSM server
          <input name="server" defaultValue={filters.server ?? ""} />
        </label>
        <label className="field">
          Assignee
          <select name="assignee" defaultValue={filters.assignee ?? ""} onChange={apply}>
            <option value="">anyone</option>
            <option value={meId}>me</option>
            <option value="none">nobody</option>
            {assignees
              .filter((u) => u.id !== meId)
              .map((u) => (
                <option key={u.id} value={u.id}>
                  {u.email}
                </option>
              ))}
          </select>
        </label>
        <button type="submit" className="button small">
          Apply
        </button>
      </form>
    </search>
  );
}
