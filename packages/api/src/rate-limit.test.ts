import { describe, expect, it } from "vitest";
import { parseServerEnv } from "./config/server-config";
import { agentRateLimit, RateLimiter } from "./rate-limit";

const agentRateLimitFromEnv = (env: Record<string, string>) => agentRateLimit(parseServerEnv(env).FLEETWATCH_AGENT_REQUESTS_PER_MINUTE);

describe("the per-agent rate limit", () => {
  it("lets a burst through, then refuses with how long to wait, then refills at the rate", () => {
    const limiter = new RateLimiter({ perMinute: 60, burst: 3 });
    const t0 = 1_000_000;
    expect([1, 2, 3].map(() => limiter.take("a", t0).ok)).toEqual([true, true, true]);
    expect(limiter.take("a", t0)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take("a", t0 + 1_000).ok).toBe(true);
    expect(limiter.take("a", t0 + 1_000).ok).toBe(false);
  });

  it("keeps each agent's bucket apart", () => {
    const limiter = new RateLimiter({ perMinute: 6, burst: 1 });
    expect(limiter.take("a", 0).ok).toBe(true);
    expect(limiter.take("a", 0)).toEqual({ ok: false, retryAfterSeconds: 10 });
    expect(limiter.take("b", 0).ok).toBe(true);
  });

  it("reads its setting from the environment, 0 for none, and refuses nonsense in one line", () => {
    expect(agentRateLimitFromEnv({})).toEqual({ perMinute: 300, burst: 100 });
    expect(agentRateLimitFromEnv({ FLEETWATCH_AGENT_REQUESTS_PER_MINUTE: "0" })).toBeNull();
    expect(() => agentRateLimitFromEnv({ FLEETWATCH_AGENT_REQUESTS_PER_MINUTE: "lots" })).toThrow(
      'FLEETWATCH_AGENT_REQUESTS_PER_MINUTE must be a number of requests, 0 for no limit (got "lots")',
    );
  });
});
