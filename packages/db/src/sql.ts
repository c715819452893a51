import { createHash } from "node:crypto";
import type pg from "pg";
import { type Db, type Prisma, poolOf } from "./client";

// Set-based SQL on the hot paths (an agent's batch), straight over node-postgres. Prisma's raw
// queries cost about 0.45 ms of CPU more per statement than the driver under them, plus about
// 7 µs per KiB of parameters, and an interactive transaction about 1.1 ms more: on a 100-event
// batch that is a third of the server's CPU (bench:server). Statements are still built with
// Prisma.sql, so they read the same wherever they run.

/** Something that runs a Prisma.sql statement: a direct transaction, or a Prisma one (prismaSql). */
export interface Sql {
  /**
   * The statement's rows. `prepared`: PostgreSQL parses and plans it once per connection and
   * reuses the plan; only for statements whose text comes from a small, fixed set (every value a
   * parameter), since each text stays prepared for the connection's life.
   */
  query<R>(statement: Prisma.Sql, opts?: { prepared?: boolean }): Promise<R[]>;
}

export interface TransactionOptions {
  /**
   * Its prepared statements always run with their one generic plan, never re-planned for the
   * values at hand (PostgreSQL re-plans a statement whose generic plan it guesses dearer, which
   * costs more than it saves for statements that look rows up by key).
   */
  genericPlans?: boolean;
  /** A statement running longer (waiting on a lock included) is cancelled and the transaction rolled back. */
  statementTimeoutMs?: number;
}

/**
 * Run `work` in one transaction on one of the client's connections: committed if it returns,
 * rolled back if it throws.
 */
export async function sqlTransaction<T>(db: Db, work: (sql: Sql) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
  const client = await poolOf(db).connect();
  let broken: Error | undefined;
  try {
    // One round trip: BEGIN and the transaction's settings as one simple query.
    const settings = [
      opts.genericPlans ? "SET LOCAL plan_cache_mode = force_generic_plan" : null,
      opts.statementTimeoutMs ? `SET LOCAL statement_timeout = ${Math.round(opts.statementTimeoutMs)}` : null,
    ];
    await client.query(["BEGIN", ...settings.filter((s) => s !== null)].join("; "));
    const result = await work(clientSql(client));
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch((rollback: Error) => {
      // The connection is unusable: it goes back to the pool destroyed, never reused.
      broken = rollback;
    });
    throw err;
  } finally {
    client.release(broken);
  }
}

/** One statement on any free connection, outside a transaction. */
export async function sqlQuery<R>(db: Db, statement: Prisma.Sql, opts?: { prepared?: boolean }): Promise<R[]> {
  return clientSql(poolOf(db)).query<R>(statement, opts);
}

/** The same interface over a Prisma interactive transaction, for code that runs in both. */
export function prismaSql(tx: Pick<Db, "$queryRaw">): Sql {
  return { query: <R>(statement: Prisma.Sql) => tx.$queryRaw<R[]>(statement) };
}

/**
 * A PostgreSQL array literal, sent as one text parameter and cast (`${list(ids)}::uuid[]`): far
 * cheaper than an array whose every element the driver (or Prisma) converts. For values that need
 * no quoting: uuids, numbers, booleans, ISO instants, enum labels.
 */
export const list = (values: readonly (string | number | boolean | null)[]) =>
  `{${values.map((v) => (v === null ? "NULL" : String(v))).join(",")}}`;

/** The same for free text: every element quoted. */
export const texts = (values: readonly (string | null)[]) => `{${values.map((v) => (v === null ? "NULL" : quote(v))).join(",")}}`;

const quote = (v: string) => `"${v.replace(/[\\"]/g, "\\$&")}"`;

const names = new Map<string, string>();

/** A prepared statement's name: the same text always gets the same name, in every connection. */
function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `fw_${createHash("sha1").update(text).digest("hex").slice(0, 20)}`;
    names.set(text, name);
  }
  return name;
}

function clientSql(client: pg.Pool | pg.PoolClient): Sql {
  return {
    async query<R>(statement: Prisma.Sql, opts?: { prepared?: boolean }) {
      const text = statement.text;
      const result = await client.query({
        text,
        values: statement.values as unknown[],
        ...(opts?.prepared ? { name: nameOf(text) } : {}),
      });
      return result.rows as R[];
    },
  };
}
