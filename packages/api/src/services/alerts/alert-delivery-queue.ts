import { Prisma } from "@fleetwatch/db/client";
import type { Db } from "../../context";

/**
 * The retry machinery every delivery channel shares: claim what is due, record what happened,
 * back off exponentially, give up after a bounded number of attempts. A delivery's state lives
 * in its AlertDelivery row, so a restart (or another replica) carries on where this one stopped.
 */

export interface RetryPolicy {
  /** Attempts before a delivery is given up as `failed`. */
  maxAttempts: number;
  /** Wait after the first failed attempt; doubles with each further one. */
  baseDelayMs: number;
  /** No wait grows past this (and no Retry-After is honoured past it either). */
  maxDelayMs: number;
  /**
   * How long a claimed delivery stays invisible to other claimers. Longer than one send can take,
   * so a slow send is never claimed twice; if the process dies mid-send the row comes back after it.
   */
  leaseMs: number;
}

/** About three hours of retries in all (30 s, 1, 2, 4 ... 32 min, then hourly): an endpoint's maintenance window. */
export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 10, baseDelayMs: 30_000, maxDelayMs: 3_600_000, leaseMs: 5 * 60_000 };

export interface ClaimedDelivery {
  id: string;
  alertId: string;
  eventId: string;
  target: string;
  /** Attempts so far, counting the one this claim starts. */
  attempts: number;
}

export type AttemptResult =
  | { ok: true }
  /** `permanent`: retrying cannot help (a 400, an unknown mailbox, no signing key). */
  | { ok: false; permanent: boolean; error: string; retryAfterMs?: number | null };

export interface DeliveryReport {
  attempted: number;
  delivered: number;
  retrying: number;
  failed: number;
}

export const emptyReport = (): DeliveryReport => ({ attempted: 0, delivered: 0, retrying: 0, failed: 0 });

/**
 * Take up to `limit` due pending deliveries of one channel and count the attempt, in one
 * statement. SKIP LOCKED and the lease make it safe with every replica running the job: a row is
 * sent by whoever claimed it, and by nobody else until its lease runs out.
 */
export async function claimDue(
  db: Db,
  args: { channel: string; now: Date; limit: number; policy: RetryPolicy; only?: string[] },
): Promise<ClaimedDelivery[]> {
  await giveUpStranded(db, args);
  // `only`: these rows and no others (a test mail sent while its sender waits for the answer).
  // A test's row is held back from every other claimer (far-off nextAttemptAt), so it is taken
  // whatever its time.
  const due = args.only ? Prisma.sql`"id" = ANY(${args.only}::uuid[])` : Prisma.sql`"nextAttemptAt" <= ${args.now}`;
  const leaseUntil = new Date(args.now.getTime() + args.policy.leaseMs);
  return db.$queryRaw<ClaimedDelivery[]>`
    UPDATE "AlertDelivery" d
    SET "attempts" = d."attempts" + 1, "nextAttemptAt" = ${leaseUntil}
    WHERE d."id" IN (
      SELECT "id" FROM "AlertDelivery"
      WHERE "channel" = ${args.channel} AND "status" = 'pending' AND ${due}
        AND "attempts" < ${args.policy.maxAttempts}
      ORDER BY "nextAttemptAt"
      LIMIT ${args.limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING d."id"::text AS "id", d."alertId"::text AS "alertId", d."eventId"::text AS "eventId", d."target", d."attempts"`;
}

/**
 * A row whose every attempt was claimed but never settled (the process died each time while
 * sending) would otherwise stay pending forever without ever being claimed again.
 */
async function giveUpStranded(db: Db, args: { channel: string; now: Date; policy: RetryPolicy }) {
  await db.alertDelivery.updateMany({
    where: { channel: args.channel, status: "pending", attempts: { gte: args.policy.maxAttempts }, nextAttemptAt: { lte: args.now } },
    data: { status: "failed", lastError: `gave up after ${args.policy.maxAttempts} attempts: the last one never reported back` },
  });
}

/**
 * Record the outcome of one attempt. Guarded on the attempt count, so a send that outlived its
 * lease cannot overwrite what a later claimer recorded.
 */
export async function settle(
  db: Db,
  d: ClaimedDelivery,
  result: AttemptResult,
  now: Date,
  policy: RetryPolicy,
): Promise<"delivered" | "retrying" | "failed"> {
  const where = { id: d.id, attempts: d.attempts, status: "pending" as const };
  if (result.ok) {
    await db.alertDelivery.updateMany({ where, data: { status: "delivered", deliveredAt: now, lastError: null } });
    return "delivered";
  }
  const error = clip(result.error);
  if (result.permanent || d.attempts >= policy.maxAttempts) {
    const lastError = result.permanent ? error : `gave up after ${d.attempts} attempts: ${error}`;
    await db.alertDelivery.updateMany({ where, data: { status: "failed", lastError } });
    return "failed";
  }
  const wait = Math.min(Math.max(backoffMs(d.attempts, policy), result.retryAfterMs ?? 0), policy.maxDelayMs);
  await db.alertDelivery.updateMany({ where, data: { lastError: error, nextAttemptAt: new Date(now.getTime() + wait) } });
  return "retrying";
}

/** The wait after failed attempt `n` (1-based): base, 2 x base, 4 x base ... up to the cap. */
export function backoffMs(n: number, policy: RetryPolicy): number {
  return Math.min(policy.baseDelayMs * 2 ** Math.max(0, n - 1), policy.maxDelayMs);
}

/** Run `fn` over `items` with at most `limit` at a time; `fn` must not throw. */
export async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

export function tally(report: DeliveryReport, outcome: "delivered" | "retrying" | "failed") {
  report.attempted++;
  report[outcome]++;
}

/** lastError is shown to staff: one readable line, never a whole HTML error page. */
function clip(s: string): string {
  const line = s.replace(/\s+/g, " ").trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
