import { getDb, type Role } from "@fleetwatch/db/client";
import { perProcess } from "@fleetwatch/db/per-process";
import { createContext, type SessionUser } from "./context";
import { agentRateLimitFromEnv, RateLimiter } from "./rate-limit";
import { ssoUser, verifyCredentials as verify } from "./services/users";

/**
 * Entry points for an app process: they use the process's one Prisma client, so apps never
 * import the database package themselves (apps -> api -> db).
 */
export function createRequestContext(opts: { authorization: string | null; user: SessionUser | null }) {
  return createContext({ db: getDb(), ...opts, agentLimiter: processLimiter() });
}

/** One limiter per process (not per bundled chunk), from FLEETWATCH_AGENT_REQUESTS_PER_MINUTE. */
function processLimiter(): RateLimiter | undefined {
  return perProcess("api.agent-limiter", () => {
    const limit = agentRateLimitFromEnv(process.env);
    return limit ? new RateLimiter(limit) : undefined;
  });
}

export function verifyCredentials(email: string, password: string) {
  return verify(getDb(), email, password);
}

/** The user a single sign-on is for; `newcomerRole` is what someone unknown gets (null refuses them). */
export function signInWithSso(email: string, newcomerRole: Role | null) {
  return ssoUser(getDb(), { email, newcomerRole });
}
