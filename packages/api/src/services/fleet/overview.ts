import type { GroupScope } from "@fleetwatch/core/groups";
import { windowOutcome } from "@fleetwatch/core/schemas";
import { Prisma } from "@fleetwatch/db/client";
import { list } from "@fleetwatch/db/sql";
import type { Db } from "../../context";
import { getSiteSettings } from "../admin/settings";
import { fromFlagKind } from "../judge/flag-kinds";
import { foldNightlyDeltas, type NightOutcomeSum, nightOutcomeSums } from "../judge/nightly-rollup";
import { fromStoredOutcome } from "../window-outcome";
import { attentionList } from "./attention";
import { scopedNodeIds, scopeWhere } from "./group-scope";

const outcomes = windowOutcome.options;
type Outcome = (typeof outcomes)[number];

export interface NightRow {
  night: string;
  counts: Record<Outcome, number>;
  bytes: number;
  avgElapsedSeconds: number | null;
}

/**
 * Nightly outcomes and volume for the windows scheduled in the last N days, by the node's local
 * window date, from the trigger-kept rollup (nightly-rollup.ts) rather than the windows.
 */
export async function nightlyOutcomes(db: Db, args: { nights: number; now: Date; nodeIds?: string[] }): Promise<NightRow[]> {
  const since = new Date(args.now.getTime() - args.nights * 86_400_000);
  let rows: NightOutcomeSum[];
  if (args.nodeIds) rows = await groupNightOutcomeSums(db, since, args.nodeIds);
  else {
    await foldNightlyDeltas(db);
    rows = await nightOutcomeSums(db, since);
  }
  const byNight = new Map<string, NightRow & { elapsedSum: number; elapsedN: number }>();
  for (const r of rows) {
    let row = byNight.get(r.night);
    if (!row) {
      row = {
        night: r.night,
        counts: Object.fromEntries(outcomes.map((o) => [o, 0])) as Record<Outcome, number>,
        bytes: 0,
        avgElapsedSeconds: null,
        elapsedSum: 0,
        elapsedN: 0,
      };
      byNight.set(r.night, row);
    }
    const outcome = r.outcome as Outcome;
    row.counts[outcome] = r.windows;
    row.bytes += r.bytes;
    if (r.avgElapsed !== null && outcome !== "missed") {
      row.elapsedSum += r.avgElapsed * r.windows;
      row.elapsedN += r.windows;
    }
  }
  return [...byNight.values()].map(({ elapsedSum, elapsedN, ...row }) => ({
    ...row,
    avgElapsedSeconds: elapsedN ? Math.round(elapsedSum / elapsedN) : null,
  }));
}

/**
 * One group's windows summed per local night and outcome, as `nightOutcomeSums` sums the fleet's:
 * read from the windows themselves (the rollup has no nodes), a group's few nodes by index.
 */
async function groupNightOutcomeSums(db: Db, since: Date, nodeIds: string[]): Promise<NightOutcomeSum[]> {
  if (!nodeIds.length) return [];
  const rows = await db.$queryRaw<{ night: string; outcome: string; windows: number; bytes: bigint; elapsed: number | null }[]>(Prisma.sql`
    SELECT substr(w."localStart", 1, 10) AS night, w.outcome::text AS outcome, count(*)::int AS windows,
           coalesce(sum(w."bytesTransferred"), 0)::bigint AS bytes, avg(w."elapsedSeconds")::float8 AS elapsed
      FROM "Window" w
     WHERE w."nodeId" = ANY(${list(nodeIds)}::uuid[]) AND w."scheduledStart" >= ${since}
     GROUP BY 1, 2
     ORDER BY 1, 2`);
  return rows.map((r) => ({ night: r.night, outcome: r.outcome, windows: r.windows, bytes: Number(r.bytes), avgElapsed: r.elapsed }));
}

/** Headline counts: nodes by state, as the overview's cards show them; `scope` narrows them to one group. */
export async function fleetCounts(db: Db, args: { atRiskHours: number; now: Date; scope?: Prisma.NodeWhereInput }) {
  const protectedSince = new Date(args.now.getTime() - args.atRiskHours * 3_600_000);
  const scope = args.scope ?? {};
  const active = { ...scope, deregisteredAt: null };
  const [total, deregistered, protectedNodes, byOutcome, flags] = await Promise.all([
    db.node.count({ where: active }),
    db.node.count({ where: { ...scope, deregisteredAt: { not: null } } }),
    db.node.count({ where: { ...active, lastCompletedAt: { gte: protectedSince } } }),
    db.node.groupBy({ by: ["lastOutcome"], where: active, _count: { _all: true } }),
    db.flag.groupBy({ by: ["kind"], where: { clearedAt: null, node: active }, _count: { _all: true } }),
  ]);
  const outcome: Record<string, number> = {};
  for (const g of byOutcome) outcome[g.lastOutcome ? fromStoredOutcome(g.lastOutcome) : "none"] = g._count._all;
  const flag: Record<string, number> = {};
  for (const g of flags) flag[fromFlagKind(g.kind)] = g._count._all;
  return {
    total,
    deregistered,
    protected: protectedNodes,
    atRisk: flag["at-risk"] ?? 0,
    missed: outcome.missed ?? 0,
    failed: outcome.failed ?? 0,
    severed: outcome.severed ?? 0,
    aborted: outcome.aborted ?? 0,
    inProgress: outcome["in-progress"] ?? 0,
    locked: flag.locked ?? 0,
    passwordExpired: flag["password-expired"] ?? 0,
    stale: flag.stale ?? 0,
    duplicateSuspects: flag["duplicate-suspect"] ?? 0,
    needsManualBackup: flag["needs-manual-backup"] ?? 0,
    byOutcome: outcome,
    byFlag: flag,
  };
}

/**
 * The overview's cards, nightly outcomes and attention list, for the fleet or one group (issue
 * 16.7): the same numbers the group's node list counts, since both filter by `scopeWhere`.
 */
export async function overviewOf(db: Db, args: { nights: number; now: Date; group?: GroupScope }) {
  const settings = await getSiteSettings(db);
  const nodeIds = args.group ? await scopedNodeIds(db, args.group) : undefined;
  const [counts, nightly, attention] = await Promise.all([
    fleetCounts(db, { atRiskHours: settings.atRiskHours, now: args.now, scope: args.group ? scopeWhere(args.group) : undefined }),
    nightlyOutcomes(db, { nights: args.nights, now: args.now, nodeIds }),
    attentionList(db, { limit: 25, nodeIds }),
  ]);
  return { counts, nightly, attention };
}
