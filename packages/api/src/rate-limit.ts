/**
 * A token bucket per key: `burst` requests at once, refilled at `perMinute`. In memory, so per
 * replica: it keeps one runaway agent (a loop resending its spool, a clone of one credential on
 * many machines) from starving the others, not a hard global quota.
 */
export interface RateLimit {
  perMinute: number;
  burst: number;
}

export type Verdict = { ok: true } | { ok: false; retryAfterSeconds: number };

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(readonly limit: RateLimit) {}

  private get perMs() {
    return this.limit.perMinute / 60_000;
  }

  /** The bucket's tokens at `nowMs`: refilled since it was last touched, never past the burst. */
  private tokensAt(b: { tokens: number; at: number }, nowMs: number) {
    return Math.min(this.limit.burst, b.tokens + Math.max(0, nowMs - b.at) * this.perMs);
  }

  take(key: string, nowMs: number): Verdict {
    const b = this.buckets.get(key) ?? { tokens: this.limit.burst, at: nowMs };
    b.tokens = this.tokensAt(b, nowMs);
    b.at = nowMs;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    // Forget full buckets now and then, so a fleet's worth of keys does not pile up.
    if (this.buckets.size > 50_000) this.sweep(nowMs);
    return { ok: false, retryAfterSeconds: Math.ceil((1 - b.tokens) / this.perMs / 1000) };
  }

  private sweep(nowMs: number) {
    for (const [key, b] of this.buckets) if (this.tokensAt(b, nowMs) >= this.limit.burst) this.buckets.delete(key);
  }
}

/** The limit for FLEETWATCH_AGENT_REQUESTS_PER_MINUTE (config/server-config.ts): none for 0, burst a third of it. */
export function agentRateLimit(perMinute: number): RateLimit | null {
  if (perMinute === 0) return null;
  return { perMinute, burst: Math.max(1, Math.ceil(perMinute / 3)) };
}
