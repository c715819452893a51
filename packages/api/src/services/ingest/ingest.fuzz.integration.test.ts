import { seededRandom } from "@fleetwatch/core/demo";
import { type IngestBatchInput, ingestEnvelope, localTime, screenBatch } from "@fleetwatch/core/schemas";
import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, expect, it, describe as suite } from "vitest";
import { ansMessage, batchOf, completedEvent, enrolledAgent, heartbeatAt } from "../../testing";

// Thousands of near-valid batches, each a valid one with a few values swapped for what a broken
// agent, a garbled log or an attacker might send. None may get a 500, and the database may hold
// only what valid records could have made: every window is one a valid event of some batch named.

const RUNS = 1500;
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.drop());

const oddValues: unknown[] = [
  2 ** 31,
  2 ** 40,
  2 ** 53 + 2,
  -1,
  -(2 ** 31) - 1,
  0.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  "",
  "\u0000",
  "x".repeat(70_000),
  "\ud800",
  "' OR 1=1 --",
  null,
  true,
  {},
  [],
  [null],
  { nested: { deeper: "x".repeat(1000) } },
  "2024-13-45T25:61:61",
  "0000-01-01T00:00:00",
  "9999-12-31T23:59:59",
  "2024-02-30T00:00:00",
  "2026-03-01T00:00:00Z",
  "2026-03-01T00:00:00+25:00",
];

function validBatch(rand: () => number, n: number): IngestBatchInput {
  const node = `FUZZ-${n % 7}`;
  const day = 1 + Math.floor(rand() * 28);
  const at = `2026-02-${String(day).padStart(2, "0")}`;
  const event = completedEvent({
    scheduledStart: `${at}T20:00:00`,
    startedAt: `${at}T20:00:05`,
    endedAt: `${at}T20:30:00`,
    messages: rand() < 0.5 ? [ansMessage("ANS1228E", `${at}T20:10:00`)] : [],
  });
  return {
    ...batchOf(`m-fuzz-${n % 7}`, node, [event]),
    problems: rand() < 0.3 ? [{ node, utcOffsetMinutes: 0, message: ansMessage("ANS2050E", `${at}T19:00:00`) }] : [],
    heartbeats: rand() < 0.3 ? [heartbeatAt(node, new Date(`${at}T21:00:00Z`))] : [],
    announcements: [],
  };
}

/** Every path to a leaf or a container in `value`. */
function paths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = at.length ? [at] : [];
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, Array.isArray(value) ? Number(k) : k]));
  }
  return out;
}

function mutate(batch: IngestBatchInput, rand: () => number): unknown {
  const copy = structuredClone(batch) as unknown as Record<string, unknown>;
  const all = paths(copy);
  for (let i = 0, n = 1 + Math.floor(rand() * 3); i < n; i++) {
    const path = all[Math.floor(rand() * all.length)] as (string | number)[];
    let parent = copy as Record<string | number, unknown> | undefined;
    for (const key of path.slice(0, -1)) parent = parent && typeof parent === "object" ? (parent[key] as typeof parent) : undefined;
    if (!parent || typeof parent !== "object") continue; // an earlier change replaced a container
    const last = path.at(-1) as string | number;
    const r = rand();
    // A copy of the odd value: what arrives over HTTP is a fresh tree, never shared or cyclic.
    const odd = () => structuredClone(oddValues[Math.floor(rand() * oddValues.length)]);
    if (r < 0.1) delete parent[last];
    else if (r < 0.2) parent[`extra${Math.floor(rand() * 3)}`] = odd();
    else parent[last] = odd();
  }
  return copy;
}

suite("ingest.batch under fuzzing", () => {
  it(`never answers 500 and stores only what valid records make (${RUNS} near-valid batches)`, async () => {
    const rand = seededRandom(20261207);
    const agents = await Promise.all(Array.from({ length: 7 }, (_, i) => enrolledAgent(t.db, `fuzz-${i}`)));
    const validKeys = new Set<string>();
    const outcomes: Record<string, number> = {};
    for (let n = 0; n < RUNS; n++) {
      // One in five goes as it is, so that valid batches keep arriving among the broken ones.
      const input = rand() < 0.2 ? validBatch(rand, n) : mutate(validBatch(rand, n), rand);
      // What a valid batch could have made of this one: its valid records, if its envelope holds.
      const envelope = ingestEnvelope.safeParse(input);
      if (envelope.success) {
        for (const e of screenBatch(envelope.data).batch.events)
          validKeys.add(`${e.node}|${e.event.schedule}|${e.event.scheduledStart ?? e.event.startedAt}`);
      }
      try {
        await (agents[n % 7] as (typeof agents)[number]).caller.ingest.batch(input as IngestBatchInput);
        outcomes.ok = (outcomes.ok ?? 0) + 1;
      } catch (error) {
        const code = error instanceof TRPCError ? error.code : `not a TRPCError: ${String(error)}`;
        if (code === "INTERNAL_SERVER_ERROR" || !(error instanceof TRPCError)) {
          throw new Error(`run ${n}: ${code}: ${(error as Error).message}\n${describe(input)}`);
        }
        outcomes[code] = (outcomes[code] ?? 0) + 1;
        expect((error as Error).message).not.toContain("\n");
      }
    }
    console.log(`fuzz: ${RUNS} batches: ${JSON.stringify(outcomes)}`);
    expect(outcomes.ok).toBeGreaterThan(RUNS / 8);
    expect(outcomes.UNPROCESSABLE_CONTENT).toBeGreaterThan(RUNS / 10);

    const windows = await t.db.window.findMany({ include: { node: { select: { name: true } }, messages: true } });
    expect(windows.length).toBeGreaterThan(0);
    for (const w of windows) {
      expect(validKeys.has(`${w.node.name}|${w.schedule}|${w.localStart}`), `${w.node.name} ${w.schedule} ${w.localStart}`).toBe(true);
      expect(localTime.safeParse(w.localStart).success).toBe(true);
      for (const m of w.messages) expect(m.text).not.toContain("\u0000");
    }
    const heartbeats = await t.db.heartbeat.findMany({ select: { at: true } });
    for (const h of heartbeats) expect(h.at.getUTCFullYear()).toBeGreaterThanOrEqual(1990);
  }, 600_000);
});

function describe(input: unknown): string {
  try {
    return JSON.stringify(input).slice(0, 2000);
  } catch (error) {
    return `(input not printable: ${(error as Error).message})`;
  }
}
