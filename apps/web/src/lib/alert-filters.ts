import { alertCondition, alertSeverity } from "@fleetwatch/core/alerts";
import type { Inputs } from "./api-types";
import type { SearchParams } from "./node-filters";

export type AlertListInput = Inputs["alerts"]["list"];

export const alertStates = ["live", "open", "acknowledged", "resolved", "all"] as const;
export type AlertStateFilter = (typeof alertStates)[number];
export const alertKinds = [...alertCondition.options, "incident", "unlock-request"] as const;

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.replace(/[\x00-\x1f\x7f]/g, "").trim() || undefined;
const pick = <T extends string>(v: string | undefined, allowed: readonly T[]): T | undefined =>
  v && (allowed as readonly string[]).includes(v) ? (v as T) : undefined;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The alert list's state lives in the URL. Anything unknown is dropped rather than sent to the API;
 * `dropped` names it so the page can say so.
 */
export function parseAlertFilters(sp: SearchParams) {
  const raw = { state: one(sp.state), severity: one(sp.severity), kind: one(sp.kind), assignee: one(sp.assignee) };
  const state = pick(raw.state, alertStates) ?? "live";
  const severity = pick(raw.severity, alertSeverity.options);
  const kind = pick(raw.kind, alertKinds);
  const assignee = raw.assignee === "none" || (raw.assignee && UUID.test(raw.assignee)) ? raw.assignee : undefined;
  const page = Number(one(sp.page) ?? 1);
  const dropped = [
    raw.state && !pick(raw.state, alertStates) ? `state "${raw.state}"` : null,
    raw.severity && !severity ? `severity "${raw.severity}"` : null,
    raw.kind && !kind ? `kind "${raw.kind}"` : null,
    raw.assignee && !assignee ? `assignee "${raw.assignee}"` : null,
  ].filter((d): d is string => d !== null);
  return {
    state,
    severity,
    kind,
    server: one(sp.server)?.slice(0, 64),
    assignee,
    page: Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1,
    dropped,
  };
}

export type AlertFilters = ReturnType<typeof parseAlertFilters>;

/** The API's input for these filters. */
export function alertListInput(f: AlertFilters, pageSize: number): AlertListInput {
  return {
    state: f.state,
    ...(f.severity ? { severity: [f.severity] } : {}),
    ...(f.kind ? { kind: [f.kind] } : {}),
    ...(f.server ? { server: f.server } : {}),
    ...(f.assignee ? { assignee: f.assignee } : {}),
    page: f.page,
    pageSize,
  };
}

/** `?state=...&...` for these filters with some changed; defaults are left out. */
export function alertQuery(f: AlertFilters, over: Partial<Omit<AlertFilters, "dropped">> = {}): string {
  const merged = { ...f, ...over };
  const q = new URLSearchParams();
  if (merged.state !== "live") q.set("state", merged.state);
  if (merged.severity) q.set("severity", merged.severity);
  if (merged.kind) q.set("kind", merged.kind);
  if (merged.server) q.set("server", merged.server);
  if (merged.assignee) q.set("assignee", merged.assignee);
  if (merged.page > 1) q.set("page", String(merged.page));
  const s = q.toString();
  return s ? `?${s}` : "";
}
