import { type Diagnosis, staffRemedyFor, typicalRange } from "@fleetwatch/core/diagnosis";
import { lastContact } from "@fleetwatch/core/fleet";
import { departmentOf } from "@fleetwatch/core/groups";
import { nodeOwner } from "@fleetwatch/core/report";
import { clockSkewWords } from "@fleetwatch/core/windows";
import { actorLabel, type Caller } from "../../caller";
import type { Db } from "../../context";
import { DomainError, notFound } from "../../errors";
import { audit } from "../admin/audit";
import { getSiteSettings } from "../admin/settings";
import { fromFlagKind } from "../judge/flag-kinds";
import { suspicionOf } from "../judge/suspicious-runs";
import { fromStoredOutcome } from "../window-outcome";

/** Take a node off every check, keeping its history; reversible with `restoreNode`. */
export async function deregisterNode(db: Db, caller: Caller, args: { nodeId: string; reason: string; now: Date }) {
  return db.$transaction(async (tx) => {
    const node = await tx.node.findUnique({ where: { id: args.nodeId }, select: { id: true, name: true, deregisteredAt: true } });
    if (!node) throw notFound("node");
    if (node.deregisteredAt) throw new DomainError("CONFLICT", `${node.name} is already deregistered`);
    const by = caller.kind === "user" || caller.kind === "apiKey" ? actorLabel(caller) : "system";
    await tx.node.update({
      where: { id: node.id },
      data: { deregisteredAt: args.now, deregisteredBy: by, deregisteredReason: args.reason },
    });
    // Open flags close with the node: it is off every check now.
    await tx.flag.updateMany({ where: { nodeId: node.id, clearedAt: null }, data: { clearedAt: args.now } });
    await audit(tx, caller, {
      action: "node.deregister",
      targetType: "node",
      targetId: node.id,
      reason: args.reason,
      detail: { name: node.name },
    });
    return { id: node.id, name: node.name, deregisteredAt: args.now };
  });
}

export async function restoreNode(db: Db, caller: Caller, args: { nodeId: string; reason: string | null }) {
  return db.$transaction(async (tx) => {
    const node = await tx.node.findUnique({ where: { id: args.nodeId }, select: { id: true, name: true, deregisteredAt: true } });
    if (!node) throw notFound("node");
    if (!node.deregisteredAt) throw new DomainError("CONFLICT", `${node.name} is not deregistered`);
    await tx.node.update({ where: { id: node.id }, data: { deregisteredAt: null, deregisteredBy: null, deregisteredReason: null } });
    await audit(tx, caller, {
      action: "node.restore",
      targetType: "node",
      targetId: node.id,
      reason: args.reason,
      detail: { name: node.name },
    });
    return { id: node.id, name: node.name };
  });
}

/** A node with its recent windows (newest first), messages, open flags and machine facts. */
export async function nodeById(db: Db, args: { nodeId: string; nights: number; now: Date }) {
  const node = await db.node.findUnique({
    where: { id: args.nodeId },
    select: {
      id: true,
      name: true,
      department: true,
      tags: { select: { tag: true }, orderBy: { tag: "asc" } },
      server: true,
      contact: true,
      email: true,
      staffContact: true,
      staffEmail: true,
      ownerSetBy: true,
      ownerSetAt: true,
      os: true,
      locked: true,
      passwordSetAt: true,
      passwordExpiryDays: true,
      registeredAt: true,
      lastAccessAt: true,
      serverRecordAt: true,
      platform: true,
      clientVersion: true,
      tcpName: true,
      tcpAddress: true,
      guid: true,
      policyDomain: true,
      lastContactAt: true,
      lastHeartbeatAt: true,
      timeZone: true,
      utcOffsetMinutes: true,
      clockSkewSeconds: true,
      clockSkewAt: true,
      lastCompletedAt: true,
      lastOutcome: true,
      missedStreak: true,
      failedStreak: true,
      deregisteredAt: true,
      deregisteredBy: true,
      deregisteredReason: true,
      machine: {
        select: {
          hostname: true,
          machineId: true,
          os: true,
          osVersion: true,
          macAddresses: true,
          clientVersion: true,
          bootedAt: true,
          lastSeenAt: true,
        },
      },
      flags: {
        where: { clearedAt: null },
        select: { kind: true, raisedAt: true, detail: true, evidence: true },
        orderBy: { raisedAt: "asc" },
      },
      windows: {
        orderBy: { scheduledStart: "desc" },
        take: args.nights,
        select: {
          id: true,
          schedule: true,
          scheduledStart: true,
          localStart: true,
          outcome: true,
          returnCode: true,
          startedAt: true,
          endedAt: true,
          objectsInspected: true,
          objectsBackedUp: true,
          objectsFailed: true,
          bytesTransferred: true,
          elapsedSeconds: true,
          causes: true,
          cause: true,
          benign: true,
          diagnosis: true,
          suspicion: true,
          messages: {
            orderBy: { ordinal: "asc" },
            select: { code: true, severity: true, at: true, text: true, cause: true, flag: true, context: true },
          },
        },
      },
    },
  });
  if (!node) throw notFound("node");
  const num = (v: bigint | null) => (v === null ? null : Number(v));
  const site = await getSiteSettings(db);
  // The server's PASSEXP for the node when the collector read it, else the site's; 0: never expires.
  const passwordExpiryDays = node.passwordExpiryDays ?? site.passwordExpiryDays;
  const passwordExpiresAt =
    node.passwordSetAt && passwordExpiryDays > 0 ? new Date(node.passwordSetAt.getTime() + passwordExpiryDays * 86_400_000) : null;
  const flags = node.flags.map((f) => ({ ...f, kind: fromFlagKind(f.kind) }));
  // The usual range of each charted figure, from the ordinary nights (completed, not suspicious).
  const ordinary = node.windows.filter((w) => w.outcome === "completed" && !suspicionOf(w.suspicion));
  const typical = {
    objects: typicalRange(ordinary.map((w) => num(w.objectsBackedUp))),
    bytes: typicalRange(ordinary.map((w) => num(w.bytesTransferred))),
    elapsed: typicalRange(ordinary.map((w) => w.elapsedSeconds)),
  };
  return {
    typical,
    ...node,
    // Locked by the TSM server's record (collector) or by what the client logged (ANS1361E, the flag).
    lockedNow: node.locked || flags.some((f) => f.kind === "locked"),
    // The department staff set, else the name's rule (core/groups); departmentSet says which.
    department: departmentOf(node),
    departmentSet: node.department,
    tags: node.tags.map((t) => t.tag),
    // Who the morning report goes to, and whether staff or the TSM server says so.
    owner: nodeOwner(node),
    passwordExpiryDays,
    passwordExpiresAt,
    passwordDaysLeft: passwordExpiresAt ? Math.floor((passwordExpiresAt.getTime() - args.now.getTime()) / 86_400_000) : null,
    flags,
    // The agent's clock against the server's: words when it is off by more than a few minutes.
    clockSkewWords: clockSkewWords(node.clockSkewSeconds),
    lastOutcome: node.lastOutcome ? fromStoredOutcome(node.lastOutcome) : null,
    windows: node.windows.map((w) => ({
      ...w,
      outcome: fromStoredOutcome(w.outcome),
      objectsInspected: num(w.objectsInspected),
      objectsBackedUp: num(w.objectsBackedUp),
      objectsFailed: num(w.objectsFailed),
      bytesTransferred: num(w.bytesTransferred),
      // A suspicious run's reasons and words (the judge's verdict); null for an ordinary night.
      suspicion: suspicionOf(w.suspicion),
      // The backup team's half of the remedy: their dsmadmc commands and the message for the user.
      staff: staffRemedyOf(w.diagnosis, { node: node.name, night: w.localStart.slice(0, 10), os: node.os ?? node.machine?.os }),
      messages: w.messages.map((m) => ({ ...m, context: m.context as { before: string[]; after: string[] } | null })),
    })),
  };
}

function staffRemedyOf(stored: unknown, context: Parameters<typeof staffRemedyFor>[1]) {
  const diagnosis = stored as Diagnosis | null;
  if (!diagnosis || diagnosis.benign) return null;
  return staffRemedyFor(diagnosis.cause, context);
}

/** Ask the backup team to unlock a node: an alert they see and an audit line. */
export async function requestUnlock(db: Db, caller: Caller, args: { nodeId: string; note: string | null; now: Date }) {
  return db.$transaction(async (tx) => {
    const node = await tx.node.findUnique({ where: { id: args.nodeId }, select: { id: true, name: true, locked: true } });
    if (!node) throw notFound("node");
    const who = caller.kind === "user" ? caller.email : "system";
    const fields = {
      nodeId: node.id,
      kind: "unlock-request",
      severity: "warning",
      state: "open",
      title: `Unlock requested for ${node.name}`,
      body: `${who} asks the backup team to unlock node ${node.name} on the TSM server.${args.note ? ` Note: ${args.note}` : ""}`,
      raisedAt: args.now,
      since: args.now,
      updatedAt: args.now,
    };
    // One request alert per node: asking again re-opens it.
    const alert = await tx.alert.upsert({
      where: { dedupeKey: `unlock-request:${node.id}` },
      create: { dedupeKey: `unlock-request:${node.id}`, ...fields },
      update: {
        ...fields,
        resolvedAt: null,
        resolvedBy: null,
        resolvedReason: null,
        acknowledgedAt: null,
        acknowledgedBy: null,
        acknowledgeNote: null,
      },
      select: { id: true },
    });
    await tx.alertEvent.create({ data: { alertId: alert.id, at: args.now, kind: "opened", actor: who, detail: args.note } });
    await audit(tx, caller, {
      action: "node.request-unlock",
      targetType: "node",
      targetId: node.id,
      reason: args.note,
      detail: { name: node.name },
    });
    return { alertId: alert.id };
  });
}

/**
 * Stale nodes: the judge's `stale` flag (no contact of any kind for the stale period: heartbeat,
 * server access, event), longest silent first.
 */
export async function staleNodes(db: Db, args: { now: Date }) {
  const rows = await db.node.findMany({
    where: { deregisteredAt: null, flags: { some: { kind: "stale", clearedAt: null } } },
    take: 1000,
    select: {
      id: true,
      name: true,
      createdAt: true,
      registeredAt: true,
      lastHeartbeatAt: true,
      lastAccessAt: true,
      lastEventAt: true,
      machine: { select: { hostname: true } },
    },
  });
  return {
    rows: rows
      .map((n) => {
        const last = lastContact({ ...n, knownSince: n.registeredAt ?? n.createdAt });
        const since = last ?? n.registeredAt ?? n.createdAt;
        return {
          nodeId: n.id,
          name: n.name,
          hostname: n.machine?.hostname ?? null,
          lastContactAt: last,
          daysSinceContact: Math.floor((args.now.getTime() - since.getTime()) / 86_400_000),
        };
      })
      .sort((a, b) => b.daysSinceContact - a.daysSinceContact),
  };
}
