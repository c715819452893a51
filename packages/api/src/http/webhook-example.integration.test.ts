import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runJudge } from "../jobs/judge";
import { deliverPending, signBody } from "../services/alerts/alert-delivery";
import { marchAt as at, batchOf, enrolledAgent, nightOn as night } from "../testing";
import { webhookPayloadV2 } from "./webhook";

// The README's receiver, run as a person would copy it: a real Fleetwatch delivery must pass its
// check, and a forged or stale one must not.

const repo = join(import.meta.dirname, "../../../..");
const examplePath = join(repo, "examples/webhook-receiver.mjs");
const SECRET = "example-webhook-secret";

type Verify = (raw: Buffer, signature: unknown, secret: string, now?: number) => Record<string, unknown> | null;
let verify: Verify;
let t: TestDatabase;
let child: ChildProcess;
let url: string;
const printed: string[] = [];

beforeAll(async () => {
  verify = ((await import(pathToFileURL(examplePath).href)) as { verifyFleetwatchWebhook: Verify }).verifyFleetwatchWebhook;
  t = await createTestDatabase();
  child = spawn(process.execPath, [examplePath], { env: { ...process.env, PORT: "0", FLEETWATCH_WEBHOOK_SECRET: SECRET } });
  url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      printed.push(...chunk.toString("utf8").trim().split("\n"));
      const port = printed.join("\n").match(/listening on (\d+)/)?.[1];
      if (port) resolve(`http://127.0.0.1:${port}/fleetwatch`);
    });
    child.on("exit", (code) => reject(new Error(`the example exited with ${code}`)));
  });
});
afterAll(async () => {
  child?.kill();
  await t?.drop();
});

describe("the README's webhook receiver", () => {
  it("is in the README word for word", () => {
    const readme = readFileSync(join(repo, "README.md"), "utf8");
    expect(readme).toContain(readFileSync(examplePath, "utf8").trim());
  });

  it("accepts a real delivery from the server, whose body fits the document's schema", async () => {
    await t.db.setting.create({ data: { key: "channels", value: { webhook: { url } } } });
    const { caller } = await enrolledAgent(t.db, "agent-HOOK-1");
    const failed = night(4, { status: "failed", returnCode: 12, cause: "files-changed", causes: ["files-changed"] });
    await caller.ingest.batch(batchOf("m-HOOK-1", "HOOK-1", [night(1), night(2), night(3), failed]));
    await runJudge(t.db, at(5, 9));
    const sent: string[] = [];
    const send: typeof fetch = (input, init) => {
      sent.push(String(init?.body));
      return fetch(input, init);
    };
    const report = await deliverPending(t.db, { now: new Date(), secret: SECRET, fetch: send });
    for (const body of sent) expect(webhookPayloadV2.safeParse(JSON.parse(body)).error).toBeUndefined();
    expect(report.delivered).toBeGreaterThan(0);
    expect(await t.db.alertDelivery.count({ where: { channel: "webhook", status: { not: "delivered" } } })).toBe(0);
    const alert = await t.db.alert.findFirstOrThrow({ where: { node: { name: "HOOK-1" } } });
    await expect.poll(() => printed.some((line) => line.startsWith(`alert ${alert.id} `))).toBe(true);
  });

  it("refuses a forged body, a wrong secret and a stale delivery", async () => {
    const payload = {
      version: 2 as const,
      event: { id: "0c9d8e7f-6a5b-4c3d-8e1f-2a3b4c5d6e7f", kind: "opened" as const, at: "2026-03-05T09:00:00.000Z", detail: null },
      id: "7b0f3c2e-4a4d-4f7e-9f43-0d5d3c1b2a10",
      kind: "locked",
      severity: "critical" as const,
      state: "open" as const,
      title: "PC1: locked",
      body: "The node is locked on the TSM server.",
      node: { id: "5a1b7c9d-2e3f-4a5b-8c7d-9e0f1a2b3c4d", name: "PC1" },
      since: "2026-03-05T09:00:00.000Z",
      occurrences: 1,
      raisedAt: "2026-03-05T09:00:00.000Z",
      resolvedAt: null,
      sentAt: new Date().toISOString(),
    };
    expect(webhookPayloadV2.parse(payload)).toEqual(payload);
    const raw = JSON.stringify(payload);
    expect(verify(Buffer.from(raw), signBody(SECRET, raw), SECRET)).toEqual(payload);
    const forged = raw.replace("critical", "info");
    expect(verify(Buffer.from(forged), signBody(SECRET, raw), SECRET)).toBeNull();
    expect(verify(Buffer.from(raw), signBody("another-secret", raw), SECRET)).toBeNull();
    expect(verify(Buffer.from(raw), signBody(SECRET, raw), SECRET, Date.now() + 600_000)).toBeNull();

    const res = await fetch(url, { method: "POST", body: forged, headers: { "x-fleetwatch-signature": signBody(SECRET, raw) } });
    expect(res.status).toBe(401);
  });
});
