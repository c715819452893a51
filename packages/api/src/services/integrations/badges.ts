import { type ProtectionState, protectionCounts, protectionState } from "@fleetwatch/core/fleet";
import { Prisma } from "@fleetwatch/db/client";
import { sqlQuery } from "@fleetwatch/db/sql";
import type { Caller } from "../../caller";
import { actorLabel } from "../../caller";
import type { Db } from "../../context";
import { DomainError, notFound } from "../../errors";
import { hashToken, newToken } from "../../tokens";
import { audit } from "../admin/audit";
import { getSiteSettings } from "../admin/settings";
import type { BadgeView } from "./badge-render";

// Badges for status pages: the fleet, one TSM server's nodes (the only groups until profiles
// exist), or one node. Anyone with the URL sees the badge, so the URL is the secret: a random
// token of which only the SHA-256 is stored, made and revoked by admins, both audited.

export type BadgeTarget =
  | { scope: "fleet" }
  | { scope: "server"; server: string }
  | { scope: "node"; node: string; server?: string | undefined };

export async function createBadge(db: Db, caller: Caller, args: { target: BadgeTarget; note: string | null; now: Date }) {
  const target = await resolveTarget(db, args.target);
  const token = newToken("fwb");
  const badge = await db.$transaction(async (tx) => {
    const made = await tx.badge.create({
      data: {
        tokenHash: hashToken(token),
        scope: target.scope,
        server: target.server,
        nodeId: target.nodeId,
        note: args.note,
        createdBy: actorLabel(caller),
        createdAt: args.now,
      },
      select: { id: true },
    });
    await audit(tx, caller, {
      action: "badge.create",
      targetType: "badge",
      targetId: made.id,
      detail: { scope: target.scope, server: target.server, node: target.nodeName, note: args.note },
    });
    return made;
  });
  return { id: badge.id, token, svgPath: `/badge/${token}.svg`, jsonPath: `/badge/${token}.json` };
}

async function resolveTarget(db: Db, target: BadgeTarget) {
  if (target.scope === "fleet") return { scope: "fleet", server: null, nodeId: null, nodeName: null };
  if (target.scope === "server") {
    const known = await db.node.findFirst({ where: { server: target.server }, select: { id: true } });
    if (!known) throw new DomainError("BAD_REQUEST", `no node is on TSM server '${target.server}'`);
    return { scope: "server", server: target.server, nodeId: null, nodeName: null };
  }
  const nodes = await db.node.findMany({
    where: { name: target.node, ...(target.server === undefined ? {} : { server: target.server }) },
    select: { id: true, name: true, server: true },
    take: 10,
  });
  const [node] = nodes;
  if (!node) throw new DomainError("BAD_REQUEST", `no node named ${target.node}${target.server ? ` on server '${target.server}'` : ""}`);
  if (nodes.length > 1) {
    throw new DomainError(
      "BAD_REQUEST",
      `${target.node} is on several TSM servers (${nodes.map((n) => n.server || "''").join(", ")}): name one`,
    );
  }
  return { scope: "node", server: null, nodeId: node.id, nodeName: node.name };
}

export async function revokeBadge(db: Db, caller: Caller, args: { badgeId: string; now: Date }) {
  return db.$transaction(async (tx) => {
    const badge = await tx.badge.findUnique({ where: { id: args.badgeId }, select: { id: true, revokedAt: true } });
    if (!badge) throw notFound("badge");
    if (badge.revokedAt) throw new DomainError("CONFLICT", "this badge is already revoked");
    await tx.badge.update({ where: { id: badge.id }, data: { revokedAt: args.now, revokedBy: actorLabel(caller) } });
    await audit(tx, caller, { action: "badge.revoke", targetType: "badge", targetId: badge.id });
    return { id: badge.id, revokedAt: args.now };
  });
}

/** Badges made so far, newest first (never a token: it was shown once). */
export function listBadges(db: Db) {
  return db.badge.findMany({
    orderBy: { createdAt: "desc" },
    take: 200,
    select: {
      id: true,
      scope: true,
      server: true,
      note: true,
      createdBy: true,
      createdAt: true,
      revokedAt: true,
      revokedBy: true,
      node: { select: { id: true, name: true, server: true } },
    },
  });
}

type Facts = { missedStreak: number; failedStreak: number; lastCompletedAt: Date | null };

/** What the badge of this token shows now; null for a token that is unknown or revoked. */
export async function badgeView(db: Db, args: { token: string; now: Date }): Promise<BadgeView | null> {
  const badge = await db.badge.findUnique({
    where: { tokenHash: hashToken(args.token) },
    select: {
      scope: true,
      server: true,
      revokedAt: true,
      node: { select: { name: true, deregisteredAt: true, missedStreak: true, failedStreak: true, lastCompletedAt: true } },
    },
  });
  if (!badge || badge.revokedAt) return null;
  const { atRiskHours } = await getSiteSettings(db);
  if (badge.scope === "node") {
    if (!badge.node) return null;
    const state: ProtectionState | "deregistered" = badge.node.deregisteredAt
      ? "deregistered"
      : protectionState(badge.node, args.now, atRiskHours);
    return { kind: "node", label: `${badge.node.name} backup`, state };
  }
  const server = badge.scope === "server" ? (badge.server ?? "") : null;
  // The states of a whole group: a few columns of each registered node, one statement.
  const rows = await sqlQuery<Facts>(
    db,
    Prisma.sql`SELECT "missedStreak", "failedStreak", "lastCompletedAt" FROM "Node"
      WHERE "deregisteredAt" IS NULL AND (${server}::text IS NULL OR server = ${server}::text)`,
    { prepared: true },
  );
  const label = server === null ? "fleet backups" : `${server || "default server"} backups`;
  return { kind: "group", label, counts: protectionCounts(rows, args.now, atRiskHours) };
}
