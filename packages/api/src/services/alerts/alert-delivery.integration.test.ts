import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runJudge } from "../../jobs/judge";
import { nightOn as night, severedOn, shipNights } from "../../testing";
import { deliverPending, type WebhookPayload } from "./alert-delivery";

const SECRET = "test-webhook-secret";
const T0 = new Date("2026-03-10T08:00:00Z");
const later = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

type Reply = { status: number; headers?: Record<string, string>; body?: string } | "hang";
interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver that answers each request with the next scripted reply (200 when none is left). */
async function receiver(replies: Reply[] = []) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const reply = replies.shift() ?? { status: 200 };
      if (reply === "hang") return;
      res.writeHead(reply.status, reply.headers).end(reply.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  servers.push(server);
  return { url, received };
}

/** What a receiver does: recompute the HMAC over the raw body and compare in constant time. */
function signatureValid(r: Received): boolean {
  const expected = Buffer.from(`sha256=${createHmac("sha256", SECRET).update(r.body).digest("hex")}`);
  const got = Buffer.from(String(r.headers["x-fleetwatch-signature"] ?? ""));
  return got.length === expected.length && timingSafeEqual(got, expected);
}

let t: TestDatabase;
let servers: ReturnType<typeof createServer>[] = [];
beforeEach(async () => {
  t = await createTestDatabase();
  servers = [];
});
afterEach(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
  await t?.drop();
});

/** One open alert with a webhook delivery due at T0. */
async function queued(url: string, title = "PC1: locked") {
  const node = await t.db.node.create({ data: { name: `PC-${Math.random().toString(36).slice(2, 8)}` }, select: { id: true } });
  const alert = await t.db.alert.create({
    data: {
      dedupeKey: `locked:${node.id}`,
      nodeId: node.id,
      kind: "locked",
      severity: "critical",
      title,
      body: "LOCKED=YES",
      raisedAt: T0,
    },
    select: { id: true },
  });
  const event = await t.db.alertEvent.create({ data: { alertId: alert.id, at: T0, kind: "opened" }, select: { id: true } });
  return t.db.alertDelivery.create({
    data: { alertId: alert.id, eventId: event.id, channel: "webhook", target: url, nextAttemptAt: T0 },
    select: { id: true },
  });
}
const row = (id: string) =>
  t.db.alertDelivery.findUniqueOrThrow({
    where: { id },
    select: { status: true, attempts: true, lastError: true, nextAttemptAt: true, deliveredAt: true },
  });

describe("webhook delivery", () => {
  it("sends the judge's alerts as signed JSON and marks them delivered", async () => {
    const hook = await receiver();
    await t.db.setting.create({ data: { key: "channels", value: { webhook: { url: hook.url } } } });
    await shipNights(t.db, { PC5: [night(1), night(2), night(3), night(4), severedOn(5)] });
    await runJudge(t.db, new Date("2026-03-06T08:00:00Z"));

    // The judge queues deliveries at the database's clock, so send at the real one.
    const report = await deliverPending(t.db, { now: new Date(), secret: SECRET });
    // One problem, one alert: the severed night and the manual backup it needs are one message.
    expect(report.delivered).toBe(1);
    expect(report).toMatchObject({ retrying: 0, failed: 0 });
    expect(hook.received).toHaveLength(report.delivered);
    for (const r of hook.received) {
      expect(signatureValid(r)).toBe(true);
      expect(r.headers["content-type"]).toBe("application/json");
      expect(Number(r.headers["x-fleetwatch-timestamp"])).toBeGreaterThan(0);
      expect(r.headers["x-fleetwatch-delivery"]).toBeTruthy();
    }
    const payloads = hook.received.map((r) => JSON.parse(r.body) as WebhookPayload);
    const [night5] = payloads;
    expect(night5).toMatchObject({
      version: 2,
      event: { kind: "opened" },
      kind: "backup",
      state: "open",
      severity: "critical",
      occurrences: 1,
      node: { name: "PC5" },
      resolvedAt: null,
    });
    expect(night5?.title).toBe("PC5: failed 1 night since 5 Mar: run a manual backup");
    // Staff read words, never the internal name of the cause.
    expect(night5?.body).toMatch(/^SEVERED NIGHTLY on 2026-03-05 22:00: Connection to the server was lost$/m);
    expect(night5?.body).not.toMatch(/communication-lost/);
    expect(await t.db.alertDelivery.count({ where: { status: { not: "delivered" } } })).toBe(0);

    expect((await deliverPending(t.db, { now: new Date(), secret: SECRET })).attempted).toBe(0);
  });

  it("retries a 500 after the backoff and delivers on the next 200", async () => {
    const hook = await receiver([{ status: 500, body: "database down" }, { status: 200 }]);
    const d = await queued(hook.url);
    expect(await deliverPending(t.db, { now: T0, secret: SECRET })).toMatchObject({ attempted: 1, retrying: 1 });
    expect(await row(d.id)).toMatchObject({
      status: "pending",
      attempts: 1,
      lastError: "HTTP 500: database down",
      nextAttemptAt: later(30),
    });

    expect((await deliverPending(t.db, { now: later(20), secret: SECRET })).attempted).toBe(0);
    expect(await deliverPending(t.db, { now: later(31), secret: SECRET })).toMatchObject({ attempted: 1, delivered: 1 });
    expect(await row(d.id)).toMatchObject({ status: "delivered", attempts: 2, lastError: null, deliveredAt: later(31) });
    expect(hook.received).toHaveLength(2);
    // A retry is the same delivery: receivers de-duplicate on its id.
    expect(hook.received[0]?.headers["x-fleetwatch-delivery"]).toBe(hook.received[1]?.headers["x-fleetwatch-delivery"]);
  });

  it("fails a 400 at once, with the receiver's answer visible, and never sends it again", async () => {
    const hook = await receiver([{ status: 400, body: '{"error":"unknown field kind"}' }]);
    const d = await queued(hook.url);
    expect(await deliverPending(t.db, { now: T0, secret: SECRET })).toMatchObject({ failed: 1 });
    expect(await row(d.id)).toMatchObject({ status: "failed", attempts: 1, lastError: 'HTTP 400: {"error":"unknown field kind"}' });
    expect((await deliverPending(t.db, { now: later(7200), secret: SECRET })).attempted).toBe(0);
    expect(hook.received).toHaveLength(1);
  });

  it("gives up on a hanging endpoint at the deadline without holding up the others", async () => {
    const slow = await receiver(["hang"]);
    const fast = await receiver();
    const stuck = await queued(slow.url, "slow");
    const quick = await queued(fast.url, "fast");
    const started = Date.now();
    const report = await deliverPending(t.db, { now: T0, secret: SECRET, timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(report).toMatchObject({ attempted: 2, delivered: 1, retrying: 1 });
    expect(await row(quick.id)).toMatchObject({ status: "delivered" });
    expect(await row(stuck.id)).toMatchObject({ status: "pending", lastError: "no answer within 300 ms", nextAttemptAt: later(30) });
  });

  it("waits as long as Retry-After asks, in seconds or as a date", async () => {
    const hook = await receiver([
      { status: 429, headers: { "Retry-After": "120" } },
      { status: 503, headers: { "Retry-After": later(600).toUTCString() } },
    ]);
    const a = await queued(hook.url, "a");
    await deliverPending(t.db, { now: T0, secret: SECRET, concurrency: 1 });
    const b = await queued(hook.url, "b");
    await deliverPending(t.db, { now: T0, secret: SECRET });
    expect(await row(a.id)).toMatchObject({ status: "pending", lastError: "HTTP 429", nextAttemptAt: later(120) });
    expect(await row(b.id)).toMatchObject({ status: "pending", lastError: "HTTP 503", nextAttemptAt: later(600) });
  });

  it("gives up after the last attempt and says so", async () => {
    const hook = await receiver([{ status: 502 }, { status: 502 }, { status: 502 }]);
    const d = await queued(hook.url);
    const policy = { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 60_000, leaseMs: 60_000 };
    for (const s of [0, 1, 3]) await deliverPending(t.db, { now: later(s), secret: SECRET, policy });
    expect(await row(d.id)).toMatchObject({ status: "failed", attempts: 3, lastError: "gave up after 3 attempts: HTTP 502" });
    expect(hook.received).toHaveLength(3);
  });

  it("retries when the endpoint refuses the connection", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const d = await queued(`http://127.0.0.1:${port}/hook`);
    await deliverPending(t.db, { now: T0, secret: SECRET });
    expect(await row(d.id)).toMatchObject({ status: "pending", attempts: 1, lastError: expect.stringMatching(/ECONNREFUSED/) });
  });

  it("refuses to send unsigned when no secret is set", async () => {
    const hook = await receiver();
    const d = await queued(hook.url);
    expect(await deliverPending(t.db, { now: T0, secret: null })).toMatchObject({ failed: 1 });
    expect(await row(d.id)).toMatchObject({ status: "failed", lastError: expect.stringMatching(/FLEETWATCH_WEBHOOK_SECRET is not set/) });
    expect(hook.received).toHaveLength(0);
  });
});
