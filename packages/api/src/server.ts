import { getDb, type Role } from "@fleetwatch/db/client";
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

let limiter: RateLimiter | null | undefined;
/** One limiter per process, from FLEETWATCH_AGENT_REQUESTS_PER_MINUTE, made on first use. */
function processLimiter(): RateLimiter | undefined {
  if (limiter === undefined) {
    const limit = agentRateLimitFromEnv(process.env);
    limiter = limit ? new RateLimiter(limit) : null;
  }
  return limiter ?? undefined;
}

export function verifyCredentials(email: string, password: string) {
  return verify(getDb(), email, password);
}

/** The user a single sign-on is for; `newcomerRole` is what someone unknown gets (null refuses them). */
export function signInWithSso(email: string, newcomerRole: Role | null) {
  return ssoUser(getDb(), { email, newcomerRole });
}
