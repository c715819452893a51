import { type GroupScope, groupParam, parseGroupParam } from "@fleetwatch/core/groups";
import { type MaintenanceInput, type MaintenanceWindow, maintenanceAt, maintenanceScope } from "@fleetwatch/core/maintenance";
import { list } from "@fleetwatch/db/sql";
import type { Caller } from "../../caller";
import type { Db, Tx } from "../../context";
import { DomainError, notFound } from "../../errors";
import { audit } from "../admin/audit";
import { groupFactsSelect, inGroup, scopeWhere } from "../fleet/group-scope";

/** How far back the judge looks for bad nights to put under a maintenance window: the history it reads. */
const LOOKBACK_DAYS = 14;

const select = {
  id: true,
  name: true,
  scope: true,
  target: true,
  startsAt: true,
  endsAt: true,
  cron: true,
  timeZone: true,
  durationMinutes: true,
} as const;

/** Every maintenance window, as core reads them. */
export async function maintenanceWindows(db: Db | Tx): Promise<MaintenanceWindow[]> {
  const rows = await db.maintenanceWindow.findMany({ select, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return rows.map((r) => ({ ...r, scope: maintenanceScope.parse(r.scope) }));
}

export async function listMaintenance(db: Db) {
  const rows = await db.maintenanceWindow.findMany({
    select: { ...select, createdBy: true, createdAt: true, _count: { select: { windows: true } } },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
  });
  const nodeIds = rows.filter((r) => r.scope === "node").map((r) => r.target);
  const nodes = nodeIds.length ? await db.node.findMany({ where: { id: { in: nodeIds } }, select: { id: true, name: true } }) : [];
  const nameOf = new Map(nodes.map((n) => [n.id, n.name]));
  return rows.map(({ _count, ...r }) => ({
    ...r,
    suppressedNights: _count.windows,
    nodeName: r.scope === "node" ? (nameOf.get(r.target) ?? null) : null,
  }));
}

export async function createMaintenance(db: Db, caller: Caller, input: MaintenanceInput) {
  return db.$transaction(async (tx) => {
    const target =
      input.scope === "node"
        ? await nodeTarget(tx, input.target)
        : input.scope === "profile"
          ? await profileTarget(tx, input.target)
          : input.scope === "group"
            ? groupParam(parseGroupParam(input.target) as GroupScope)
            : input.target;
    const created = await tx.maintenanceWindow.create({
      data: { ...input, target, createdBy: caller.kind === "user" ? caller.email : "system" },
      select: { id: true, name: true },
    });
    await audit(tx, caller, { action: "maintenance.create", targetType: "maintenance", targetId: created.id, detail: { after: input } });
    return created;
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A node named by staff (its name, as they know it) or by id: its id. */
async function nodeTarget(tx: Tx, target: string): Promise<string> {
  const nodes = await tx.node.findMany({
    where: UUID.test(target) ? { id: target } : { name: target.toUpperCase(), deregisteredAt: null },
    select: { id: true, server: true },
    take: 3,
  });
  if (nodes.length === 0) throw new DomainError("BAD_REQUEST", `no node named ${target}`);
  if (nodes.length > 1) throw new DomainError("BAD_REQUEST", `several TSM servers have a node named ${target}: give its id`);
  return (nodes[0] as { id: string }).id;
}

/**
 * For each node, the group-scoped maintenance windows whose group holds it (a group is a query, not
 * a column): every window's group in one read of the nodes any of them holds.
 */
async function groupWindowsByNode(tx: Tx, windows: readonly MaintenanceWindow[]): Promise<Map<string, Set<string>>> {
  const byNode = new Map<string, Set<string>>();
  const groups = windows.flatMap((m) => {
    const scope = m.scope === "group" ? parseGroupParam(m.target) : null;
    return scope ? [{ id: m.id, scope }] : [];
  });
  if (!groups.length) return byNode;
  const members = await tx.node.findMany({
    where: { deregisteredAt: null, OR: groups.map((g) => scopeWhere(g.scope)) },
    select: groupFactsSelect(groups.map((g) => g.scope)),
  });
  for (const node of members)
    for (const g of groups) if (inGroup(node, g.scope)) byNode.set(node.id, (byNode.get(node.id) ?? new Set()).add(g.id));
  return byNode;
}

/** A profile named by staff, in any case: its name as stored. */
async function profileTarget(tx: Tx, target: string): Promise<string> {
  const found = await tx.profile.findFirst({ where: { name: { equals: target, mode: "insensitive" } }, select: { name: true } });
  if (!found) throw new DomainError("BAD_REQUEST", `no profile named ${target}`);
  return found.name;
}

export async function deleteMaintenance(db: Db, caller: Caller, args: { id: string }) {
  return db.$transaction(async (tx) => {
    const found = await tx.maintenanceWindow.findUnique({ where: { id: args.id }, select });
    if (!found) throw notFound("maintenance window");
    await tx.maintenanceWindow.delete({ where: { id: args.id } });
    await audit(tx, caller, { action: "maintenance.delete", targetType: "maintenance", targetId: args.id, detail: { before: found } });
    return { id: args.id };
  });
}

/**
 * The judge's step: every bad night of the last two weeks whose start fell inside a maintenance
 * window of its node is marked with it, so flags and alerts leave it out (it stays in the history).
 * Returns the nodes in maintenance now, whose new alerts wait until it ends.
 */
export async function suppressMaintenanceNights(tx: Tx, now: Date): Promise<{ suppressed: number; inMaintenance: Set<string> }> {
  const windows = await maintenanceWindows(tx);
  if (!windows.length) return { suppressed: 0, inMaintenance: new Set() };
  const since = new Date(now.getTime() - LOOKBACK_DAYS * 86_400_000);
  const bad = await tx.$queryRaw<{ id: string; nodeId: string; server: string; profile: string | null; scheduledStart: Date }[]>`
    SELECT w.id, w."nodeId", n.server, p.name AS profile, w."scheduledStart"
      FROM "Window" w JOIN "Node" n ON n.id = w."nodeId" LEFT JOIN "Profile" p ON p.id = n."profileId"
     WHERE w."scheduledStart" >= ${since} AND w.outcome IN ('missed', 'failed', 'severed', 'aborted') AND w."maintenanceId" IS NULL
       AND n."deregisteredAt" IS NULL`;
  const groupWindows = await groupWindowsByNode(tx, windows);
  const marks = bad.flatMap((w) => {
    const m = maintenanceAt(
      windows,
      { id: w.nodeId, server: w.server, profile: w.profile, groupWindows: groupWindows.get(w.nodeId) },
      w.scheduledStart,
    );
    return m ? [{ id: w.id, maintenanceId: m.id }] : [];
  });
  if (marks.length) {
    await tx.$executeRaw`
      UPDATE "Window" w SET "maintenanceId" = m.mid
        FROM unnest(${list(marks.map((m) => m.id))}::uuid[], ${list(marks.map((m) => m.maintenanceId))}::uuid[]) AS m(id, mid)
       WHERE w.id = m.id`;
  }
  const nodes = await tx.node.findMany({
    where: { deregisteredAt: null },
    select: { id: true, server: true, profile: { select: { name: true } } },
  });
  const inMaintenance = new Set(
    nodes
      .filter((n) => maintenanceAt(windows, { ...n, profile: n.profile?.name, groupWindows: groupWindows.get(n.id) }, now))
      .map((n) => n.id),
  );
  return { suppressed: marks.length, inMaintenance };
}
