import type { PrismaClient } from "@fleetwatch/db";
import { Prisma } from "@fleetwatch/db/client";
import { sqlQuery } from "@fleetwatch/db/sql";
import type { Caller } from "./caller";
import type { RateLimiter } from "./rate-limit";
import { hashToken } from "./tokens";

export type Db = PrismaClient;

export interface Context {
  db: Db;
  caller: Caller;
  now: () => Date;
  /** The process's per-agent request limit; none in tests that drive callers directly. */
  agentLimiter?: RateLimiter;
}

/** The inner context: tests build it directly with a real database and any caller. */
export function createContextInner(opts: { db: Db; caller?: Caller; now?: () => Date; agentLimiter?: RateLimiter }): Context {
  return {
    db: opts.db,
    caller: opts.caller ?? { kind: "anonymous" },
    now: opts.now ?? (() => new Date()),
    ...(opts.agentLimiter ? { agentLimiter: opts.agentLimiter } : {}),
  };
}

export interface SessionUser {
  id: string;
  email: string;
  role: "viewer" | "operator" | "admin";
}

/**
 * Resolve the caller of an HTTP request. Agents authenticate with `Authorization: Bearer <token>`
 * (never a cookie, so CSRF cannot ride on it); users with the web session the app resolved.
 */
export async function resolveCaller(db: Db, authorization: string | null, user: SessionUser | null): Promise<Caller> {
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) {
    // Every agent request starts here: one prepared statement, not an ORM query (db/sql.ts).
    const [agent] = await sqlQuery<{ id: string; machineRef: string | null; revokedAt: Date | null; collector: boolean }>(
      db,
      Prisma.sql`SELECT id, "machineRef", "revokedAt", collector FROM "Agent" WHERE "tokenHash" = ${hashToken(bearer)}`,
      { prepared: true },
    );
    if (agent && !agent.revokedAt) return { kind: "agent", agentId: agent.id, machineRef: agent.machineRef, collector: agent.collector };
    return { kind: "anonymous" };
  }
  if (user) {
    // The session may be hours old: the account's state now decides (disabled, role changed).
    const now = await db.user.findUnique({ where: { id: user.id }, select: { email: true, role: true, disabledAt: true } });
    if (!now || now.disabledAt) return { kind: "anonymous" };
    return { kind: "user", userId: user.id, email: now.email, role: now.role };
  }
  return { kind: "anonymous" };
}

export async function createContext(opts: {
  db: Db;
  authorization: string | null;
  user: SessionUser | null;
  agentLimiter?: RateLimiter;
}): Promise<Context> {
  return createContextInner({
    db: opts.db,
    caller: await resolveCaller(opts.db, opts.authorization, opts.user),
    agentLimiter: opts.agentLimiter,
  });
}

/** A Prisma interactive transaction: services that compose take it in place of `db`. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
