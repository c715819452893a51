import {
  chooseProfile,
  type NodePolicy,
  nodePolicy,
  type Profile,
  type ProfiledNode,
  type ProfilePolicy,
  type ProfileRule,
  policyProblem,
  profilePolicy,
  profileRule,
} from "@fleetwatch/core/profiles";
import type { SiteSettings } from "@fleetwatch/core/settings";
import { Prisma } from "@fleetwatch/db/client";
import { list } from "@fleetwatch/db/sql";
import { z } from "zod";
import type { Caller } from "../../caller";
import type { Db, Tx } from "../../context";
import { DomainError, notFound } from "../../errors";
import { audit } from "../admin/audit";
import { getSiteSettings } from "../admin/settings";

const select = { id: true, name: true, description: true, isDefault: true, position: true, rules: true, policy: true } as const;

/** A stored profile as core reads it; a stored policy or rule that no longer parses is left out, not fatal. */
function toProfile(row: { id: string; name: string; isDefault: boolean; position: number; rules: unknown; policy: unknown }): Profile {
  const rules = z.array(profileRule).safeParse(row.rules);
  const policy = profilePolicy.safeParse(row.policy);
  return {
    id: row.id,
    name: row.name,
    isDefault: row.isDefault,
    position: row.position,
    rules: rules.success ? rules.data : [],
    policy: policy.success ? policy.data : {},
  };
}

export async function profiles(db: Db | Tx): Promise<Profile[]> {
  const rows = await db.profile.findMany({ select, orderBy: [{ position: "asc" }, { name: "asc" }] });
  return rows.map(toProfile);
}

const profiledNodeSelect = {
  id: true,
  name: true,
  os: true,
  policyDomain: true,
  server: true,
  profileId: true,
  profileSetByHand: true,
  policyOverride: true,
} as const;

type ProfiledRow = { id: string; name: string; os: string | null; policyDomain: string | null; server: string } & {
  profileId: string | null;
  profileSetByHand: boolean;
  policyOverride: unknown;
};

/** A node's own policy as stored; one that no longer parses is left out, not fatal. */
function overrideOf(stored: unknown): ProfilePolicy | null {
  const override = stored === null ? null : profilePolicy.safeParse(stored);
  return override?.success ? override.data : null;
}

function profiled(row: ProfiledRow): ProfiledNode {
  return { ...row, profileIdByHand: row.profileSetByHand ? row.profileId : null, override: overrideOf(row.policyOverride) };
}

/**
 * The judge's step: put every node in service in its profile (by hand, else by the rules, else the
 * default), keep the choice on the node for lists and filters, and return the rules each node is
 * judged by. Rules change with the node (its OS, domain or server arrive later) and with the profiles.
 */
export async function assignProfiles(tx: Tx, site: SiteSettings): Promise<Map<string, NodePolicy>> {
  const all = await profiles(tx);
  const nodes = await tx.node.findMany({ where: { deregisteredAt: null }, select: profiledNodeSelect });
  const policies = new Map<string, NodePolicy>();
  const moves: { id: string; profileId: string | null }[] = [];
  for (const row of nodes) {
    const node = profiled(row);
    const choice = chooseProfile(node, all);
    const profileId = choice.profile?.id ?? null;
    if (profileId !== row.profileId) moves.push({ id: row.id, profileId });
    policies.set(row.id, nodePolicy(site, choice, node.override).policy);
  }
  if (moves.length) {
    await tx.$executeRaw`
      UPDATE "Node" n SET "profileId" = m.profile, "profileSetByHand" = n."profileSetByHand" AND m.profile IS NOT NULL
        FROM unnest(${list(moves.map((m) => m.id))}::uuid[], ${list(moves.map((m) => m.profileId))}::uuid[]) AS m(id, profile)
       WHERE n.id = m.id`;
  }
  return policies;
}

/** A profile row as a reader selects it beside its node (the profile the judge last put the node in). */
export type StoredProfile = { id: string; name: string; isDefault: boolean; position: number; rules: unknown; policy: unknown };

/**
 * The rules a node is judged by, from the profile the judge last put it in and its own override:
 * for readers (the late list) that must not move nodes themselves, over many nodes at once.
 */
export function storedPolicyReader(site: SiteSettings): (node: { profile: StoredProfile | null; policyOverride: unknown }) => NodePolicy {
  const parsed = new Map<string, Profile>();
  const profileOf = (row: StoredProfile) => parsed.get(row.id) ?? parsed.set(row.id, toProfile(row)).get(row.id)!;
  const policyOf = (node: { profile: StoredProfile | null; policyOverride: unknown }) =>
    nodePolicy(site, { profile: node.profile && profileOf(node.profile), how: "" }, overrideOf(node.policyOverride)).policy;
  // Most nodes have no override: theirs is their profile's, worked out once.
  const byProfile = new Map<string, NodePolicy>();
  return (node) => {
    if (node.policyOverride !== null) return policyOf(node);
    const key = node.profile?.id ?? "";
    return byProfile.get(key) ?? byProfile.set(key, policyOf(node)).get(key)!;
  };
}

/** Every profile with its rules, policy, and how many nodes are in it. */
export async function listProfiles(db: Db) {
  const rows = await db.profile.findMany({
    select: { ...select, updatedAt: true, _count: { select: { nodes: { where: { deregisteredAt: null } } } } },
    orderBy: [{ position: "asc" }, { name: "asc" }],
  });
  return {
    /** What an unset setting falls through to. */
    site: await getSiteSettings(db),
    profiles: rows.map(({ _count, ...r }) => ({
      ...toProfile(r),
      description: r.description,
      updatedAt: r.updatedAt,
      nodes: _count.nodes,
    })),
  };
}

export const profileInput = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .regex(/^[a-z0-9][a-z0-9 _-]*$/i, "a profile's name is letters, digits, spaces, - and _"),
  description: z.string().trim().max(300).default(""),
  isDefault: z.boolean().default(false),
  position: z.number().int().min(0).max(10_000).default(100),
  rules: z.array(profileRule).max(20).default([]),
  policy: profilePolicy.default({}),
});
export type ProfileInput = z.infer<typeof profileInput>;

async function checkPolicy(tx: Tx, name: string, policy: ProfilePolicy) {
  const problem = policyProblem(await getSiteSettings(tx), [{ name: `profile ${name}`, policy }]);
  if (problem) throw new DomainError("BAD_REQUEST", problem);
}

/** Rules changed: the nodes they put elsewhere move now, not at the judge's next run. */
async function reassign(tx: Tx) {
  await assignProfiles(tx, await getSiteSettings(tx));
}

async function saveProfile(tx: Tx, input: ProfileInput, id: string | null) {
  await checkPolicy(tx, input.name, input.policy);
  const clash = await tx.profile.findFirst({
    where: { name: { equals: input.name, mode: "insensitive" }, ...(id ? { NOT: { id } } : {}) },
    select: { id: true },
  });
  if (clash) throw new DomainError("CONFLICT", `a profile named ${input.name} exists`);
  // One default: making this one the default takes it from the other.
  if (input.isDefault)
    await tx.profile.updateMany({ where: { isDefault: true, ...(id ? { NOT: { id } } : {}) }, data: { isDefault: false } });
  const data = { ...input, rules: input.rules as ProfileRule[], policy: input.policy, updatedAt: new Date() };
  return id
    ? tx.profile.update({ where: { id }, data, select: { id: true, name: true } })
    : tx.profile.create({ data, select: { id: true, name: true } });
}

export async function createProfile(db: Db, caller: Caller, input: ProfileInput) {
  return db.$transaction(async (tx) => {
    const created = await saveProfile(tx, input, null);
    await audit(tx, caller, { action: "profile.create", targetType: "profile", targetId: created.id, detail: { after: input } });
    await reassign(tx);
    return created;
  });
}

export async function updateProfile(db: Db, caller: Caller, args: { id: string; profile: ProfileInput }) {
  return db.$transaction(async (tx) => {
    const before = await tx.profile.findUnique({ where: { id: args.id }, select });
    if (!before) throw notFound("profile");
    const saved = await saveProfile(tx, args.profile, args.id);
    await audit(tx, caller, {
      action: "profile.update",
      targetType: "profile",
      targetId: args.id,
      detail: { before, after: args.profile },
    });
    await reassign(tx);
    return saved;
  });
}

/** The default profile stays (nodes need somewhere to fall); the nodes of a deleted one go where the rules put them. */
export async function deleteProfile(db: Db, caller: Caller, args: { id: string }) {
  return db.$transaction(async (tx) => {
    const before = await tx.profile.findUnique({ where: { id: args.id }, select });
    if (!before) throw notFound("profile");
    if (before.isDefault) throw new DomainError("BAD_REQUEST", "the default profile cannot be deleted: make another the default first");
    await tx.node.updateMany({ where: { profileId: args.id }, data: { profileSetByHand: false } });
    await tx.profile.delete({ where: { id: args.id } });
    await audit(tx, caller, { action: "profile.delete", targetType: "profile", targetId: args.id, detail: { before } });
    await reassign(tx);
    return { id: args.id };
  });
}

/** A node's profile and the rules it is judged by, with how it got them: for its page. */
export async function nodeProfile(db: Db, args: { nodeId: string }) {
  const row = await db.node.findUnique({ where: { id: args.nodeId }, select: profiledNodeSelect });
  if (!row) throw notFound("node");
  const node = profiled(row);
  const all = await profiles(db);
  const choice = chooseProfile(node, all);
  const site = await getSiteSettings(db);
  const { policy, problems } = nodePolicy(site, choice, node.override);
  return {
    profile: choice.profile ? { id: choice.profile.id, name: choice.profile.name } : null,
    how: choice.how,
    setByHand: node.profileIdByHand !== null && choice.how === "set by hand",
    override: node.override ?? {},
    effective: policy,
    /** What an unset override falls through to: the site with the profile on top. */
    below: nodePolicy(site, choice, null).policy.settings,
    profilePolicy: choice.profile?.policy ?? {},
    problems,
    profiles: all.map((p) => ({ id: p.id, name: p.name })),
  };
}

/** Put a node in a profile by hand, or (null) back where the rules put it. */
export async function setNodeProfile(db: Db, caller: Caller, args: { nodeId: string; profileId: string | null }) {
  return db.$transaction(async (tx) => {
    const node = await tx.node.findUnique({
      where: { id: args.nodeId },
      select: { id: true, name: true, profileId: true, profileSetByHand: true },
    });
    if (!node) throw notFound("node");
    if (args.profileId && !(await tx.profile.findUnique({ where: { id: args.profileId }, select: { id: true } })))
      throw notFound("profile");
    await tx.node.update({ where: { id: node.id }, data: { profileId: args.profileId, profileSetByHand: args.profileId !== null } });
    await audit(tx, caller, {
      action: "node.profile",
      targetType: "node",
      targetId: node.id,
      detail: {
        node: node.name,
        before: { profileId: node.profileId, byHand: node.profileSetByHand },
        after: { profileId: args.profileId, byHand: args.profileId !== null },
      },
    });
    await reassign(tx);
    return { id: node.id };
  });
}

/** A node's own policy over its profile's (bypass included); an empty policy removes the override. */
export async function setNodeOverride(db: Db, caller: Caller, args: { nodeId: string; override: ProfilePolicy }) {
  return db.$transaction(async (tx) => {
    const row = await tx.node.findUnique({ where: { id: args.nodeId }, select: profiledNodeSelect });
    if (!row) throw notFound("node");
    const node = profiled(row);
    const empty = Object.values(args.override).every((v) => v === undefined);
    const choice = chooseProfile(node, await profiles(tx));
    const problem = empty
      ? null
      : policyProblem(await getSiteSettings(tx), [
          { name: choice.profile ? `profile ${choice.profile.name}` : "profile", policy: choice.profile?.policy ?? null },
          { name: "the node's override", policy: args.override },
        ]);
    if (problem) throw new DomainError("BAD_REQUEST", problem);
    await tx.node.update({ where: { id: row.id }, data: { policyOverride: empty ? Prisma.DbNull : args.override } });
    await audit(tx, caller, {
      action: args.override.bypass && !node.override?.bypass ? "node.bypass" : "node.override",
      targetType: "node",
      targetId: row.id,
      detail: { node: node.name, before: node.override, after: empty ? null : args.override },
    });
    return { id: row.id };
  });
}
