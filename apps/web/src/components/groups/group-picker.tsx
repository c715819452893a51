"use client";

import { useRouter } from "next/navigation";
import type { Outputs } from "~/lib/api-types";
import styles from "./groups.module.css";

type Group = Outputs["groups"]["list"][number];
const kindLabel: Record<Group["kind"], string> = {
  department: "Departments",
  contact: "Owners / contacts",
  server: "TSM servers",
  profile: "Profiles",
  tag: "Tags",
};

/** "CHEM · 5 nodes: 4 protected, 1 at risk, 2 failing": a group's size and health in the overview's terms. */
export function groupSummary(g: Group): string {
  const h = g.health;
  return `${g.value} · ${h.nodes} ${h.nodes === 1 ? "node" : "nodes"}: ${h.protected} protected, ${h.atRisk} at risk, ${h.failing} failing`;
}

/**
 * Scope the page to one group. Each option is the page's own URL with that group (the server
 * builds them, keeping the other filters), so the scope is in the address and a link shares it.
 */
export function GroupPicker({
  groups,
  current,
  hrefs,
  clearHref,
}: {
  groups: Group[];
  current: string;
  hrefs: Record<string, string>;
  clearHref: string;
}) {
  const router = useRouter();
  const kinds = [...new Set(groups.map((g) => g.kind))];
  return (
    <label className={`field ${styles.picker}`}>
      Group
      <select
        data-testid="group-picker"
        value={current}
        onChange={(e) => router.push(e.currentTarget.value ? (hrefs[e.currentTarget.value] ?? clearHref) : clearHref)}
      >
        <option value="">the whole fleet</option>
        {kinds.map((kind) => (
          <optgroup key={kind} label={kindLabel[kind]}>
            {groups
              .filter((g) => g.kind === kind)
              .map((g) => (
                <option key={`${g.kind}:${g.value}`} value={`${g.kind}:${g.value}`}>
                  {groupSummary(g)}
                </option>
              ))}
          </optgroup>
        ))}
      </select>
    </label>
  );
}
