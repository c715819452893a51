import { getDb } from "@fleetwatch/db/client";
import { createContext, type SessionUser } from "./context";
import { verifyCredentials as verify } from "./services/users";

/**
 * Entry points for an app process: they use the process's one Prisma client, so apps never
 * import the database package themselves (apps -> api -> db).
 */
export function createRequestContext(opts: { authorization: string | null; user: SessionUser | null }) {
  return createContext({ db: getDb(), ...opts });
}

export function verifyCredentials(email: string, password: string) {
  return verify(getDb(), email, password);
}
