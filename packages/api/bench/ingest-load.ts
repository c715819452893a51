import { randomUUID } from "node:crypto";
import type { EventReport } from "@fleetwatch/core/schemas";
import { localToUtc } from "@fleetwatch/core/windows";
import type { Db } from "@fleetwatch/db/client";
import { Agent, request } from "undici";
import { createEnrollmentToken } from "../src/services/ingest/agents";
import type { AgentLoad, Batch } from "./fleet";
import type { PgPool } from "./setup";

export interface Pass {
  seconds: number;
  batches: number;
  events: number;
  accepted: number;
}

/** Each simulated agent trades a one-time token (made as an admin would) for its credential, over HTTP. */
export async function enrollAgents(db: Db, apiUrl: string, loads: readonly AgentLoad[], concurrency: number): Promise<string[]> {
  const http = new Agent({ connections: concurrency });
  const tokens: string[] = new Array(loads.length);
  try {
    await pool(loads.length, concurrency, async (i) => {
      const load = loads[i]!;
      const { token } = await createEnrollmentToken(db, { createdBy: "bench", note: load.name, ttlHours: 1, now: new Date() });
      const ack = await post<{ token: string }>(
        http,
        `${apiUrl}/ingest.enroll`,
        null,
        JSON.stringify({ json: { enrollmentToken: token, name: load.name } }),
      );
      tokens[i] = ack.token;
    });
  } finally {
    await http.close();
  }
  return tokens;
}

/**
 * `concurrency` agents at a time POST their batches to ingest.batch, each agent its own batches in
 * order (as one agent ships), many agents side by side (as a fleet does). The clock runs from the
 * first request to the last acknowledgement.
 */
export async function ship(
  apiUrl: string,
  work: readonly { token: string; batches: readonly Batch[] }[],
  concurrency: number,
): Promise<Pass> {
  const http = new Agent({ connections: concurrency, keepAliveTimeout: 60_000 });
  let accepted = 0;
  let batches = 0;
  let events = 0;
  const started = performance.now();
  try {
    await pool(work.length, concurrency, async (i) => {
      const { token, batches: list } = work[i]!;
      for (const batch of list) {
        const ack = await post<{ acceptedEvents: number }>(http, `${apiUrl}/ingest.batch`, token, batch.body);
        accepted += ack.acceptedEvents;
        events += batch.events;
        batches++;
      }
    });
  } finally {
    await http.close();
  }
  return { seconds: (performance.now() - started) / 1000, batches, events, accepted };
}

async function post<T>(http: Agent, url: string, token: string | null, body: string): Promise<T> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await request(url, { method: "POST", headers, body, dispatcher: http });
  const payload = (await res.body.json()) as { result?: { data?: { json?: T } }; error?: { json?: { message?: string } } };
  if (res.statusCode !== 200 || payload.error) {
    throw new Error(`${url} answered ${res.statusCode}: ${payload.error?.json?.message ?? "no message"}`);
  }
  return payload.result?.data?.json as T;
}

/** Run `work(0..count-1)` with at most `limit` in flight. */
export async function pool(count: number, limit: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      for (let i = next++; i < count; i = next++) await work(i);
    }),
  );
}

// ---- baseline: the same window rows straight into PostgreSQL ---------------------------------

type Statement = { values: unknown[]; rows: number };

/**
 * The floor: the same window rows, in the same batches, written by one batched
 * `INSERT ... SELECT FROM unnest(...) ON CONFLICT DO UPDATE` each over node-postgres, into a table
 * shaped and indexed like "Window" (no foreign key: there are no nodes). The rows are made ready
 * before the clock starts; only the SQL is timed.
 */
export async function baseline(pg: PgPool, loads: readonly AgentLoad[], concurrency: number): Promise<Pass> {
  await pg.query(`DROP TABLE IF EXISTS bench_window`);
  await pg.query(`CREATE TABLE bench_window (LIKE "Window" INCLUDING ALL)`);
  const statements: Statement[] = [];
  for (const load of loads) {
    const nodeId = randomUUID();
    for (const batch of load.backfill) statements.push(rowsOf(nodeId, batch.batch.events as EventReport[]));
  }
  let rows = 0;
  const started = performance.now();
  await pool(statements.length, concurrency, async (i) => {
    const s = statements[i]!;
    if (!s.rows) return;
    await pg.query(BASELINE_SQL, s.values);
    rows += s.rows;
  });
  const seconds = (performance.now() - started) / 1000;
  await pg.query(`DROP TABLE bench_window`);
  return { seconds, batches: statements.length, events: rows, accepted: rows };
}

const BASELINE_SQL = `
  INSERT INTO bench_window (id, "nodeId", schedule, "scheduledStart", "localStart", outcome, "returnCode", "startedAt", "endedAt",
                            "objectsInspected", "objectsBackedUp", "objectsFailed", "bytesTransferred", "elapsedSeconds",
                            stats, causes, cause, benign, source)
  SELECT id, "nodeId", schedule, "scheduledStart", "localStart", outcome::"WindowOutcome", rc, started, ended,
         inspected, backed, failed, bytes, elapsed, stats::jsonb, causes::text[], cause, benign, 'agent'
    FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::int[], $8::timestamptz[],
                $9::timestamptz[], $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[], $14::int[], $15::text[], $16::text[],
                $17::text[], $18::bool[])
      AS r(id, "nodeId", schedule, "scheduledStart", "localStart", outcome, rc, started, ended, inspected, backed, failed, bytes,
           elapsed, stats, causes, cause, benign)
  ON CONFLICT ("nodeId", schedule, "scheduledStart") DO UPDATE
     SET outcome = EXCLUDED.outcome, "returnCode" = EXCLUDED."returnCode", "endedAt" = EXCLUDED."endedAt", stats = EXCLUDED.stats,
         causes = EXCLUDED.causes, cause = EXCLUDED.cause, "updatedAt" = now()`;

function rowsOf(nodeId: string, reports: readonly EventReport[]): Statement {
  const cols = Array.from({ length: 18 }, () => [] as unknown[]);
  const seen = new Set<string>();
  for (const { event, utcOffsetMinutes } of reports) {
    const local = event.scheduledStart ?? event.startedAt;
    if (!local || seen.has(`${event.schedule}\n${local}`)) continue;
    seen.add(`${event.schedule}\n${local}`);
    const at = (l: string | null) => (l ? localToUtc(l, utcOffsetMinutes) : null);
    const s = event.stats;
    const row = [
      randomUUID(),
      nodeId,
      event.schedule,
      at(local),
      local,
      event.status === "in-progress" ? "in-progress" : event.status,
      event.returnCode,
      at(event.startedAt),
      at(event.endedAt),
      s?.inspected ?? null,
      s?.backedUp ?? null,
      s?.failed ?? null,
      s?.bytesTransferred ?? null,
      s?.elapsedSeconds ?? null,
      s ? JSON.stringify(s) : null,
      `{${event.causes.map((c) => JSON.stringify(c)).join(",")}}`,
      event.cause,
      event.benign,
    ];
    for (const [k, v] of row.entries()) cols[k]!.push(v);
  }
  return { values: cols, rows: seen.size };
}
