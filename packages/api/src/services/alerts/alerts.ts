import type { AlertEventKind, AlertSeverity, AlertState } from "@fleetwatch/core/alerts";
import { Prisma } from "@fleetwatch/db/client";
import { texts } from "@fleetwatch/db/sql";
import { actorLabel, type Caller } from "../../caller";
import type { Db, Tx } from "../../context";
import { DomainError, notFound } from "../../errors";
import { audit } from "../admin/audit";
import { getAlertChannels } from "../admin/settings";
import { recordEvents } from "./alert-reconcile";
import { REPORT_KINDS } from "./digest";

/** Which alerts a list shows: the live ones (open or acknowledged) unless asked otherwise. */
export type AlertStateFilter = "live" | AlertState | "all";

export interface AlertFilters {
  state: AlertStateFilter;
  severity?: AlertSeverity[];
  kind?: string[];
  /** The node's TSM server: the fleet's groups until staff define their own. */
  server?: string;
  /** A user id, or "none" for nobody's. */
  assignee?: string;
  nodeId?: string;
}

const stateSql = (state: AlertStateFilter) =>
  state === "live" ? Prisma.sql`a.state IN ('open', 'acknowledged')` : state === "all" ? Prisma.sql`TRUE` : Prisma.sql`a.state = ${state}`;

function whereSql(f: AlertFilters): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`a.kind <> ALL(${texts([...REPORT_KINDS])}::text[])`, stateSql(f.state)];
  if (f.severity?.length) parts.push(Prisma.sql`a.severity = ANY(${texts(f.severity)}::text[])`);
  if (f.kind?.length) parts.push(Prisma.sql`a.kind = ANY(${texts(f.kind)}::text[])`);
  if (f.nodeId) parts.push(Prisma.sql`a."nodeId" = ${f.nodeId}::uuid`);
  if (f.server !== undefined) parts.push(Prisma.sql`EXISTS (SELECT 1 FROM "Node" n WHERE n.id = a."nodeId" AND n.server = ${f.server})`);
  if (f.assignee === "none") parts.push(Prisma.sql`a."assigneeId" IS NULL`);
  else if (f.assignee) parts.push(Prisma.sql`a."assigneeId" = ${f.assignee}::uuid`);
  return Prisma.join(parts, " AND ");
}

/** Worst first, then the longest-standing problem first; the id keeps pages stable. */
const ORDER = Prisma.sql`CASE a.severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, coalesce(a.since, a."raisedAt"), a.id`;

export async function listAlerts(db: Db, args: AlertFilters & { page: number; pageSize: number }) {
  const where = whereSql(args);
  const [[{ total }], page] = (await Promise.all([
    db.$queryRaw<{ total: number }[]>`SELECT count(*)::int AS total FROM "Alert" a WHERE ${where}`,
    db.$queryRaw<{ id: string }[]>`
      SELECT a.id FROM "Alert" a WHERE ${where} ORDER BY ${ORDER} LIMIT ${args.pageSize} OFFSET ${(args.page - 1) * args.pageSize}`,
  ])) as [[{ total: number }], { id: string }[]];
  const rows = await db.alert.findMany({
    where: { id: { in: page.map((r) => r.id) } },
    select: {
      id: true,
      kind: true,
      severity: true,
      state: true,
      title: true,
      body: true,
      raisedAt: true,
      since: true,
      occurrences: true,
      updatedAt: true,
      resolvedAt: true,
      resolvedBy: true,
      resolvedReason: true,
      acknowledgedAt: true,
      acknowledgedBy: true,
      acknowledgeNote: true,
      assignee: { select: { id: true, email: true, name: true } },
      incident: { select: { id: true, title: true, state: true } },
      node: { select: { id: true, name: true, server: true } },
      deliveries: {
        orderBy: { nextAttemptAt: "desc" },
        take: 5,
        select: {
          channel: true,
          target: true,
          status: true,
          attempts: true,
          lastError: true,
          deliveredAt: true,
          event: { select: { kind: true } },
        },
      },
    },
  });
  const order = new Map(page.map((r, i) => [r.id, i]));
  rows.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  return { total, page: args.page, pageSize: args.pageSize, rows };
}

/** What the header and the filters show: live alerts by state and severity. */
export async function alertCounts(db: Db) {
  const rows = await db.$queryRaw<{ state: string; severity: string; n: number }[]>`
    SELECT state, severity, count(*)::int AS n FROM "Alert" WHERE kind <> ALL(${texts([...REPORT_KINDS])}::text[]) AND state IN ('open', 'acknowledged') GROUP BY state, severity`;
  const sum = (pick: (r: (typeof rows)[number]) => boolean) => rows.filter(pick).reduce((n, r) => n + r.n, 0);
  return {
    live: sum(() => true),
    unacknowledged: sum((r) => r.state === "open"),
    critical: sum((r) => r.severity === "critical"),
    warning: sum((r) => r.severity === "warning"),
    info: sum((r) => r.severity === "info"),
  };
}

/** An alert's history, oldest first. */
export async function alertHistory(db: Db, args: { alertId: string }) {
  const alert = await db.alert.findUnique({ where: { id: args.alertId }, select: { id: true } });
  if (!alert) throw notFound("alert");
  return db.alertEvent.findMany({
    where: { alertId: args.alertId },
    orderBy: { seq: "asc" },
    select: { id: true, at: true, kind: true, actor: true, detail: true },
  });
}

/** Who did it, as the alert's history shows it: a person's e-mail, an API key's name, else the system. */
const who = (caller: Caller) => (caller.kind === "user" || caller.kind === "apiKey" ? actorLabel(caller) : "system");

/** Someone is on it: acknowledge open alerts (one or many), with an optional note. Already acknowledged ones are left as they are. */
export async function acknowledgeAlerts(db: Db, caller: Caller, args: { alertIds: string[]; note: string | null; now: Date }) {
  return db.$transaction(async (tx) => {
    const alerts = await tx.alert.findMany({ where: { id: { in: args.alertIds } }, select: { id: true, title: true, state: true } });
    if (alerts.length !== new Set(args.alertIds).size) throw notFound("alert");
    const open = alerts.filter((a) => a.state === "open");
    if (args.alertIds.length === 1 && open.length === 0) {
      throw new DomainError("CONFLICT", alerts[0]?.state === "resolved" ? "this alert is resolved" : "this alert is already acknowledged");
    }
    const by = who(caller);
    await tx.alert.updateMany({
      where: { id: { in: open.map((a) => a.id) }, state: "open" },
      data: { state: "acknowledged", acknowledgedAt: args.now, acknowledgedBy: by, acknowledgeNote: args.note, updatedAt: args.now },
    });
    await writeEvents(
      tx,
      open.map((a) => a.id),
      "acknowledged",
      args.note,
      by,
      args.now,
      false,
    );
    for (const a of open) {
      await audit(tx, caller, {
        action: "alert.acknowledge",
        targetType: "alert",
        targetId: a.id,
        reason: args.note,
        detail: { title: a.title },
      });
    }
    return { acknowledged: open.length, acknowledgedAt: args.now, acknowledgedBy: by };
  });
}

/**
 * Resolved by hand, with a reason: it stays resolved while the same condition merely goes on,
 * and re-opens on new evidence (core/alerts planAlerts).
 */
export async function resolveAlert(db: Db, caller: Caller, args: { alertId: string; reason: string; now: Date }) {
  return db.$transaction(async (tx) => {
    const alert = await tx.alert.findUnique({
      where: { id: args.alertId },
      select: { id: true, title: true, state: true, severity: true },
    });
    if (!alert) throw notFound("alert");
    if (alert.state === "resolved") throw new DomainError("CONFLICT", "this alert is already resolved");
    const by = who(caller);
    await tx.alert.update({
      where: { id: alert.id },
      data: { state: "resolved", resolvedAt: args.now, resolvedBy: by, resolvedReason: args.reason, updatedAt: args.now },
    });
    await writeEvents(tx, [alert.id], "resolved", args.reason, by, args.now, alert.severity !== "info");
    await audit(tx, caller, {
      action: "alert.resolve",
      targetType: "alert",
      targetId: alert.id,
      reason: args.reason,
      detail: { title: alert.title },
    });
    return { id: alert.id, resolvedAt: args.now, resolvedBy: by };
  });
}

/** Give an alert to someone (an enabled user), or to nobody. */
export async function assignAlert(db: Db, caller: Caller, args: { alertId: string; userId: string | null; now: Date }) {
  return db.$transaction(async (tx) => {
    const alert = await tx.alert.findUnique({ where: { id: args.alertId }, select: { id: true, title: true, assigneeId: true } });
    if (!alert) throw notFound("alert");
    const user = args.userId
      ? await tx.user.findUnique({ where: { id: args.userId }, select: { id: true, email: true, disabledAt: true } })
      : null;
    if (args.userId && (!user || user.disabledAt)) throw new DomainError("BAD_REQUEST", "no such user, or the user is disabled");
    await tx.alert.update({ where: { id: alert.id }, data: { assigneeId: user?.id ?? null, updatedAt: args.now } });
    const detail = user ? `assigned to ${user.email}` : "unassigned";
    await writeEvents(tx, [alert.id], "assigned", detail, who(caller), args.now, false);
    await audit(tx, caller, {
      action: "alert.assign",
      targetType: "alert",
      targetId: alert.id,
      detail: { title: alert.title, before: alert.assigneeId, after: user?.id ?? null },
    });
    return { id: alert.id, assignee: user ? { id: user.id, email: user.email } : null };
  });
}

/** Users an alert can be given to. */
export async function assignableUsers(db: Db) {
  return db.user.findMany({ where: { disabledAt: null }, orderBy: { email: "asc" }, select: { id: true, email: true, name: true } });
}

async function writeEvents(
  tx: Tx,
  alertIds: string[],
  kind: AlertEventKind,
  detail: string | null,
  actor: string,
  now: Date,
  push: boolean,
) {
  if (!alertIds.length) return;
  const channels = await getAlertChannels(tx);
  await recordEvents(
    tx,
    alertIds.map((alertId) => ({ alertId, kind, detail: detail ?? "", push })),
    { now, channels, actor },
  );
}
