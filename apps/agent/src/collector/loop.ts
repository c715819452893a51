import type { Logger } from "../log";
import { sleep } from "../ship/backoff";
import { type CollectionDeps, type CollectionResult, rejectedLine, runCollection } from "./collection";

export interface LoopOptions {
  collect: (signal: AbortSignal) => Promise<CollectionResult>;
  intervalMs: number;
  /** The first collection waits a random part of this, so agents restarted together spread out. */
  startupJitterMs: number;
  log: Logger;
  random?: () => number;
  wait?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface CollectorOptions {
  /** What each collection needs; its signal is the loop's. */
  deps: Omit<CollectionDeps, "signal">;
  startupJitterSeconds: number;
  log: Logger;
  /** Said on the start line after the interval (which admin, which Fleetwatch server). */
  startFields: Record<string, unknown>;
  random?: () => number;
}

/** The collector as `run` and `collect` start it: one start line, then a collection every intervalMinutes until the signal aborts. */
export function runCollector(o: CollectorOptions, signal: AbortSignal): Promise<void> {
  const { settings } = o.deps;
  o.log.info("collecting server records", { every: `${settings.intervalMinutes} min`, ...o.startFields });
  return collectorLoop(
    {
      collect: (s) => runCollection({ ...o.deps, signal: s }),
      intervalMs: settings.intervalMinutes * 60_000,
      startupJitterMs: o.startupJitterSeconds * 1000,
      log: o.log,
      random: o.random,
    },
    signal,
  );
}

/**
 * Collects on an interval until its signal aborts. One collection at a time by construction: the
 * next wait starts when the last collection ended. A failure is logged and the next interval
 * tries again; the loop itself never throws.
 */
export async function collectorLoop(o: LoopOptions, signal: AbortSignal): Promise<void> {
  const random = o.random ?? Math.random;
  const wait = o.wait ?? sleep;
  await wait(Math.floor(random() * Math.min(o.startupJitterMs, o.intervalMs)), signal);
  while (!signal.aborted) {
    const result = await o.collect(signal).catch((e: Error): CollectionResult => ({ ok: false, error: e.message, rejected: [] }));
    // A collection cut short by the stop is not a failure worth a line; one that finished is.
    if (signal.aborted && !result.ok) return;
    logCollection(o.log, result);
    if (signal.aborted) return;
    // +-10% so a collector's sessions do not land on the TSM server at the same second forever.
    await wait(Math.floor(o.intervalMs * (0.9 + 0.2 * random())), signal);
  }
}

function logCollection(log: Logger, result: CollectionResult): void {
  for (const r of result.rejected) log.warn(rejectedLine(r));
  if (!result.ok) return void log.error("server records not collected; trying again next interval", { error: result.error });
  const { ack } = result;
  log.info("server records sent", {
    nodes: ack.nodes,
    newNodes: ack.newNodes,
    schedules: ack.schedules,
    associations: ack.associations,
    events: ack.events,
    rejectedRows: result.rejected.length || undefined,
    skippedSchedules: ack.skippedSchedules.length ? ack.skippedSchedules.map((s) => `${s.name} (${s.reason})`).join("; ") : undefined,
  });
}
