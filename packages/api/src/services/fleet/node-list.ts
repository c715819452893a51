import { flagKind } from "@fleetwatch/core/flags";
import { nodeSortKey } from "@fleetwatch/core/fleet";
import { departmentOf, groupScope } from "@fleetwatch/core/groups";
import { hasNoControl, timeZoneName, windowOutcome } from "@fleetwatch/core/schemas";
import { causeLabel, flagLabel, osLabel, outcomeLabel } from "@fleetwatch/core/words";
import type { Prisma } from "@fleetwatch/db/client";
import { z } from "zod";
import type { Db } from "../../context";
import { fromFlagKind, toFlagKind } from "../judge/flag-kinds";
import { fromStoredOutcome, toStoredOutcome } from "../window-outcome";
import { scopeWhere } from "./group-scope";

/** Text a person typed into a filter: bounded, and no control characters (NUL cannot reach a query). */
const typed = (max: number) => z.string().trim().max(max).refine(hasNoControl, "control characters are not allowed in a search");

/** `value` matched literally by LIKE: `%`, `_` and the escape character itself lose their meaning. */
export const literalLike = (value: string) => value.replace(/[\\%_]/g, "\\$&");

export const nodeListInput = z.object({
  search: typed(64).optional(),
  flag: flagKind.optional(),
  outcome: z.enum([...windowOutcome.options, "none"]).optional(),
  os: typed(64).optional(),
  server: typed(64).optional(),
  owner: typed(256).optional(),
  /** One group's nodes only (issue 16.7): a department, contact, TSM server or tag. */
  group: groupScope.optional(),
  deregistered: z.boolean().default(false),
  sort: nodeSortKey.default("worst"),
  // "worst" reads worst first whatever the direction; "asc" turns it round (best first).
  dir: z.enum(["asc", "desc"]).default("asc"),
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(1).max(500).default(50),
});
export type NodeListInput = z.infer<typeof nodeListInput>;

function where(input: NodeListInput): Prisma.NodeWhereInput {
  const and: Prisma.NodeWhereInput[] = [{ deregisteredAt: input.deregistered ? { not: null } : null }];
  if (input.search) and.push({ name: { contains: literalLike(input.search), mode: "insensitive" } });
  if (input.outcome) and.push({ lastOutcome: input.outcome === "none" ? null : toStoredOutcome(input.outcome) });
  if (input.os) and.push({ OR: [{ os: input.os }, { machine: { os: input.os } }] });
  if (input.server !== undefined) and.push({ server: input.server });
  if (input.owner) {
    // The owner as the server names it or as staff set it (services/node-owner.ts).
    const like = { contains: literalLike(input.owner), mode: "insensitive" as const };
    and.push({ OR: [{ contact: like }, { email: like }, { staffContact: like }, { staffEmail: like }] });
  }
  if (input.flag) and.push({ flags: { some: { kind: toFlagKind(input.flag), clearedAt: null } } });
  if (input.group) and.push(scopeWhere(input.group));
  return { AND: and };
}

/** The nights the list's "in the last 30 nights" columns count: the node page's strip, its last 30. */
export const RECENT_NIGHTS = 30;

interface RecentCounts {
  missed30: number;
  failed30: number;
}

/**
 * Each node's missed and failed nights in the last 30 (a benign failure, data saved, does not count:
 * the failed streak skips it too). One index walk per node over (nodeId, scheduledStart DESC).
 */
async function recentCounts(db: Db, nodeIds: string[], now: Date): Promise<Map<string, RecentCounts>> {
  if (!nodeIds.length) return new Map();
  const since = new Date(now.getTime() - RECENT_NIGHTS * 86_400_000);
  const rows = await db.$queryRaw<{ id: string; missed30: number; failed30: number }[]>`
    SELECT w."nodeId" AS id,
           count(*) FILTER (WHERE w.outcome = 'missed')::int AS missed30,
           count(*) FILTER (WHERE w.outcome IN ('failed', 'severed', 'aborted') AND NOT w.benign)::int AS failed30
      FROM "Window" w
     WHERE w."nodeId" = ANY(${nodeIds}::uuid[]) AND w."scheduledStart" >= ${since} AND w."scheduledStart" <= ${now}
     GROUP BY w."nodeId"`;
  return new Map(rows.map((r) => [r.id, { missed30: r.missed30, failed30: r.failed30 }]));
}

/**
 * The cause of each node's newest closed window: the ingest's for a failure, the judge's for a
 * miss (Node.lastCause holds only the former, so a MISSED node had none on the list and in the CSV).
 */
async function latestCauses(db: Db, nodeIds: string[]): Promise<Map<string, string>> {
  if (!nodeIds.length) return new Map();
  const rows = await db.$queryRaw<{ id: string; cause: string | null }[]>`
    SELECT n.id, w.cause
      FROM unnest(${nodeIds}::uuid[]) AS n(id)
      CROSS JOIN LATERAL (
        SELECT coalesce(cause, diagnosis->>'cause') AS cause FROM "Window"
         WHERE "nodeId" = n.id AND outcome <> 'in-progress'
         ORDER BY "scheduledStart" DESC LIMIT 1) w`;
  return new Map(rows.flatMap((r) => (r.cause ? [[r.id, r.cause] as const] : [])));
}

type Ranked = { id: string; name: string; missedStreak: number; failedStreak: number } & RecentCounts;

/**
 * Worst first: the longest run of bad nights now (missed or failed in a row), then the most bad
 * nights of the last 30, then the name. A node that completed last night after 19 misses sorts
 * above one that never missed, below one missing now.
 */
const worstFirst = (a: Ranked, b: Ranked) =>
  b.missedStreak + b.failedStreak - (a.missedStreak + a.failedStreak) ||
  b.missed30 + b.failed30 - (a.missed30 + a.failed30) ||
  a.name.localeCompare(b.name);

/** The page's node ids in an order the database cannot sort by itself (counts over windows). */
async function rankedIds(db: Db, filter: Prisma.NodeWhereInput, input: NodeListInput, now: Date) {
  const nodes = await db.node.findMany({ where: filter, select: { id: true, name: true, missedStreak: true, failedStreak: true } });
  const counts = await recentCounts(
    db,
    nodes.map((n) => n.id),
    now,
  );
  const ranked: Ranked[] = nodes.map((n) => ({ ...n, ...(counts.get(n.id) ?? { missed30: 0, failed30: 0 }) }));
  const sign = input.dir === "asc" ? 1 : -1;
  const compare =
    input.sort === "worst"
      ? (a: Ranked, b: Ranked) => sign * worstFirst(a, b)
      : (a: Ranked, b: Ranked) => {
          const key = input.sort as "missed30" | "failed30";
          return sign * (a[key] - b[key]) || a.name.localeCompare(b.name);
        };
  const start = (input.page - 1) * input.pageSize;
  return ranked
    .sort(compare)
    .slice(start, start + input.pageSize)
    .map((n) => n.id);
}

const rowSelect = {
  id: true,
  name: true,
  server: true,
  contact: true,
  os: true,
  lastOutcome: true,
  lastCause: true,
  lastCompletedAt: true,
  lastContactAt: true,
  missedStreak: true,
  failedStreak: true,
  deregisteredAt: true,
  department: true,
  tags: { select: { tag: true }, orderBy: { tag: "asc" } },
  machine: { select: { hostname: true, os: true } },
  flags: {
    where: { clearedAt: null },
    select: { kind: true, raisedAt: true, detail: true },
    orderBy: { raisedAt: "asc" },
  },
} satisfies Prisma.NodeSelect;

async function pageRows(db: Db, filter: Prisma.NodeWhereInput, input: NodeListInput, now: Date) {
  if (input.sort === "worst" || input.sort === "missed30" || input.sort === "failed30") {
    const ids = await rankedIds(db, filter, input, now);
    const rows = await db.node.findMany({ where: { id: { in: ids } }, select: rowSelect });
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }
  const nulls = input.dir === "asc" ? "last" : "first";
  const orderBy: Prisma.NodeOrderByWithRelationInput[] =
    input.sort === "name" || input.sort === "missedStreak" || input.sort === "failedStreak"
      ? [{ [input.sort]: input.dir }, { name: "asc" }]
      : [{ [input.sort]: { sort: input.dir, nulls } }, { name: "asc" }];
  return db.node.findMany({
    where: filter,
    orderBy,
    skip: (input.page - 1) * input.pageSize,
    take: input.pageSize,
    select: rowSelect,
  });
}

/**
 * The node list: server-side filters, search, sort and pages; each row with its open flags and its
 * missed and failed nights both in a row and in the last 30.
 */
export async function listNodes(db: Db, input: NodeListInput, now = new Date()) {
  const filter = where(input);
  const [total, rows] = await Promise.all([db.node.count({ where: filter }), pageRows(db, filter, input, now)]);
  const ids = rows.map((n) => n.id);
  const [counts, causes] = await Promise.all([recentCounts(db, ids, now), latestCauses(db, ids)]);
  return {
    total,
    page: input.page,
    pageSize: input.pageSize,
    recentNights: RECENT_NIGHTS,
    rows: rows.map((n) => ({
      ...n,
      ...(counts.get(n.id) ?? { missed30: 0, failed30: 0 }),
      // A completed last night has no cause to show, whatever an older failure left in lastCause.
      lastCause: n.lastOutcome === "completed" ? null : (n.lastCause ?? causes.get(n.id) ?? null),
      os: n.os ?? n.machine?.os ?? null,
      hostname: n.machine?.hostname ?? null,
      department: departmentOf(n),
      tags: n.tags.map((t) => t.tag),
      lastOutcome: n.lastOutcome ? fromStoredOutcome(n.lastOutcome) : null,
      flags: n.flags.map((f) => ({ ...f, kind: fromFlagKind(f.kind) })),
    })),
  };
}

const csvCell = (v: string | number) => {
  const s = String(v);
  // Quote everything that could break a row, and defuse spreadsheet formulas.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

export const exportInput = nodeListInput.extend({ timeZone: timeZoneName.default("UTC") });

/** "2026-11-30 22:05" in `timeZone`: sortable in a spreadsheet, the zone named in the header. */
function localTimeIn(timeZone: string) {
  const f = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  return (d: Date | null, none: string) => {
    if (!d) return none;
    const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
  };
}

/**
 * Every node that matches the filter (no paging), as CSV for a spreadsheet: the screen's words
 * (outcomes, causes, flags as the list shows them), times in the viewer's zone (named in the
 * header), and no empty cell: what is not known says so.
 */
export async function exportNodesCsv(db: Db, input: z.infer<typeof exportInput>, now = new Date()): Promise<string> {
  const zone = input.timeZone;
  const at = localTimeIn(zone);
  const header = [
    "node",
    "TSM server",
    "hostname",
    "OS",
    "owner",
    "last outcome",
    "cause",
    `last backup (${zone})`,
    `last contact (${zone})`,
    "missed in a row",
    `missed, last ${RECENT_NIGHTS} nights`,
    "failed in a row",
    `failed, last ${RECENT_NIGHTS} nights`,
    "flags",
  ];
  const lines = [header.map(csvCell).join(",")];
  for (let page = 1; ; page++) {
    const { rows } = await listNodes(db, { ...input, page, pageSize: 500 }, now);
    for (const n of rows) {
      lines.push(
        [
          n.name,
          n.server || "not known",
          n.hostname ?? "no agent",
          osLabel(n.os),
          n.contact ?? "not known",
          outcomeLabel(n.lastOutcome),
          n.lastCause ? causeLabel(n.lastCause) : n.lastOutcome === "completed" ? "none (completed)" : "not diagnosed yet",
          at(n.lastCompletedAt, "never"),
          at(n.lastContactAt, "never"),
          n.missedStreak,
          n.missed30,
          n.failedStreak,
          n.failed30,
          n.flags.length ? n.flags.map((f) => flagLabel(f.kind)).join("; ") : "none",
        ]
          .map(csvCell)
          .join(","),
      );
    }
    if (rows.length < 500) break;
  }
  return `${lines.join("\r\n")}\r\n`;
}
