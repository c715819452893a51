import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runJudge } from "../jobs/judge";
import { marchAt, steadyAndFlaky, userCaller } from "../testing";
import { badgeResponse } from "./badges";

let t: TestDatabase;
const now = marchAt(13);

beforeAll(async () => {
  t = await createTestDatabase();
  // STEADY completes every night; FLAKY stops after the 6th and misses since.
  await steadyAndFlaky(t.db);
  await runJudge(t.db, now);
});
afterAll(async () => t?.drop());

const get = (path: string) => badgeResponse(t.db, { file: path.replace(/^\/badge\//, ""), now });

describe("status badges", () => {
  it("an admin makes fleet, server and node badges that render as SVG and shields.io JSON, audited", async () => {
    const { caller: admin } = await userCaller(t.db, "admin");
    const fleet = await admin.admin.createBadge({ target: { scope: "fleet" }, note: "status page" });
    expect(fleet.token).toMatch(/^fwb_[A-Za-z0-9_-]{32}$/);

    const svg = await get(fleet.svgPath);
    expect(svg.status).toBe(200);
    expect(svg.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    expect(svg.headers.get("cache-control")).toBe("public, max-age=60");
    const drawn = await svg.text();
    expect(XMLValidator.validate(drawn)).toBe(true);
    expect(drawn).toContain("<title>fleet backups: 1 protected, 0 at risk, 1 failing</title>");

    const json = await get(fleet.jsonPath);
    expect(json.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await json.json()).toEqual({
      schemaVersion: 1,
      label: "fleet backups",
      message: "1 protected, 0 at risk, 1 failing",
      color: "red",
      cacheSeconds: 300,
    });

    const server = await admin.admin.createBadge({ target: { scope: "server", server: "" }, note: null });
    expect(await (await get(server.jsonPath)).json()).toMatchObject({
      label: "default server backups",
      message: "1 protected, 0 at risk, 1 failing",
    });

    const steady = await admin.admin.createBadge({ target: { scope: "node", node: "STEADY" }, note: null });
    expect(await (await get(steady.jsonPath)).json()).toMatchObject({ label: "STEADY backup", message: "protected", color: "brightgreen" });
    const flaky = await admin.admin.createBadge({ target: { scope: "node", node: "FLAKY", server: "" }, note: null });
    expect(await (await get(flaky.svgPath)).text()).toContain("<title>FLAKY backup: failing</title>");

    const listed = await admin.admin.badges();
    expect(listed.map((b) => b.scope).sort()).toEqual(["fleet", "node", "node", "server"]);
    expect(JSON.stringify(listed)).not.toContain(fleet.token);
    const stored = await t.db.badge.findMany({ select: { tokenHash: true } });
    expect(stored.some((b) => b.tokenHash.includes(fleet.token))).toBe(false);
    const audited = await t.db.auditLog.findMany({ where: { action: "badge.create" } });
    expect(audited).toHaveLength(4);
  });

  it("a revoked badge is 404, as an unknown token is, and the revocation is audited", async () => {
    const { caller: admin } = await userCaller(t.db, "admin");
    const badge = await admin.admin.createBadge({ target: { scope: "fleet" }, note: null });
    expect((await get(badge.svgPath)).status).toBe(200);
    await admin.admin.revokeBadge({ badgeId: badge.id });
    for (const path of [badge.svgPath, badge.jsonPath]) {
      const gone = await get(path);
      expect(gone.status).toBe(404);
      expect(gone.headers.get("cache-control")).toBe("no-store");
      expect(await gone.text()).toBe("badge not found\n");
    }
    expect((await get(`/badge/fwb_${"A".repeat(32)}.svg`)).status).toBe(404);
    expect((await get("/badge/../../etc/passwd")).status).toBe(404);
    expect((await get(badge.svgPath.replace(".svg", ".png"))).status).toBe(404);
    await expect(admin.admin.revokeBadge({ badgeId: badge.id })).rejects.toThrow("this badge is already revoked");
    expect(await t.db.auditLog.count({ where: { action: "badge.revoke", targetId: badge.id } })).toBe(1);
  });

  it("refuses other roles and unknown targets in one line", async () => {
    const { caller: operator } = await userCaller(t.db, "operator");
    await expect(operator.admin.createBadge({ target: { scope: "fleet" }, note: null })).rejects.toThrow(/admin/);
    const { caller: admin } = await userCaller(t.db, "admin");
    await expect(admin.admin.createBadge({ target: { scope: "node", node: "NOPE" }, note: null })).rejects.toThrow(/^no node named NOPE$/);
    await expect(admin.admin.createBadge({ target: { scope: "server", server: "TSM9" }, note: null })).rejects.toThrow(
      /^no node is on TSM server 'TSM9'$/,
    );
  });

  it("shows a deregistered node as such", async () => {
    const { caller: admin } = await userCaller(t.db, "admin");
    const badge = await admin.admin.createBadge({ target: { scope: "node", node: "FLAKY" }, note: null });
    await t.db.node.updateMany({ where: { name: "FLAKY" }, data: { deregisteredAt: now } });
    expect(await (await get(badge.jsonPath)).json()).toMatchObject({ message: "deregistered", color: "lightgrey" });
  });
});
