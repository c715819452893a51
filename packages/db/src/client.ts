import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client";
import { perProcess } from "./per-process";

// The one place a PrismaClient is made. Prisma 7's `prisma-client` generator needs a driver
// adapter at run time (no native engine): @prisma/adapter-pg over node-postgres.

export type {
  Agent,
  Alert,
  AlertDelivery,
  ApiKey,
  AuditLog,
  EnrollmentToken,
  EventMessage,
  Flag,
  Heartbeat,
  Machine,
  Node,
  NodeSchedule,
  Problem,
  Schedule,
  Setting,
  User,
  Window,
} from "./generated/prisma/client";
export {
  ApiKeyScope,
  DeliveryStatus,
  FlagKind,
  Prisma,
  PrismaClient,
  Role,
  ScheduleSource,
  WindowOutcome,
} from "./generated/prisma/client";

export type Db = PrismaClient;

/**
 * A client for `url`. App code uses the process's one (getDb, through the api); this is for
 * tests and tools with their own database. Its node-postgres pool is ours, handed to Prisma's adapter, so the hot paths that
 * talk to PostgreSQL directly (sql.ts) share Prisma's connections instead of opening their own;
 * `$disconnect()` ends it.
 */
export function createDb(url: string): Db {
  const pool = new pg.Pool({ connectionString: url });
  // An idle connection the server closes (a restart, a failover) is dropped from the pool; the next
  // query opens a new one or fails with its own error. Without a listener the event would end the process.
  pool.on("error", () => {});
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  // On the client itself, not in a module-level map: a bundler may give each chunk its own copy of
  // this module, and every copy must find the pool of a client another copy made (per-process.ts).
  Object.defineProperty(db, POOL, { value: pool });
  return db;
}

const POOL = Symbol.for("fleetwatch.db.pool");

/** The pool under a client made by createDb. */
export function poolOf(db: Db): pg.Pool {
  const pool = (db as Db & { [POOL]?: pg.Pool })[POOL];
  if (!pool) throw new Error("this Prisma client was not made by createDb: it has no pool of ours");
  return pool;
}

/**
 * The process's client, made on first use for `url` (the api hands it DATABASE_URL from its
 * settings: db reads no environment); one per process (per-process.ts), so later calls get the
 * first client whatever they pass.
 */
export function getDb(url: string): Db {
  return perProcess("db.client", () => createDb(url));
}
