import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batchOf, callerFor, completedEvent, enrolledAgent, userCaller } from "../../testing";

// Groups (issue 16.7): department, contact, TSM server and staff tags; the list and the overview
// scoped to one; saved views per person. Real PostgreSQL, driven through the routers.

let t: TestDatabase;
const now = new Date("2008-01-30T12:00:00Z");
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestDatabase();
  const nodes: [string, "completed" | "failed"][] = [
    ["CHEM-PC1", "completed"],
    ["CHEM_SRV2", "failed"],
    ["PHYS-PC3", "completed"],
    ["SERVER1", "completed"],
  ];
  for (const [name, status] of nodes) {
    const { caller } = await enrolledAgent(t.db);
    await caller.ingest.batch(
      batchOf(`m-${name}`, name, [completedEvent(status === "failed" ? { status: "failed", returnCode: 12 } : {})]),
    );
    ids[name] = (await t.db.node.findFirstOrThrow({ where: { name }, select: { id: true } })).id;
  }
  // What the collector would have brought: a contact and a TSM server for some.
  await t.db.node.updateMany({ where: { name: { in: ["CHEM-PC1", "PHYS-PC3"] } }, data: { contact: "chem-it@example.ac.uk" } });
  await t.db.node.updateMany({ where: { name: { in: ["CHEM_SRV2", "SERVER1"] } }, data: { server: "TSM2" } });
  // A profile, as the judge or staff would have put the node in it.
  const laptop = await t.db.profile.create({ data: { name: "e2e-laptop" } });
  await t.db.node.updateMany({ where: { name: "PHYS-PC3" }, data: { profileId: laptop.id } });
});
afterAll(async () => t?.drop());

async function as(role: "viewer" | "operator" | "admin") {
  const { user } = await userCaller(t.db, role);
  return { user, caller: callerFor(t.db, { kind: "user", userId: user.id, email: user.email, role }, () => now) };
}

async function refused(call: Promise<unknown>) {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

const names = (rows: { name: string }[]) => rows.map((r) => r.name).sort();

describe("groups", () => {
  it("are listed with node counts and health, a department from the name's prefix", async () => {
    const { caller } = await as("viewer");
    const groups = await caller.groups.list();
    const find = (kind: string, value: string) => groups.find((g) => g.kind === kind && g.value === value)?.health;
    expect(find("department", "CHEM")).toEqual({ nodes: 2, protected: 1, atRisk: 0, failing: 1 });
    expect(find("department", "PHYS")).toEqual({ nodes: 1, protected: 1, atRisk: 0, failing: 0 });
    // SERVER1 has no prefix: no department is guessed for it.
    expect(groups.filter((g) => g.kind === "department").map((g) => g.value)).toEqual(["CHEM", "PHYS"]);
    expect(find("contact", "chem-it@example.ac.uk")?.nodes).toBe(2);
    expect(find("server", "TSM2")?.nodes).toBe(2);
    expect(find("profile", "e2e-laptop")).toEqual({ nodes: 1, protected: 1, atRisk: 0, failing: 0 });
  });

  it("scope the node list and the overview to the same nodes, counted alike", async () => {
    const { caller } = await as("viewer");
    const groups = await caller.groups.list();
    for (const g of groups) {
      const group = { kind: g.kind, value: g.value };
      const list = await caller.nodes.list({ group });
      const overview = await caller.fleet.overview({ nights: 30, group });
      expect(list.total, `${g.kind} ${g.value}`).toBe(g.health.nodes);
      expect(overview.counts.total).toBe(g.health.nodes);
      expect(overview.counts.protected).toBe(g.health.protected);
      expect(overview.counts.atRisk).toBe(g.health.atRisk);
      const c = overview.counts;
      expect(c.missed + c.failed + c.severed + c.aborted).toBe(g.health.failing);
      // The nightly chart counts this group's windows only: one night each here.
      const windows = overview.nightly.reduce((sum, n) => sum + Object.values(n.counts).reduce((a, b) => a + b, 0), 0);
      expect(windows).toBe(g.health.nodes);
    }
    expect(names((await caller.nodes.list({ group: { kind: "department", value: "CHEM" } })).rows)).toEqual(["CHEM-PC1", "CHEM_SRV2"]);
    expect(names((await caller.nodes.list({ group: { kind: "server", value: "TSM2" } })).rows)).toEqual(["CHEM_SRV2", "SERVER1"]);
    expect(names((await caller.nodes.list({ group: { kind: "profile", value: "e2e-laptop" } })).rows)).toEqual(["PHYS-PC3"]);
    const fleet = await caller.fleet.overview({ nights: 30 });
    expect(fleet.counts.total).toBe(4);
  });

  it("refuse an unknown group kind in one line", async () => {
    const { caller } = await as("viewer");
    const e = await refused(caller.nodes.list({ group: { kind: "planet" as never, value: "x" } }));
    expect(e.code).toBe("BAD_REQUEST");
    expect(e.message).toMatch(/^group\.kind: Invalid option/);
  });
});

describe("staff tags", () => {
  it("go on many nodes at once, each audited with its tags before and after", async () => {
    const { caller } = await as("operator");
    const res = await caller.groups.tag({ nodeIds: [ids["CHEM-PC1"]!, ids.SERVER1!], tag: " Lab Servers " });
    expect(res).toEqual({ tag: "lab servers", changed: 2, unchanged: 0 });
    expect(names((await caller.nodes.list({ group: { kind: "tag", value: "lab servers" } })).rows)).toEqual(["CHEM-PC1", "SERVER1"]);
    await caller.groups.tag({ nodeIds: [ids.SERVER1!], tag: "aardvark" });
    const row = (await caller.nodes.list({ search: "SERVER1" })).rows[0]!;
    expect(row.tags).toEqual(["aardvark", "lab servers"]);
    const audit = await t.db.auditLog.findMany({ where: { action: "node.tag", targetId: ids.SERVER1 }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.detail)).toEqual([
      { name: "SERVER1", tag: "lab servers", before: [], after: ["lab servers"] },
      { name: "SERVER1", tag: "aardvark", before: ["lab servers"], after: ["aardvark", "lab servers"] },
    ]);
    expect(audit[0]!.actorId).not.toBeNull();
    expect(await caller.groups.tags()).toEqual(["aardvark", "lab servers"]);
  });

  it("change nothing, and audit nothing, where a node already has the tag", async () => {
    const { caller } = await as("operator");
    const before = await t.db.auditLog.count();
    expect(await caller.groups.tag({ nodeIds: [ids["CHEM-PC1"]!], tag: "lab servers" })).toMatchObject({ changed: 0, unchanged: 1 });
    expect(await t.db.auditLog.count()).toBe(before);
  });

  it("come off, audited", async () => {
    const { caller } = await as("operator");
    expect(await caller.groups.untag({ nodeIds: [ids.SERVER1!], tag: "aardvark" })).toMatchObject({ changed: 1 });
    const line = await t.db.auditLog.findFirstOrThrow({ where: { action: "node.untag" } });
    expect(line.detail).toEqual({ name: "SERVER1", tag: "aardvark", before: ["aardvark", "lab servers"], after: ["lab servers"] });
    expect(await caller.groups.tags()).toEqual(["lab servers"]);
  });

  it("are staff's: a viewer is refused, a bad tag or an unknown node is one line", async () => {
    const viewer = (await as("viewer")).caller;
    expect((await refused(viewer.groups.tag({ nodeIds: [ids.SERVER1!], tag: "x" }))).code).toBe("FORBIDDEN");
    const { caller } = await as("operator");
    const bad = await refused(caller.groups.tag({ nodeIds: [ids.SERVER1!], tag: "<b>x</b>" }));
    expect(bad.code).toBe("BAD_REQUEST");
    expect(bad.message).toMatch(/^tag: a tag is letters/);
    const unknown = await refused(caller.groups.tag({ nodeIds: ["00000000-0000-4000-8000-000000000000"], tag: "x" }));
    expect(unknown.code).toBe("NOT_FOUND");
  });
});

describe("a department set by staff", () => {
  it("moves the node to it, audited, and null returns it to the name's rule", async () => {
    const { caller } = await as("operator");
    await caller.groups.setDepartment({ nodeId: ids["PHYS-PC3"]!, department: "chem" });
    expect(names((await caller.nodes.list({ group: { kind: "department", value: "CHEM" } })).rows)).toEqual([
      "CHEM-PC1",
      "CHEM_SRV2",
      "PHYS-PC3",
    ]);
    expect((await caller.nodes.byId({ nodeId: ids["PHYS-PC3"]!, nights: 30 })).department).toBe("CHEM");
    await caller.groups.setDepartment({ nodeId: ids["PHYS-PC3"]!, department: null });
    expect((await caller.nodes.list({ group: { kind: "department", value: "PHYS" } })).total).toBe(1);
    const lines = await t.db.auditLog.findMany({ where: { action: "node.department" }, orderBy: { id: "asc" } });
    expect(lines.map((l) => l.detail)).toEqual([
      { name: "PHYS-PC3", before: { set: null, department: "PHYS" }, after: { set: "CHEM", department: "CHEM" } },
      { name: "PHYS-PC3", before: { set: "CHEM", department: "CHEM" }, after: { set: null, department: "PHYS" } },
    ]);
    expect((await refused(caller.groups.setDepartment({ nodeId: ids["PHYS-PC3"]!, department: "C H" }))).code).toBe("BAD_REQUEST");
  });
});

describe("saved views", () => {
  it("are each person's own: saved, listed, renamed, deleted, audited", async () => {
    const { caller } = await as("viewer");
    const other = (await as("viewer")).caller;
    const view = await caller.views.save({ name: "Chemistry's trouble", path: "/nodes?group=department%3ACHEM&outcome=failed" });
    await caller.views.save({ name: "Chemistry", path: "/?group=department%3ACHEM" });
    expect((await caller.views.list()).map((v) => v.name)).toEqual(["Chemistry", "Chemistry's trouble"]);
    expect(await other.views.list()).toEqual([]);
    // Another person may use the same name; the same person may not twice.
    await other.views.save({ name: "Chemistry", path: "/" });
    const dup = await refused(caller.views.save({ name: "Chemistry", path: "/nodes" }));
    expect(dup.code).toBe("CONFLICT");
    expect(dup.message).toBe("you already have a view named “Chemistry”");
    await caller.views.rename({ id: view.id, name: "CHEM failing" });
    expect((await caller.views.list()).map((v) => v.name)).toEqual(["CHEM failing", "Chemistry"]);
    expect((await refused(other.views.delete({ id: view.id }))).code).toBe("NOT_FOUND");
    expect((await refused(other.views.rename({ id: view.id, name: "mine" }))).code).toBe("NOT_FOUND");
    await caller.views.delete({ id: view.id });
    expect((await caller.views.list()).map((v) => v.name)).toEqual(["Chemistry"]);
    const lines = await t.db.auditLog.findMany({ where: { targetId: view.id }, orderBy: { id: "asc" } });
    expect(lines.map((l) => [l.action, l.detail])).toEqual([
      ["view.save", { before: null, after: { name: "Chemistry's trouble", path: "/nodes?group=department%3ACHEM&outcome=failed" } }],
      ["view.rename", { before: { name: "Chemistry's trouble" }, after: { name: "CHEM failing" } }],
      ["view.delete", { before: { name: "CHEM failing", path: "/nodes?group=department%3ACHEM&outcome=failed" }, after: null }],
    ]);
  });

  it("open only our own pages", async () => {
    const { caller } = await as("viewer");
    for (const path of ["https://evil.example/", "//evil.example", "/settings/users"]) {
      const e = await refused(caller.views.save({ name: "x", path }));
      expect(e.code).toBe("BAD_REQUEST");
      expect(e.message).toBe("path: a view is the overview (/) or the node list (/nodes) with its filters");
    }
  });
});
