import { windowOutcome } from "@fleetwatch/core/schemas";
import type { Db } from "../context";
import { fromFlagKind } from "./flag-kinds";
import { fromOutcome } from "./ingest";
import { foldNightlyDeltas, nightOutcomeSums } from "./nightly-rollup";

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
export async function nightlyOutcomes(db: Db, args: { nights: number; now: Date }): Promise<NightRow[]> {
  const since = new Date(args.now.getTime() - args.nights * 86_400_000);
  await foldNightlyDeltas(db);
  const rows = await nightOutcomeSums(db, since);
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

/** Headline counts: nodes by state, as the overview's cards show them. */
export async function fleetCounts(db: Db, args: { atRiskHours: number; now: Date }) {
  const protectedSince = new Date(args.now.getTime() - args.atRiskHours * 3_600_000);
  const active = { deregisteredAt: null };
  const [total, deregistered, protectedNodes, byOutcome, flags] = await Promise.all([
    db.node.count({ where: active }),
    db.node.count({ where: { deregisteredAt: { not: null } } }),
    db.node.count({ where: { ...active, lastCompletedAt: { gte: protectedSince } } }),
    db.node.groupBy({ by: ["lastOutcome"], where: active, _count: { _all: true } }),
    db.flag.groupBy({ by: ["kind"], where: { clearedAt: null, node: active }, _count: { _all: true } }),
  ]);
  const outcome: Record<string, number> = {};
  for (const g of byOutcome) outcome[g.lastOutcome ? fromOutcome(g.lastOutcome) : "none"] = g._count._all;
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
