import { createRequire } from "node:module";
import { createCaller, createContextInner } from "@fleetwatch/api";
import { type Db, PrismaClient } from "@fleetwatch/db/client";
import type { PgPool } from "../../../packages/api/bench/setup";

// bench:web --explain: each page's statements, as Prisma sent them (its query log, with the
// values), re-run under EXPLAIN (ANALYZE, BUFFERS) on the loaded fleet. Where a page's time goes,
// statement by statement, with real row counts and pages read.

interface Sent {
  query: string;
  params: string;
}

/** A client like the app's that also records every statement it sends. */
function recordingClient(url: string, sent: Sent[]): Db {
  const require = createRequire(import.meta.resolve("@fleetwatch/db/client"));
  const { PrismaPg } = require("@prisma/adapter-pg") as { PrismaPg: new (config: { connectionString: string }) => unknown };
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) as never, log: [{ emit: "event", level: "query" }] });
  (client as unknown as { $on(event: "query", cb: (e: Sent) => void): void }).$on("query", (e) => sent.push(e));
  return client as Db;
}

export async function explainPages(
  url: string,
  pg: PgPool,
  now: Date,
  pages: { label: string; run: (caller: ReturnType<typeof createCaller>) => Promise<unknown> }[],
  log: (line: string) => void,
) {
  const sent: Sent[] = [];
  const db = recordingClient(url, sent);
  const caller = createCaller(
    createContextInner({
      db,
      caller: { kind: "user", userId: "00000000-0000-4000-8000-000000000000", email: "bench@x", role: "admin" },
      now: () => now,
    }),
  );
  try {
    for (const page of pages) {
      await page.run(caller); // warm: the plans below are of a warm cache, as the timings are
      sent.length = 0;
      await page.run(caller);
      log(`${page.label}: ${sent.length} statements`);
      for (const s of [...sent]) {
        if (!/^\s*(SELECT|WITH)/i.test(s.query)) continue;
        const params = JSON.parse(s.params) as unknown[];
        const plan = await pg
          .query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${s.query}`, params)
          .catch((err: unknown) => ({ rows: [{ "QUERY PLAN": `(no plan: ${String(err)})` }] }));
        const total = plan.rows.find((r) => r["QUERY PLAN"].startsWith("Execution Time"))?.["QUERY PLAN"] ?? "";
        log(`  ${total.padEnd(28)} ${s.query.replace(/\s+/g, " ").slice(0, 150)}`);
        for (const r of plan.rows) log(`      ${r["QUERY PLAN"]}`);
      }
    }
  } finally {
    await db.$disconnect();
  }
}
