import type { Role } from "@fleetwatch/db/client";
import { perProcess } from "@fleetwatch/db/per-process";
import { serverConfig } from "./config/server-config";
import { createContext, type SessionUser } from "./context";
import { handleApiRequest } from "./http/handler";
import { processDb } from "./process-db";
import { agentRateLimit, RateLimiter } from "./rate-limit";
import { passwordSignIn, signInPolicy as policyOf, type SignInPolicy, signInRefusal } from "./services/admin/signin-throttle";
import { ssoUser } from "./services/admin/users";

/**
 * Entry points for an app process: they use the process's one Prisma client, so apps never
 * import the database package themselves (apps -> api -> db).
 */
export function createRequestContext(opts: { authorization: string | null; user: SessionUser | null }) {
  return createContext({ db: processDb(), ...opts, agentLimiter: processLimiter() });
}

/** One limiter per process (not per bundled chunk), from FLEETWATCH_AGENT_REQUESTS_PER_MINUTE. */
function processLimiter(): RateLimiter | undefined {
  return perProcess("api.agent-limiter", () => {
    const limit = agentRateLimit(serverConfig().FLEETWATCH_AGENT_REQUESTS_PER_MINUTE);
    return limit ? new RateLimiter(limit) : undefined;
  });
}

/**
 * A password sign-in from `address` (null when unknown), throttled per account and per address
 * (services/admin/signin-throttle.ts): the user, or null after the failure's wait. Throws a
 * TOO_MANY_REQUESTS DomainError while either is backed off.
 */
export async function verifyCredentials(email: string, password: string, address: string | null) {
  const result = await passwordSignIn(processDb(), { email, password, address, now: new Date(), policy: signInPolicy() });
  if (result.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, result.delayMs));
  return result.user;
}

/** Whether sign-ins for this email or from this address are refused now: the one-line reason and the wait. */
export function signInBackOff(email: string, address: string | null) {
  return signInRefusal(processDb(), { email, address, now: new Date() });
}

function signInPolicy(): SignInPolicy {
  return policyOf(serverConfig().FLEETWATCH_SIGNIN_BACKOFF_SECONDS);
}

/** The user a single sign-on is for; `newcomerRole` is what someone unknown gets (null refuses them). */
export function signInWithSso(email: string, newcomerRole: Role | null) {
  return ssoUser(processDb(), { email, newcomerRole });
}

/** The HTTP API (/api/v1) of this process's database; errors' details go to the process's log. */
export function handleApiV1(request: Request) {
  return handleApiRequest(request, { db: processDb(), log: (line) => console.error(line) });
}
