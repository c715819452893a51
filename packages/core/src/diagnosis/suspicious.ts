import { z } from "zod";

/**
 * Suspicious runs (shared/domain.md "suspicious run"): a completed run far shorter or longer than
 * the node's learned duration for its schedule, or inspecting far fewer objects than usual. A
 * DOMAIN that lost a drive still ends rc 0; only its numbers tell.
 */
export const suspiciousReason = z.enum(["too-few-objects", "too-short", "too-long"]);
export type SuspiciousReason = z.infer<typeof suspiciousReason>;

/** What a window stores when its run is suspicious: its reasons and one sentence per reason. */
export const suspicion = z.object({
  reasons: z.array(suspiciousReason).min(1),
  text: z.array(z.string()),
});
export type Suspicion = z.infer<typeof suspicion>;

/** One completed run's numbers. */
export interface RunMeasure {
  elapsedSeconds: number | null;
  objectsInspected: number | null;
}

/** Runs learned from: the most recent ones, so a node that grows is measured against its recent self. */
export const TYPICAL_RUNS = 30;
/** Fewer earlier runs than this and nothing is called suspicious. */
export const MIN_HISTORY = 5;
/** Fewer than this and the bounds are wide. */
export const STEADY_HISTORY = 10;

interface Bounds {
  /** A run below median / shortFactor (and below the spread's bound) is too short or too few. */
  belowFactor: number;
  /** A run above median * aboveFactor (and above the spread's bound) is too long. */
  aboveFactor: number;
  /** How many scaled MADs from the median a run must be as well, so a noisy node is not called out. */
  mads: number;
}

const steady: Bounds = { belowFactor: 2.5, aboveFactor: 4, mads: 4 };
const short: Bounds = { belowFactor: 5, aboveFactor: 8, mads: 8 };
/** A duration difference smaller than this is never suspicious, whatever the ratio. */
const MIN_DURATION_GAP_S = 5 * 60;

export interface TypicalMeasure {
  median: number;
  /** Median absolute deviation, scaled to estimate a standard deviation (×1.4826). */
  spread: number;
  /** The usual range shown to staff: the 10th to the 90th percentile. */
  low: number;
  high: number;
}

export interface TypicalRun {
  runs: number;
  elapsedSeconds: TypicalMeasure | null;
  objectsInspected: TypicalMeasure | null;
}

function quantile(sorted: number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

function measure(values: (number | null)[]): TypicalMeasure | null {
  const sorted = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length < MIN_HISTORY) return null;
  const median = quantile(sorted, 0.5);
  const deviations = sorted.map((v) => Math.abs(v - median)).sort((a, b) => a - b);
  return { median, spread: 1.4826 * quantile(deviations, 0.5), low: quantile(sorted, 0.1), high: quantile(sorted, 0.9) };
}

/**
 * A figure's usual range over a node's ordinary nights (the 10th to 90th percentile, as staff see
 * it beside a suspicious run); null with fewer than MIN_HISTORY nights to learn from.
 */
export function typicalRange(values: (number | null)[]): { low: number; high: number; median: number } | null {
  const m = measure(values.slice(0, TYPICAL_RUNS));
  return m && { low: m.low, high: m.high, median: m.median };
}

/** The typical run learned from a node+schedule's earlier completed runs, most recent first. */
export function learnTypical(history: RunMeasure[]): TypicalRun {
  const recent = history.slice(0, TYPICAL_RUNS);
  return {
    runs: recent.length,
    elapsedSeconds: measure(recent.map((r) => r.elapsedSeconds)),
    objectsInspected: measure(recent.map((r) => r.objectsInspected)),
  };
}

const count = (n: number) => Math.round(n).toLocaleString("en-US");
/** A usual figure, to three significant digits: 214,000 rather than 213,871. */
const roughly = (n: number) => count(Number(n.toPrecision(3)));

/** "2 h 5 min", "12 min", "40 s". */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
}

/** "a tenth of the usual", "half the usual", "10 times the usual". */
function proportion(ratio: number): string {
  if (ratio >= 1.5) return `${ratio >= 10 ? Math.round(ratio) : Math.round(ratio * 10) / 10} times the usual`;
  const names: [number, string][] = [
    [1 / 2, "half the usual"],
    [1 / 3, "a third of the usual"],
    [1 / 4, "a quarter of the usual"],
    [1 / 5, "a fifth of the usual"],
    [1 / 10, "a tenth of the usual"],
    [1 / 20, "a twentieth of the usual"],
  ];
  for (const [value, name] of names) if (Math.abs(ratio - value) / value < 0.12) return name;
  if (ratio === 0) return "none of the usual";
  return `${ratio < 0.01 ? "under 1" : Math.round(ratio * 100)}% of the usual`;
}

function outside(value: number, m: TypicalMeasure, b: Bounds): "below" | "above" | null {
  if (value < m.median / b.belowFactor && value < m.median - b.mads * m.spread) return "below";
  if (value > m.median * b.aboveFactor && value > m.median + b.mads * m.spread) return "above";
  return null;
}

/**
 * Whether a completed run is suspicious against its node+schedule's earlier completed runs (most
 * recent first, the run itself not among them), and why in words for staff. Null: nothing to say,
 * including while the history is shorter than MIN_HISTORY. Objects only count when they fall: a
 * node that grows is not suspicious.
 */
export function judgeRun(run: RunMeasure, history: RunMeasure[]): Suspicion | null {
  const typical = learnTypical(history);
  const bounds = typical.runs >= STEADY_HISTORY ? steady : short;
  const reasons: SuspiciousReason[] = [];
  const text: string[] = [];

  const objects = typical.objectsInspected;
  if (objects && run.objectsInspected !== null && objects.median > 0 && outside(run.objectsInspected, objects, bounds) === "below") {
    reasons.push("too-few-objects");
    text.push(
      `inspected ${count(run.objectsInspected)} objects, usually ${roughly(objects.low)}-${roughly(objects.high)}: ${proportion(
        run.objectsInspected / objects.median,
      )}; was a drive or DOMAIN entry lost?`,
    );
  }

  const elapsed = typical.elapsedSeconds;
  if (elapsed && run.elapsedSeconds !== null && elapsed.median > 0 && Math.abs(run.elapsedSeconds - elapsed.median) >= MIN_DURATION_GAP_S) {
    const where = outside(run.elapsedSeconds, elapsed, bounds);
    const usual = `usually ${formatDuration(elapsed.low)}-${formatDuration(elapsed.high)}: ${proportion(run.elapsedSeconds / elapsed.median)}`;
    if (where === "below") {
      reasons.push("too-short");
      text.push(`ran ${formatDuration(run.elapsedSeconds)}, ${usual}; did it back up everything it should?`);
    } else if (where === "above") {
      reasons.push("too-long");
      text.push(`ran ${formatDuration(run.elapsedSeconds)}, ${usual}; is the network or the server slow, or did much new data arrive?`);
    }
  }
  return reasons.length ? { reasons, text } : null;
}
