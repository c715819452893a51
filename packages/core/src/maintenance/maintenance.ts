import { CronExpressionParser } from "cron-parser";
import { z } from "zod";
import { groupKinds, parseGroupParam } from "../groups/groups";

/** What a maintenance window covers: the whole fleet, one node, every node of a TSM server, of a profile, or of a group. */
export const maintenanceScope = z.enum(["fleet", "node", "server", "profile", "group"]);
export type MaintenanceScope = z.infer<typeof maintenanceScope>;

const MAX_MINUTES = 14 * 24 * 60;

/** A maintenance window as staff define it: one-off (from, until) or recurring (cron, time zone, minutes). */
export const maintenanceInput = z
  .strictObject({
    name: z.string().trim().min(1).max(120),
    scope: maintenanceScope,
    /** The node's id, the server's or the profile's name, the group as a URL names it (`department:CHEM`); empty for the fleet. */
    target: z.string().trim().max(128).default(""),
    startsAt: z.coerce.date().nullable().default(null),
    endsAt: z.coerce.date().nullable().default(null),
    cron: z.string().trim().max(100).nullable().default(null),
    timeZone: z.string().trim().max(64).default("UTC"),
    durationMinutes: z.number().int().min(1).max(MAX_MINUTES).nullable().default(null),
  })
  .superRefine((m, ctx) => {
    const problem = maintenanceProblem(m);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
export type MaintenanceInput = z.infer<typeof maintenanceInput>;

export interface MaintenanceWindow {
  id: string;
  name: string;
  scope: MaintenanceScope;
  target: string;
  startsAt: Date | null;
  endsAt: Date | null;
  cron: string | null;
  timeZone: string;
  durationMinutes: number | null;
}

/** The one-line reason a definition cannot be used, or null. */
export function maintenanceProblem(m: Omit<MaintenanceWindow, "id" | "name">): string | null {
  if (m.scope !== "fleet" && !m.target)
    return `a ${m.scope} maintenance window needs the ${m.scope === "node" ? "node" : `${m.scope}'s name`}`;
  if (m.scope === "group" && !parseGroupParam(m.target))
    return `"${m.target}" is no group: write kind:value, such as department:CHEM or tag:lab (kinds: ${groupKinds.join(", ")})`;
  if (!isTimeZone(m.timeZone)) return `unknown time zone "${m.timeZone}" (use an IANA name such as Europe/London)`;
  if (m.cron) {
    if (m.startsAt || m.endsAt) return "give either a cron expression and a duration, or a start and an end, not both";
    if (!m.durationMinutes) return "a recurring maintenance window needs its duration in minutes";
    try {
      CronExpressionParser.parse(m.cron, { tz: m.timeZone, strict: false });
    } catch (e) {
      return `the cron expression "${m.cron}" is not valid: ${e instanceof Error ? e.message : String(e)}`;
    }
    return null;
  }
  if (!m.startsAt || !m.endsAt) return "a one-off maintenance window needs a start and an end";
  if (m.endsAt.getTime() <= m.startsAt.getTime()) return "the end must come after the start";
  return null;
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** A node as maintenance windows read it: its id, TSM server, profile's name, and the group-scoped windows whose group holds it. */
export interface MaintainedNode {
  id: string;
  server: string;
  profile?: string | null;
  /** Ids of the group-scoped maintenance windows whose group the node is in (groups are read from the database). */
  groupWindows?: ReadonlySet<string>;
}

/** Does the window apply to this node (by id, its TSM server, its profile or its group)? */
export function covers(m: Pick<MaintenanceWindow, "id" | "scope" | "target">, node: MaintainedNode): boolean {
  return (
    m.scope === "fleet" ||
    (m.scope === "group" && (node.groupWindows?.has(m.id) ?? false)) ||
    (m.scope === "node" && m.target === node.id) ||
    (m.scope === "server" && m.target === node.server) ||
    (m.scope === "profile" && m.target.toLowerCase() === node.profile?.toLowerCase())
  );
}

/** Is `at` inside the window: between a one-off's start and end, or within a recurrence's duration. */
export function isInside(m: Omit<MaintenanceWindow, "id" | "name" | "scope" | "target">, at: Date): boolean {
  if (m.cron && m.durationMinutes) {
    try {
      // The newest start at or before `at` (prev() is strictly before its current date).
      const start = CronExpressionParser.parse(m.cron, { tz: m.timeZone, currentDate: new Date(at.getTime() + 1) })
        .prev()
        .toDate();
      return at.getTime() < start.getTime() + m.durationMinutes * 60_000;
    } catch {
      return false;
    }
  }
  if (!m.startsAt || !m.endsAt) return false;
  return at.getTime() >= m.startsAt.getTime() && at.getTime() < m.endsAt.getTime();
}

/** The first window that covers the node at `at`, or null. */
export function maintenanceAt(windows: readonly MaintenanceWindow[], node: MaintainedNode, at: Date): MaintenanceWindow | null {
  return windows.find((m) => covers(m, node) && isInside(m, at)) ?? null;
}
