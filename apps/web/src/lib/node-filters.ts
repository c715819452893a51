import { type NodeSortKey, nodeSortKey } from "@fleetwatch/core/fleet";
import { groupParam, parseGroupParam } from "@fleetwatch/core/groups";
import type { Inputs } from "./api-types";
import { flagKinds, outcomes } from "./labels";

export type NodeListInput = Inputs["nodes"]["list"];
export type SearchParams = Record<string, string | string[] | undefined>;

export const sortKeys = nodeSortKey.options;
export type SortKey = NodeSortKey;
export const pageSizes = [25, 50, 100, 200] as const;

// Control characters (a %00 in a hand-edited URL) are dropped like anything else the API refuses.
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.replace(/[\x00-\x1f\x7f]/g, "").trim() || undefined;

const known = new Set(["search", "flag", "outcome", "os", "server", "owner", "group", "deregistered", "sort", "dir", "page", "pageSize"]);

/**
 * The parts of a URL's query the list does not know ("flag=bogus", "colour=red"), as a person
 * reads them: the list drops them from the URL and says so, rather than ignoring them silently.
 */
export function unknownFilters(sp: SearchParams): string[] {
  const f = parseNodeFilters(sp);
  const out: string[] = [];
  for (const [key, raw] of Object.entries(sp)) {
    const v = one(raw);
    if (v === undefined) continue;
    if (!known.has(key)) out.push(`${key}=${v}`);
    else if ((key === "flag" || key === "outcome" || key === "sort") && f[key] !== v) out.push(`${key}=${v}`);
    else if (key === "dir" && v !== "asc" && v !== "desc") out.push(`${key}=${v}`);
    else if (key === "group" && !f.group) out.push(`${key}=${v}`);
    else if ((key === "page" || key === "pageSize") && String(f[key]) !== v) out.push(`${key}=${v}`);
  }
  return out;
}

/**
 * The node list's state lives in the URL (shareable, back-button friendly). Anything unknown is
 * dropped rather than sent to the API, so a hand-edited URL shows the list instead of an error
 * (`unknownFilters` names what was dropped, for the page to say so).
 */
export function parseNodeFilters(sp: SearchParams) {
  const flag = one(sp.flag);
  const outcome = one(sp.outcome);
  const sort = one(sp.sort);
  const page = Number(one(sp.page) ?? 1);
  const size = Number(one(sp.pageSize) ?? 50);
  return {
    search: one(sp.search)?.slice(0, 64),
    flag: flag && (flagKinds as readonly string[]).includes(flag) ? (flag as NonNullable<NodeListInput["flag"]>) : undefined,
    outcome:
      outcome && ([...outcomes, "none"] as string[]).includes(outcome) ? (outcome as NonNullable<NodeListInput["outcome"]>) : undefined,
    os: one(sp.os)?.slice(0, 64),
    server: one(sp.server)?.slice(0, 64),
    owner: one(sp.owner)?.slice(0, 256),
    group: parseGroupParam(one(sp.group)) ?? undefined,
    deregistered: one(sp.deregistered) === "1",
    sort: sort && (sortKeys as readonly string[]).includes(sort) ? (sort as SortKey) : "worst",
    dir: one(sp.dir) === "desc" ? ("desc" as const) : ("asc" as const),
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    pageSize: (pageSizes as readonly number[]).includes(size) ? size : 50,
  } satisfies NodeListInput;
}

export type NodeFilters = ReturnType<typeof parseNodeFilters>;

/** The query string for these filters with some changed; defaults are left out to keep URLs short. */
export function filterQuery(f: NodeFilters, change: Partial<NodeFilters> = {}): string {
  const next = { ...f, ...change };
  const q = new URLSearchParams();
  for (const key of ["search", "flag", "outcome", "os", "server", "owner"] as const) {
    const v = next[key];
    if (v) q.set(key, v);
  }
  if (next.group) q.set("group", groupParam(next.group));
  if (next.deregistered) q.set("deregistered", "1");
  if (next.sort !== "worst") q.set("sort", next.sort);
  if (next.dir !== "asc") q.set("dir", next.dir);
  if (next.page !== 1) q.set("page", String(next.page));
  if (next.pageSize !== 50) q.set("pageSize", String(next.pageSize));
  const s = q.toString();
  return s ? `?${s}` : "";
}
