import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { request as httpRequest } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runJudge } from "../jobs/judge";
import { ansMessage, marchAt as at, batchOf, callerFor, marchDay as day, enrolledAgent, nightOn as night, userCaller } from "../testing";
import { handleApiRequest } from "./handler";
import { serveFetch } from "./serve";

// The API as a script sees it: plain HTTP to a real server with an `Authorization: Bearer` key,
// over a real PostgreSQL; every answer checked against the OpenAPI document the server publishes.

let t: TestDatabase;
let server: Awaited<ReturnType<typeof serveFetch>>;
let clock = at(7, 9);
let admin: Awaited<ReturnType<typeof userCaller>>;
const keys: Record<"read" | "write" | "admin", string> = { read: "", write: "", admin: "" };
let document: Record<string, unknown>;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);

beforeAll(async () => {
  t = await createTestDatabase();
  server = await serveFetch((request) => handleApiRequest(request, { db: t.db, now: () => clock }));
  admin = await userCaller(t.db, "admin");
  for (const scope of ["read", "write", "admin"] as const) {
    keys[scope] = (await admin.caller.admin.createApiKey({ name: `${scope} script`, scope })).key;
  }
  // Two nodes through the real paths: one locked (ANS1361E in its log), one healthy.
  for (const node of ["LOCK-1", "FINE-1"]) {
    const { caller } = await enrolledAgent(t.db, `agent-${node}`);
    const problems = node === "LOCK-1" ? [{ node, utcOffsetMinutes: 0, message: ansMessage("ANS1361E", `${day(5)}T22:00:05`) }] : [];
    await caller.ingest.batch({
      ...batchOf(
        `m-${node}`,
        node,
        [1, 2, 3, 4].map((d) => night(d)),
      ),
      problems,
    });
  }
  await runJudge(t.db, at(6, 9));
  const res = await fetch(`${server.url}/api/v1/openapi.json`);
  document = (await res.json()) as Record<string, unknown>;
  ajv.addSchema({ ...document, $id: "openapi.json" });
});
afterAll(async () => {
  await server?.close();
  await t?.drop();
});

/** The schema the document gives for `path`'s `method` answering `status`. */
function validatorFor(method: string, template: string, status: number) {
  const pointer = ["paths", template, method, "responses", String(status), "content", "application/json", "schema"]
    .map((p) => p.replaceAll("~", "~0").replaceAll("/", "~1"))
    .join("/");
  const validate = ajv.getSchema(`openapi.json#/${pointer}`);
  if (!validate) throw new Error(`the document has no ${method} ${template} ${status}`);
  return validate;
}

/** A call as curl makes it; the answer must fit the document's schema for that status. */
async function call(method: "GET" | "POST", path: string, opts: { key?: string; body?: string; template?: string } = {}) {
  const res = await httpRequest(`${server.url}${path}`, {
    method,
    headers: {
      ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}),
      ...(opts.body !== undefined ? { "content-type": "application/json" } : {}),
    },
    body: opts.body,
  });
  const json = (await res.body.json()) as Record<string, unknown>;
  const template = opts.template ?? path.split("?")[0] ?? path;
  const validate = validatorFor(method.toLowerCase(), template, res.statusCode);
  if (!validate(json)) throw new Error(`${method} ${path} ${res.statusCode} does not fit the document: ${ajv.errorsText(validate.errors)}`);
  // biome-ignore lint/suspicious/noExplicitAny: the JSON was just checked against the document's schema
  return { status: res.statusCode, json: json as Record<string, any> };
}

describe("/api/v1 with an API key", () => {
  it("publishes an OpenAPI 3.1 document that validates, with the webhook payload under webhooks", async () => {
    const result = await new Validator().validate(document as Parameters<Validator["validate"]>[0]);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.webhooks as object)).toEqual(["alert"]);
    expect(Object.keys((document.components as { schemas: object }).schemas)).toContain("WebhookPayloadV2");
    // The checks below lean on these validators: one must refuse what does not fit.
    expect(validatorFor("get", "/api/v1/nodes", 200)({ items: [{ id: "x" }], total: 1, nextCursor: null })).toBe(false);
  });

  it("answers curl -H 'Authorization: Bearer <key>' /api/v1/nodes?flag=locked with the locked nodes", async () => {
    const { status, json } = await call("GET", "/api/v1/nodes?flag=locked", { key: keys.read, template: "/api/v1/nodes" });
    expect(status).toBe(200);
    expect(json.items.map((n: { name: string }) => n.name)).toEqual(["LOCK-1"]);
    expect(json.items[0].flags.map((f: { kind: string }) => f.kind)).toContain("locked");
    expect(json.nextCursor).toBeNull();
    // The list of keys says when each was last used.
    const read = (await admin.caller.admin.apiKeys()).find((k) => k.name === "read script");
    expect(read?.lastUsedAt).toEqual(clock);
  });

  it("refuses no key, an unknown key and an agent's token with 401 in the one error shape", async () => {
    for (const key of [undefined, "fw_not-a-key", "fwa_an-agent-token"]) {
      const { status, json } = await call("GET", "/api/v1/nodes", { key });
      expect(status).toBe(401);
      expect(json.error.code).toBe("unauthorized");
      expect(json.error.message).not.toContain("\n");
    }
  });

  it("pages by cursor: every node once, then a null cursor", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const path: string = `/api/v1/nodes?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const { json } = await call("GET", path, { key: keys.read, template: "/api/v1/nodes" });
      seen.push(...json.items.map((n: { name: string }) => n.name));
      expect(json.total).toBe(2);
      cursor = json.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["FINE-1", "LOCK-1"]);

    const windows: string[] = [];
    cursor = null;
    do {
      const path: string = `/api/v1/windows?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const { json } = await call("GET", path, { key: keys.read, template: "/api/v1/windows" });
      windows.push(...json.items.map((w: { id: string }) => w.id));
      cursor = json.nextCursor;
    } while (cursor);
    expect(windows.length).toBe(await t.db.window.count());
    expect(new Set(windows).size).toBe(windows.length);

    const bad = await call("GET", "/api/v1/windows?cursor=garbage", { key: keys.read, template: "/api/v1/windows" });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/^cursor: /);
  });

  it("shows one node with its windows, flags and alerts; 404 for none, 400 for a bad id", async () => {
    const node = await t.db.node.findFirstOrThrow({ where: { name: "LOCK-1" } });
    const { status, json } = await call("GET", `/api/v1/nodes/${node.id}?nights=10`, { key: keys.read, template: "/api/v1/nodes/{id}" });
    expect(status).toBe(200);
    expect(json.name).toBe("LOCK-1");
    expect(json.lockedNow).toBe(true);
    expect(json.windows.length).toBeGreaterThan(0);
    expect(json.flags.map((f: { kind: string }) => f.kind)).toContain("locked");
    expect(json.alerts.length).toBeGreaterThan(0);

    const missing = await call("GET", "/api/v1/nodes/00000000-0000-4000-8000-000000000000", {
      key: keys.read,
      template: "/api/v1/nodes/{id}",
    });
    expect(missing).toMatchObject({ status: 404, json: { error: { message: "node not found" } } });
    const bad = await call("GET", "/api/v1/nodes/not-a-uuid", { key: keys.read, template: "/api/v1/nodes/{id}" });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/^id: /);
    const badFilter = await call("GET", "/api/v1/nodes?flag=nonsense", { key: keys.read, template: "/api/v1/nodes" });
    expect(badFilter.status).toBe(400);
    expect(badFilter.json.error.message).toMatch(/^flag: /);
  });

  it("lists flags, alerts and the fleet overview for a read key", async () => {
    const flags = await call("GET", "/api/v1/flags?kind=locked", { key: keys.read, template: "/api/v1/flags" });
    expect(flags.json.items.map((f: { node: { name: string } }) => f.node.name)).toEqual(["LOCK-1"]);
    const alerts = await call("GET", "/api/v1/alerts?state=all", { key: keys.read, template: "/api/v1/alerts" });
    expect(alerts.json.items.length).toBeGreaterThan(0);
    const overview = await call("GET", "/api/v1/fleet/overview", { key: keys.read });
    expect(overview.json.counts).toMatchObject({ total: 2, locked: 1 });
    expect(overview.json.attention.map((a: { name: string }) => a.name)).toContain("LOCK-1");
  });

  it("scopes the node list and the overview to a group as the dashboard's URLs do, and names each node's owner", async () => {
    const fine = await t.db.node.findFirstOrThrow({ where: { name: "FINE-1" } });
    await admin.caller.nodes.setOwner({ nodeId: fine.id, contact: "Fine Team", email: "Fine@Example.org" });
    const list = await call("GET", "/api/v1/nodes?group=department:FINE", { key: keys.read, template: "/api/v1/nodes" });
    expect(list.json.items.map((n: { name: string }) => n.name)).toEqual(["FINE-1"]);
    const scoped = await call("GET", "/api/v1/fleet/overview?group=department:LOCK", {
      key: keys.read,
      template: "/api/v1/fleet/overview",
    });
    expect(scoped.json.counts).toMatchObject({ total: 1, locked: 1 });
    expect(scoped.json.attention.map((a: { name: string }) => a.name)).toEqual(["LOCK-1"]);
    const bad = await call("GET", "/api/v1/nodes?group=colour:blue", { key: keys.read, template: "/api/v1/nodes" });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/^group: expected kind:value, the kind one of department, /);
    const node = await call("GET", `/api/v1/nodes/${fine.id}`, { key: keys.read, template: "/api/v1/nodes/{id}" });
    expect(node.json.owner).toEqual({ name: "Fine Team", address: "fine@example.org", addressSource: "staff" });
  });

  it("acts as its scope's role: a read key may not write (403), a write key acknowledges, resolves and deregisters, audited as the key", async () => {
    const alert = await t.db.alert.findFirstOrThrow({ where: { state: "open" } });
    const path = `/api/v1/alerts/${alert.id}/acknowledge`;
    const template = "/api/v1/alerts/{id}/acknowledge";
    const refused = await call("POST", path, { key: keys.read, template });
    expect(refused.status).toBe(403);
    expect(refused.json.error.message).toMatch(/read-write key/);

    const done = await call("POST", path, { key: keys.write, template, body: JSON.stringify({ note: "on it" }) });
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({ acknowledged: 1, acknowledgedBy: `api key "write script" (${keys.write.slice(0, 7)}…)` });
    expect((await call("POST", path, { key: keys.write, template })).status).toBe(409);

    const resolve = (body: string) =>
      call("POST", `/api/v1/alerts/${alert.id}/resolve`, { key: keys.write, body, template: "/api/v1/alerts/{id}/resolve" });
    expect((await resolve(JSON.stringify({}))).json.error.message).toMatch(/^reason: /);
    expect((await resolve(JSON.stringify({ reason: "unlocked on the server" }))).status).toBe(200);
    expect((await resolve(JSON.stringify({ reason: "again" }))).status).toBe(409);
    const listed = await call("GET", "/api/v1/alerts?state=resolved", { key: keys.read, template: "/api/v1/alerts" });
    expect(listed.json.items.find((a: { id: string }) => a.id === alert.id)).toMatchObject({
      state: "resolved",
      resolvedReason: "unlocked on the server",
    });

    const node = await t.db.node.findFirstOrThrow({ where: { name: "FINE-1" } });
    const deregister = (body: string) =>
      call("POST", `/api/v1/nodes/${node.id}/deregister`, { key: keys.write, body, template: "/api/v1/nodes/{id}/deregister" });
    expect((await deregister("{")).json.error.message).toMatch(/^the request body is not valid JSON/);
    expect((await deregister(JSON.stringify({ reason: "" }))).json.error.message).toBe("reason: say why, in a few words");
    const huge = await fetch(`${server.url}/api/v1/nodes/${node.id}/deregister`, {
      method: "POST",
      headers: { authorization: `Bearer ${keys.write}`, "content-type": "application/json" },
      body: JSON.stringify({ reason: "x".repeat(2 * 1024 * 1024) }),
    });
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ error: { code: "payload_too_large" } });
    expect((await deregister(JSON.stringify({ reason: "machine scrapped" }))).status).toBe(200);
    const restored = await call("POST", `/api/v1/nodes/${node.id}/restore`, { key: keys.write, template: "/api/v1/nodes/{id}/restore" });
    expect(restored.status).toBe(200);

    const lines = await t.db.auditLog.findMany({
      where: { action: { in: ["alert.acknowledge", "alert.resolve", "node.deregister", "node.restore"] } },
      orderBy: { id: "asc" },
      select: { action: true, actorLabel: true, actorId: true },
    });
    expect(lines.map((l) => l.action)).toEqual(["alert.acknowledge", "alert.resolve", "node.deregister", "node.restore"]);
    for (const line of lines) {
      expect(line.actorLabel).toBe(`api key "write script" (${keys.write.slice(0, 7)}…)`);
      expect(line.actorId).toBe(admin.user.id);
    }
  });

  it("runs the judge for an admin key only", async () => {
    const template = "/api/v1/judge/run";
    expect((await call("POST", template, { key: keys.write })).status).toBe(403);
    const run = await call("POST", template, { key: keys.admin });
    expect(run.status).toBe(200);
    expect(run.json.leader).toBe(true);
    expect(await t.db.auditLog.count({ where: { action: "judge.run" } })).toBe(1);
  });

  it("stops a key when revoked or expired, and never lets it do more than its maker can now", async () => {
    // Made on the server's clock, which the test moves on.
    const onClock = callerFor(t.db, { kind: "user", userId: admin.user.id, email: admin.user.email, role: "admin" }, () => clock);
    const { key, id } = await onClock.admin.createApiKey({
      name: "short-lived",
      scope: "read",
      expiresAt: new Date(clock.getTime() + 60_000),
    });
    expect((await call("GET", "/api/v1/nodes", { key })).status).toBe(200);
    clock = new Date(clock.getTime() + 60_000);
    expect((await call("GET", "/api/v1/nodes", { key })).json.error.message).toMatch(/not valid/);

    const revocable = await admin.caller.admin.createApiKey({ name: "to revoke", scope: "read" });
    expect((await call("GET", "/api/v1/nodes", { key: revocable.key })).status).toBe(200);
    await admin.caller.admin.revokeApiKey({ keyId: revocable.id });
    expect((await call("GET", "/api/v1/nodes", { key: revocable.key })).status).toBe(401);
    await expect(admin.caller.admin.revokeApiKey({ keyId: revocable.id })).rejects.toThrow(/already revoked/);
    const audited = await t.db.auditLog.findMany({ where: { targetId: { in: [id, revocable.id] } }, select: { action: true } });
    expect(audited.map((a) => a.action).sort()).toEqual(["apikey.create", "apikey.create", "apikey.revoke"]);

    // The maker demoted to operator: their admin key acts as an operator; disabled: it stops.
    const maker = await userCaller(t.db, "admin");
    const strong = await maker.caller.admin.createApiKey({ name: "strong", scope: "admin" });
    await t.db.user.update({ where: { id: maker.user.id }, data: { role: "operator" } });
    expect((await call("POST", "/api/v1/judge/run", { key: strong.key })).status).toBe(403);
    await admin.caller.admin.disableUser({ userId: maker.user.id, disabled: true });
    expect((await call("GET", "/api/v1/nodes", { key: strong.key })).status).toBe(401);
  });

  it("keeps keys from everyone but admins, shows a key once and stores only its hash", async () => {
    const { caller: operator } = await userCaller(t.db, "operator");
    await expect(operator.admin.createApiKey({ name: "mine", scope: "read" })).rejects.toThrow(/needs the admin role/);
    await expect(admin.caller.admin.createApiKey({ name: "past", scope: "read", expiresAt: new Date(Date.now() - 1000) })).rejects.toThrow(
      /expiry must be in the future/,
    );
    const made = await admin.caller.admin.createApiKey({ name: "once", scope: "read" });
    expect(made.key).toMatch(/^fw_[A-Za-z0-9_-]{43}$/);
    const listed = (await admin.caller.admin.apiKeys()).find((k) => k.id === made.id);
    expect(listed).toMatchObject({ name: "once", scope: "read", prefix: made.key.slice(0, 7), revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(made.key);
    const stored = await t.db.apiKey.findUniqueOrThrow({ where: { id: made.id } });
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(made.key.slice(7));
  });

  it("answers an unknown address 404 and a wrong method 405, in the same shape", async () => {
    const res = await fetch(`${server.url}/api/v1/nope`, { headers: { authorization: `Bearer ${keys.read}` } });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { status: 404, code: "not_found" } });
    const wrong = await fetch(`${server.url}/api/v1/nodes`, { method: "DELETE", headers: { authorization: `Bearer ${keys.read}` } });
    expect(wrong.status).toBe(405);
    expect(await wrong.json()).toMatchObject({ error: { status: 405, code: "method_not_allowed" } });
  });
});
