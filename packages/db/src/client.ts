import { PrismaPg } from "@prisma/adapter-pg";
import { DbSetupError } from "./errors";
import { PrismaClient } from "./generated/prisma/client";

// The one place a PrismaClient is made. Prisma 7's `prisma-client` generator needs a driver
// adapter at run time (no native engine): @prisma/adapter-pg over node-postgres.

export type {
  Agent,
  Alert,
  AlertDelivery,
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
export { DeliveryStatus, FlagKind, Prisma, PrismaClient, Role, ScheduleSource, WindowOutcome } from "./generated/prisma/client";

export type Db = PrismaClient;

/** A client for `url`. Prefer getDb() in app code; this is for tests and tools with their own database. */
export function createDb(url: string): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
}

// Kept on globalThis so a dev server's hot reload reuses the client instead of leaking pools.
const cache = globalThis as typeof globalThis & { __fleetwatchDb?: Db };

/** The process's client for DATABASE_URL, made on first use. */
export function getDb(): Db {
  if (!cache.__fleetwatchDb) {
    const url = process.env.DATABASE_URL;
    if (!url) {
      throw new DbSetupError(
        "bad-config",
        "DATABASE_URL is not set: start through `pnpm start` (it sets it) or export DATABASE_URL=postgresql://...",
      );
    }
    cache.__fleetwatchDb = createDb(url);
  }
  return cache.__fleetwatchDb;
}
