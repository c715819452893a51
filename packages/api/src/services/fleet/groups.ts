import { departmentOf, type GroupHealth, type GroupKind, groupHealth, groupKinds } from "@fleetwatch/core/groups";
import type { Caller } from "../../caller";
import { actorLabel } from "../../caller";
import type { Db } from "../../context";
import { DomainError, notFound } from "../../errors";
import { audit } from "../admin/audit";
import { getSiteSettings } from "../admin/settings";

export interface GroupRow {
  kind: GroupKind;
  value: string;
  health: GroupHealth;
}

interface NodeFacts {
  name: string;
  department: string | null;
  contact: string | null;
  server: string;
  profile: string | null;
  lastCompletedAt: Date | null;
  lastOutcome: string | null;
  atRisk: boolean;
  tags: string[];
}

/**
 * Every group of active nodes with its node count and health (protected, at risk, failing in the
 * overview's terms), by kind then value. One statement reads each active node's few facts (its
 * at-risk flag and tags by index); they are grouped here, where core's department rule is.
 */
export async function listGroups(db: Db, now: Date): Promise<GroupRow[]> {
  const [settings, nodes] = await Promise.all([
    getSiteSettings(db),
    db.$queryRaw<NodeFacts[]>`
      SELECT n.name, n.department, n.contact, n.server, p.name AS profile, n."lastCompletedAt", n."lastOutcome"::text AS "lastOutcome",
             EXISTS (SELECT 1 FROM "Flag" f WHERE f."nodeId" = n.id AND f.kind = 'at-risk' AND f."clearedAt" IS NULL) AS "atRisk",
             ARRAY(SELECT t.tag FROM "NodeTag" t WHERE t."nodeId" = n.id) AS tags
        FROM "Node" n LEFT JOIN "Profile" p ON p.id = n."profileId"
       WHERE n."deregisteredAt" IS NULL`,
  ]);
  const members = new Map<string, { kind: GroupKind; value: string; nodes: NodeFacts[] }>();
  for (const n of nodes) {
    const values: Record<GroupKind, (string | null)[]> = {
      department: [departmentOf(n)],
      contact: [n.contact],
      server: [n.server || null],
      profile: [n.profile],
      tag: n.tags,
    };
    for (const kind of groupKinds) {
      for (const value of values[kind]) {
        if (!value) continue;
        const key = `${kind}\u0000${value}`;
        let m = members.get(key);
        if (!m) {
          m = { kind, value, nodes: [] };
          members.set(key, m);
        }
        m.nodes.push(n);
      }
    }
  }
  const order = new Map(groupKinds.map((k, i) => [k, i]));
  return [...members.values()]
    .map((m) => ({ kind: m.kind, value: m.value, health: groupHealth(m.nodes, { now, atRiskHours: settings.atRiskHours }) }))
    .sort((a, b) => (order.get(a.kind) ?? 0) - (order.get(b.kind) ?? 0) || a.value.localeCompare(b.value));
}

/** Every tag in use, for the tag field's suggestions. */
export async function tagsInUse(db: Db): Promise<string[]> {
  const rows = await db.nodeTag.findMany({ distinct: ["tag"], select: { tag: true }, orderBy: { tag: "asc" } });
  return rows.map((r) => r.tag);
}

/**
 * Put a tag on nodes or take it off, in one transaction; each node whose tags changed gets its
 * audit line with its tags before and after (a node that already had it, or lacked it, none).
 */
export async function changeTag(db: Db, caller: Caller, args: { nodeIds: string[]; tag: string; action: "add" | "remove" }) {
  const ids = [...new Set(args.nodeIds)];
  return db.$transaction(async (tx) => {
    const nodes = await tx.node.findMany({
      where: { id: { in: ids } },
      select: { id: true, name: true, tags: { select: { tag: true }, orderBy: { tag: "asc" } } },
    });
    if (nodes.length !== ids.length) throw notFound(ids.length === 1 ? "node" : "one of the nodes");
    const by = actorLabel(caller);
    const changed: string[] = [];
    for (const n of nodes) {
      const before = n.tags.map((t) => t.tag);
      const has = before.includes(args.tag);
      if (args.action === "add" ? has : !has) continue;
      if (args.action === "add") await tx.nodeTag.create({ data: { nodeId: n.id, tag: args.tag, createdBy: by } });
      else await tx.nodeTag.delete({ where: { nodeId_tag: { nodeId: n.id, tag: args.tag } } });
      const after = args.action === "add" ? [...before, args.tag].sort() : before.filter((t) => t !== args.tag);
      await audit(tx, caller, {
        action: args.action === "add" ? "node.tag" : "node.untag",
        targetType: "node",
        targetId: n.id,
        detail: { name: n.name, tag: args.tag, before, after },
      });
      changed.push(n.id);
    }
    return { tag: args.tag, changed: changed.length, unchanged: nodes.length - changed.length };
  });
}

/** Set a node's department by hand (null: back to the name's rule); audited with before and after. */
export async function setDepartment(db: Db, caller: Caller, args: { nodeId: string; department: string | null }) {
  return db.$transaction(async (tx) => {
    const node = await tx.node.findUnique({ where: { id: args.nodeId }, select: { id: true, name: true, department: true } });
    if (!node) throw notFound("node");
    if (node.department === args.department)
      throw new DomainError("CONFLICT", `${node.name}'s department is already ${args.department ?? "the one its name gives"}`);
    await tx.node.update({ where: { id: node.id }, data: { department: args.department } });
    const effective = (department: string | null) => ({ set: department, department: departmentOf({ name: node.name, department }) });
    await audit(tx, caller, {
      action: "node.department",
      targetType: "node",
      targetId: node.id,
      detail: { name: node.name, before: effective(node.department), after: effective(args.department) },
    });
    return { id: node.id, name: node.name, department: departmentOf({ name: node.name, department: args.department }) };
  });
}
