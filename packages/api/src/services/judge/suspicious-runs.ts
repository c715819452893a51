import { judgeRun, type RunMeasure, type Suspicion, suspicion } from "@fleetwatch/core/diagnosis";
import { list, texts } from "@fleetwatch/db/sql";
import type { Tx } from "../../context";

/** Longer than any ingest transaction (its statements time out at 30 s): a batch that commits late is still seen. */
const LATE_COMMIT_MS = 2 * 60_000;
/** Earlier runs read per window: the ones core learns from (TYPICAL_RUNS). */
const HISTORY = 30;

interface NewsRow {
  id: string;
  completed: boolean;
  elapsedSeconds: number | null;
  objects: number | null;
  /** Earlier completed runs of the same node+schedule, most recent first: [elapsedSeconds, objectsInspected]. */
  history: [number | null, number | null][];
  suspicion: Suspicion | null;
}

/** The same verdict whatever order jsonb keeps its keys in. */
const sameVerdict = (a: Suspicion | null, b: Suspicion | null) =>
  JSON.stringify(a && [a.reasons, a.text]) === JSON.stringify(b && [b.reasons, b.text]);

/**
 * Give every completed window updated since the last judge run its suspicious-run verdict
 * (core/diagnosis/suspicious), learned from its node+schedule's earlier completed runs: one read
 * (each window's last 30 earlier runs by index) and one write, whatever the number of windows.
 * Returns the ids of the windows found suspicious.
 */
export async function judgeSuspiciousRuns(tx: Tx, args: { since: Date }): Promise<string[]> {
  const rows = await tx.$queryRaw<NewsRow[]>`
    SELECT w.id, w.outcome = 'completed' AS completed, w."elapsedSeconds", w."objectsInspected"::float8 AS objects, w.suspicion,
           coalesce(h.runs, '[]'::json) AS history
      FROM "Window" w
      LEFT JOIN LATERAL (
        SELECT json_agg(json_build_array(p."elapsedSeconds", p."objectsInspected"::float8) ORDER BY p."scheduledStart" DESC) AS runs
          FROM (SELECT e."elapsedSeconds", e."objectsInspected", e."scheduledStart"
                  FROM "Window" e
                 WHERE w.outcome = 'completed' AND e."nodeId" = w."nodeId" AND e.outcome = 'completed' AND e.schedule = w.schedule
                   AND e."scheduledStart" < w."scheduledStart"
                 ORDER BY e."scheduledStart" DESC
                 LIMIT ${HISTORY}) p
      ) h ON true
     -- A window that stopped being completed (a late report replaced it) loses its verdict.
     WHERE (w.outcome = 'completed' OR w.suspicion IS NOT NULL) AND w."updatedAt" > ${new Date(args.since.getTime() - LATE_COMMIT_MS)}`;
  if (!rows.length) return [];
  const verdicts = rows.map((r) => {
    const history: RunMeasure[] = r.history.map(([elapsedSeconds, objectsInspected]) => ({ elapsedSeconds, objectsInspected }));
    return {
      id: r.id,
      before: r.suspicion,
      suspicion: r.completed ? judgeRun({ elapsedSeconds: r.elapsedSeconds, objectsInspected: r.objects }, history) : null,
    };
  });
  const changed = verdicts.filter((v) => !sameVerdict(v.before, v.suspicion));
  if (changed.length) {
    // Not touching "updatedAt": the verdict is the judge's, not news of the window.
    await tx.$executeRaw`
      UPDATE "Window" w SET suspicion = x.s::jsonb
        FROM unnest(${list(changed.map((v) => v.id))}::uuid[], ${texts(changed.map((v) => (v.suspicion ? JSON.stringify(v.suspicion) : null)))}::text[])
             AS x(id, s)
       WHERE w.id = x.id`;
  }
  return verdicts.filter((v) => v.suspicion).map((v) => v.id);
}

/** A stored verdict as core shapes it; anything else (none, or a shape from an older release) reads as none. */
export function suspicionOf(stored: unknown): Suspicion | null {
  const parsed = suspicion.safeParse(stored);
  return parsed.success ? parsed.data : null;
}
