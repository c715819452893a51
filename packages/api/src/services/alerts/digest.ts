/// <reference path="./nodemailer.d.ts" />
import type { Diagnosis } from "@fleetwatch/core/diagnosis";
import { type ContactReports, contactReports, nodeOwner, type ReportNode, renderContactReport } from "@fleetwatch/core/report";
import type { Prisma } from "@fleetwatch/db/client";
import nodemailer, { type SmtpError } from "nodemailer";
import type { Db } from "../../context";
import { getAlertChannels } from "../admin/settings";
import { fromStoredOutcome } from "../window-outcome";
import {
  type AttemptResult,
  claimDue,
  type DeliveryReport,
  defaultRetryPolicy,
  eachLimited,
  emptyReport,
  type RetryPolicy,
  settle,
  tally,
} from "./alert-delivery-queue";
import { DIGEST_SUBJECT, type DigestInput, type DigestNode, type DigestOutcome, renderDigest } from "./digest-render";

/**
 * The daily e-mail digest. Each day's digest is recorded as an Alert `digest:<date>` (kind
 * `digest`, cleared at once so it never sits among open alerts) with one `email` AlertDelivery
 * per recipient: the unique dedupe key makes it once a day across restarts and replicas, and the
 * deliveries are retried and shown like any other. The HTML is kept in Setting `digest:<date>`
 * (the Alert has only a text body) so a retry hours later sends the same mail.
 */

const BAD_OUTCOMES = ["missed", "failed", "severed", "aborted"] as const;

/** Alert kinds that record mails, not problems: never among the alerts staff work through. */
export const REPORT_KINDS = ["digest", "owner-report", "digest-test"] as const;

export interface DigestOptions {
  now: Date;
  /** The time zone of dailyDigestHour and of the report's date; the process's own when not given. */
  timeZone?: string;
  /** More nodes than this are counted, not listed: a mail nobody can read helps nobody. */
  maxNodes?: number;
}

export interface QueuedDigest {
  date: string;
  /** Digest deliveries queued: one per backup-team recipient. */
  recipients: number;
  /** Every node checked was fine: the digest says so (it is sent all the same). */
  allFine: boolean;
  checked: number;
  /** Owners' reports queued: one per owner address with a bad night among their nodes. */
  ownerReports: number;
}

/** One mail to queue: its own Alert (dedupe key), text body, and HTML and subject kept in Setting. */
export interface QueuedMail {
  dedupeKey: string;
  kind: (typeof REPORT_KINDS)[number];
  subject: string;
  text: string;
  html: string;
  targets: string[];
  replyTo?: string;
  /** Kept with the HTML for the report page: what the mail covered. */
  meta?: Record<string, unknown>;
}

/**
 * Record today's digest and the owners' reports and queue their mails, if e-mail is set up, the
 * hour has come and it is not done yet. The digest goes out every day, all fine or not: silence is
 * never the only sign of health. Owners hear only of their nodes' bad nights, and only when there
 * are some.
 */
export async function queueDailyDigest(db: Db, opts: DigestOptions): Promise<QueuedDigest | null> {
  const { email } = await getAlertChannels(db);
  if (!email.smtpUrl) return null;
  const team = [...new Set(email.to.map((a) => a.toLowerCase()))];
  const timeZone = opts.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const clock = localClock(opts.now, timeZone);
  // At or after the hour, not only in it: a server that was down at 07:00 still sends at 07:40.
  if (clock.hour < email.dailyDigestHour) return null;
  const dedupeKey = `digest:${clock.date}`;
  if (await db.alert.findUnique({ where: { dedupeKey }, select: { id: true } })) return null;

  const report = await collectMorningReport(db, { now: opts.now, date: clock.date, timeZone, maxNodes: opts.maxNodes ?? 200 });
  const digest = renderDigest(report.digest);
  const owners = email.ownerReports ? report.owners.reports : [];
  const mails: QueuedMail[] = [
    {
      dedupeKey,
      kind: "digest",
      subject: digest.subject,
      text: digest.text,
      html: digest.html,
      targets: team,
      meta: { checked: report.digest.checked, allFine: digest.allFine, unaddressed: report.owners.unaddressed.map((u) => u.name) },
    },
    ...owners.map((r): QueuedMail => {
      const rendered = renderContactReport(r, { date: clock.date, since: report.digest.since });
      return {
        dedupeKey: `owner-report:${clock.date}:${r.address}`,
        kind: "owner-report",
        ...rendered,
        targets: [r.address],
        meta: { name: r.name, nodes: r.nodes.map((n) => n.name), nights: r.nodes.reduce((k, n) => k + n.nights.length, 0) },
        // "Reply to this message", the report says: the reply reaches the backup team.
        ...(team[0] ? { replyTo: team[0] } : {}),
      };
    }),
  ];

  return db.$transaction(
    async (tx) => {
      // Another replica may be doing the same: whoever inserts the digest's key queues the day's
      // mails, the other stands down.
      const { count } = await tx.alert.createMany({ skipDuplicates: true, data: [alertRow(mails[0] as QueuedMail, opts.now)] });
      if (count === 0) return null;
      await tx.alert.createMany({ skipDuplicates: true, data: mails.slice(1).map((m) => alertRow(m, opts.now)) });
      await queueMails(tx, mails, opts.now);
      // Keys sort by date, so a string comparison finds the ones older than a month.
      const monthAgo = localClock(new Date(opts.now.getTime() - 30 * 86_400_000), timeZone).date;
      await tx.setting.deleteMany({
        where: {
          OR: [
            { key: { startsWith: "digest:", lt: `digest:${monthAgo}` } },
            { key: { startsWith: "owner-report:", lt: `owner-report:${monthAgo}` } },
          ],
        },
      });
      return {
        date: clock.date,
        recipients: team.length,
        allFine: digest.allFine,
        checked: report.digest.checked,
        ownerReports: owners.length,
      };
    },
    // Hundreds of owners are a few statements each, batched; the default 5 s is for one click.
    { timeout: 60_000 },
  );
}

function alertRow(m: QueuedMail, now: Date) {
  return {
    dedupeKey: m.dedupeKey,
    nodeId: null,
    kind: m.kind,
    severity: "info",
    title: m.subject,
    body: m.text,
    // Resolved at once: a mail sent is a record, never an open problem.
    state: "resolved",
    raisedAt: now,
    resolvedAt: now,
  };
}

/** The opened event, one email delivery per target and the stored HTML of Alerts already inserted. */
export async function queueMails(
  tx: Pick<Db, "alert" | "alertEvent" | "alertDelivery" | "setting">,
  mails: QueuedMail[],
  now: Date,
  /** Kept from the delivery job until then: a test is sent by its own request, which waits for it. */
  holdUntil: Date = now,
) {
  const alerts = await tx.alert.findMany({
    where: { dedupeKey: { in: mails.map((m) => m.dedupeKey) } },
    select: { id: true, dedupeKey: true },
  });
  const idOf = new Map(alerts.map((a) => [a.dedupeKey, a.id]));
  const events = await tx.alertEvent.createManyAndReturn({
    data: mails.map((m) => ({
      alertId: idOf.get(m.dedupeKey) as string,
      at: now,
      kind: "opened",
      detail: `the ${m.kind.replace("-", " ")}`,
    })),
    select: { id: true, alertId: true },
  });
  const eventOf = new Map(events.map((e) => [e.alertId, e.id]));
  await tx.alertDelivery.createMany({
    skipDuplicates: true,
    data: mails.flatMap((m) => {
      const alertId = idOf.get(m.dedupeKey) as string;
      const eventId = eventOf.get(alertId) as string;
      return m.targets.map((target) => ({ alertId, eventId, channel: "email", target, nextAttemptAt: holdUntil }));
    }),
  });
  await tx.setting.createMany({
    skipDuplicates: true,
    data: mails.map((m) => ({
      key: m.dedupeKey,
      value: { html: m.html, subject: m.subject, ...(m.replyTo ? { replyTo: m.replyTo } : {}), ...m.meta } as Prisma.InputJsonObject,
    })),
  });
  return idOf;
}

export interface MorningReport {
  digest: DigestInput;
  owners: ContactReports;
}

/**
 * What today's mails would say if they went now: the nights since the last digest (a day, for the
 * first one). The job and the report page both use it, so the page shows what will be sent.
 */
export async function collectMorningReport(
  db: Db,
  args: { now: Date; date: string; timeZone: string; maxNodes: number },
): Promise<MorningReport> {
  const last = await db.alert.findFirst({ where: { kind: "digest" }, orderBy: { raisedAt: "desc" }, select: { raisedAt: true } });
  // The first digest ever covers a day: older history was never news to anyone by e-mail.
  const since = last?.raisedAt ?? new Date(args.now.getTime() - 86_400_000);
  return collectDigest(db, { since, date: args.date, timeZone: args.timeZone, maxNodes: args.maxNodes });
}

/** Every node's bad nights judged or reported since `since`, and every open flag, as the digest and the owners' reports show them. */
export async function collectDigest(
  db: Db,
  args: { since: Date; date: string; timeZone: string; maxNodes: number },
): Promise<MorningReport> {
  const active = { deregisteredAt: null };
  const nodeSelect = {
    select: {
      id: true,
      name: true,
      server: true,
      contact: true,
      email: true,
      staffContact: true,
      staffEmail: true,
      os: true,
      machine: { select: { os: true } },
    },
  };
  const [windows, flags, checked] = await Promise.all([
    db.window.findMany({
      // updatedAt, as the judge's alerts use it: a night is news when it was recorded or changed.
      where: { updatedAt: { gt: args.since }, outcome: { in: [...BAD_OUTCOMES] }, benign: false, node: active },
      orderBy: { scheduledStart: "asc" },
      select: { schedule: true, localStart: true, outcome: true, cause: true, diagnosis: true, node: nodeSelect },
    }),
    db.flag.findMany({
      where: { clearedAt: null, node: active },
      orderBy: [{ raisedAt: "asc" }, { kind: "asc" }],
      select: { kind: true, raisedAt: true, detail: true, node: nodeSelect },
    }),
    db.node.count({ where: active }),
  ]);

  type NodeRow = (typeof windows)[number]["node"];
  const nodes = new Map<string, DigestNode & { report: ReportNode }>();
  const nodeOf = (n: NodeRow) => {
    let entry = nodes.get(n.id);
    if (!entry) {
      const owner = nodeOwner(n);
      const report: ReportNode = { id: n.id, name: n.name, server: n.server, os: n.os ?? n.machine?.os ?? null, owner: n, nights: [] };
      entry = { name: n.name, server: n.server, contact: owner.address ?? owner.name, nights: [], flags: [], report };
      nodes.set(n.id, entry);
    }
    return entry;
  };
  for (const w of windows) {
    const diagnosis = w.diagnosis as Diagnosis | null;
    const night = {
      outcome: fromStoredOutcome(w.outcome) as DigestOutcome,
      schedule: w.schedule,
      localStart: w.localStart,
      cause: w.cause ?? diagnosis?.cause ?? null,
      evidence: diagnosis?.evidence[0]?.text ?? null,
      remedy: diagnosis?.remedy ?? [],
    };
    const entry = nodeOf(w.node);
    entry.nights.push(night);
    entry.report.nights.push(night);
  }
  for (const f of flags) {
    nodeOf(f.node).flags.push({ kind: f.kind.replaceAll("_", "-"), since: localClock(f.raisedAt, args.timeZone).date, detail: f.detail });
  }

  // Failed nights first (that is what the report is for), then nodes with only standing flags.
  const ordered = [...nodes.values()].sort(
    (a, b) => Number(b.nights.length > 0) - Number(a.nights.length > 0) || a.name.localeCompare(b.name),
  );
  return {
    digest: {
      date: args.date,
      checked,
      since: localClock(args.since, args.timeZone).stamp,
      nodes: ordered.slice(0, args.maxNodes).map(({ report: _, ...n }) => n),
      omittedNodes: Math.max(0, ordered.length - args.maxNodes),
    },
    owners: contactReports(ordered.map((n) => n.report)),
  };
}

/**
 * Send every due e-mail (digests, owners' reports, tests) over SMTP, one mail per recipient,
 * retried like webhooks. `only`: just these deliveries (a test sent while its sender waits).
 */
export async function deliverDigestEmails(
  db: Db,
  opts: { now: Date; policy?: RetryPolicy; limit?: number /** FLEETWATCH_SMTP_PASSWORD. */; smtpPassword: string | null; only?: string[] },
): Promise<DeliveryReport> {
  const report = emptyReport();
  const policy = opts.policy ?? defaultRetryPolicy;
  const claimed = await claimDue(db, { channel: "email", now: opts.now, limit: opts.limit ?? 100, policy, only: opts.only });
  if (claimed.length === 0) return report;
  const { email } = await getAlertChannels(db);
  const alerts = await db.alert.findMany({
    where: { id: { in: [...new Set(claimed.map((d) => d.alertId))] } },
    select: { id: true, dedupeKey: true, body: true },
  });
  const stored = await db.setting.findMany({ where: { key: { in: alerts.map((a) => a.dedupeKey) } }, select: { key: true, value: true } });
  const storedOf = new Map(stored.map((s) => [s.key, (s.value ?? {}) as { html?: string; subject?: string; replyTo?: string }]));
  const alertOf = new Map(alerts.map((a) => [a.id, a]));
  const password = opts.smtpPassword;
  const transport = email.smtpUrl ? nodemailer.createTransport(transportUrl(email.smtpUrl, password)) : null;
  try {
    // Two at a time: a mail server throttles a burst from one client, and a digest is a few mails.
    await eachLimited(claimed, 2, async (d) => {
      const alert = alertOf.get(d.alertId);
      let result: AttemptResult;
      if (!transport) result = { ok: false, permanent: true, error: "not sent: e-mail has no SMTP URL configured" };
      else if (!alert) result = { ok: false, permanent: true, error: "the report no longer exists" };
      else {
        const { html, subject, replyTo } = storedOf.get(alert.dedupeKey) ?? {};
        result = await transport
          .sendMail({
            from: email.from,
            to: d.target,
            subject: subject ?? DIGEST_SUBJECT,
            text: alert.body,
            ...(html ? { html } : {}),
            ...(replyTo ? { replyTo } : {}),
          })
          .then(() => ({ ok: true }) as const, smtpFailure);
      }
      tally(report, await settle(db, d, result, opts.now, policy));
    });
  } finally {
    transport?.close();
  }
  return report;
}

/**
 * The settings' SMTP URL with the password from the environment (secrets stay out of the
 * database) and deadlines, so a mail server that stops answering cannot hold the job for the
 * ten minutes nodemailer would wait. Keys already in the URL win.
 */
export function transportUrl(smtpUrl: string, password: string | null): string {
  const url = new URL(smtpUrl);
  if (password && url.username && !url.password) url.password = password;
  const deadlines = { connectionTimeout: "10000", greetingTimeout: "10000", socketTimeout: "30000" };
  for (const [key, value] of Object.entries(deadlines)) if (!url.searchParams.has(key)) url.searchParams.set(key, value);
  return url.toString();
}

/** A 5xx reply is the server's final word (no such mailbox, relaying denied); 4xx and no reply at all may pass later. */
function smtpFailure(error: unknown): AttemptResult {
  const e = error as SmtpError;
  const code = typeof e.responseCode === "number" ? e.responseCode : null;
  return { ok: false, permanent: code !== null && code >= 500 && code < 600, error: e.response ?? e.message ?? String(error) };
}

/** The wall clock in `timeZone`: the report's date and hour, and a stamp to print. */
export function localClock(at: Date, timeZone: string): { date: string; hour: number; stamp: string } {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "00";
  const date = `${get("year")}-${get("month")}-${get("day")}`;
  return { date, hour: Number(get("hour")), stamp: `${date} ${get("hour")}:${get("minute")}` };
}
