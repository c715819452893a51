/// <reference path="./nodemailer.d.ts" />
import type { Diagnosis } from "@fleetwatch/core/diagnosis";
import nodemailer, { type SmtpError } from "nodemailer";
import type { Db } from "../context";
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
import { fromOutcome } from "./ingest";
import { getAlertChannels } from "./settings";

/**
 * The daily e-mail digest. Each day's digest is recorded as an Alert `digest:<date>` (kind
 * `digest`, cleared at once so it never sits among open alerts) with one `email` AlertDelivery
 * per recipient: the unique dedupe key makes it once a day across restarts and replicas, and the
 * deliveries are retried and shown like any other. The HTML is kept in Setting `digest:<date>`
 * (the Alert has only a text body) so a retry hours later sends the same mail.
 */

const BAD_OUTCOMES = ["missed", "failed", "severed", "aborted"] as const;

export interface DigestOptions {
  now: Date;
  /** The time zone of dailyDigestHour and of the report's date; the process's own when not given. */
  timeZone?: string;
  /** More nodes than this are counted, not listed: a mail nobody can read helps nobody. */
  maxNodes?: number;
}

export interface QueuedDigest {
  date: string;
  /** Deliveries queued: one per recipient, none when there was nothing to report. */
  recipients: number;
  empty: boolean;
}

/** Record today's digest and queue its mails, if e-mail is set up, the hour has come and it is not done yet. */
export async function queueDailyDigest(db: Db, opts: DigestOptions): Promise<QueuedDigest | null> {
  const { email } = await getAlertChannels(db);
  const recipients = [...new Set(email.to.map((a) => a.toLowerCase()))];
  if (!email.smtpUrl || recipients.length === 0) return null;
  const timeZone = opts.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const clock = localClock(opts.now, timeZone);
  // At or after the hour, not only in it: a server that was down at 07:00 still sends at 07:40.
  if (clock.hour < email.dailyDigestHour) return null;
  const dedupeKey = `digest:${clock.date}`;
  if (await db.alert.findUnique({ where: { dedupeKey }, select: { id: true } })) return null;

  const last = await db.alert.findFirst({ where: { kind: "digest" }, orderBy: { raisedAt: "desc" }, select: { raisedAt: true } });
  // The first digest ever covers a day: older history was never news to anyone by e-mail.
  const since = last?.raisedAt ?? new Date(opts.now.getTime() - 86_400_000);
  const input = await collectDigest(db, { since, date: clock.date, timeZone, maxNodes: opts.maxNodes ?? 200 });
  const digest = renderDigest(input);

  return db.$transaction(async (tx) => {
    // Another replica may be doing the same: whoever inserts the key sends, the other stands down.
    const { count } = await tx.alert.createMany({
      skipDuplicates: true,
      data: [
        {
          dedupeKey,
          nodeId: null,
          kind: "digest",
          severity: "info",
          title: `${DIGEST_SUBJECT}, ${clock.date}`,
          body: digest.text,
          state: "resolved",
          raisedAt: opts.now,
          resolvedAt: opts.now,
        },
      ],
    });
    if (count === 0) return null;
    if (digest.empty) return { date: clock.date, recipients: 0, empty: true };
    const { id } = await tx.alert.findUniqueOrThrow({ where: { dedupeKey }, select: { id: true } });
    const event = await tx.alertEvent.create({
      data: { alertId: id, at: opts.now, kind: "opened", detail: "the daily digest" },
      select: { id: true },
    });
    await tx.alertDelivery.createMany({
      skipDuplicates: true,
      data: recipients.map((target) => ({ alertId: id, eventId: event.id, channel: "email", target, nextAttemptAt: opts.now })),
    });
    await tx.setting.upsert({
      where: { key: dedupeKey },
      create: { key: dedupeKey, value: { html: digest.html } },
      update: { value: { html: digest.html } },
    });
    // Keys sort by date, so a string comparison finds the ones older than a month.
    await tx.setting.deleteMany({
      where: { key: { startsWith: "digest:", lt: `digest:${localClock(new Date(opts.now.getTime() - 30 * 86_400_000), timeZone).date}` } },
    });
    return { date: clock.date, recipients: recipients.length, empty: false };
  });
}

/** Every node's bad nights judged or reported since `since`, and every open flag, as the digest shows them. */
export async function collectDigest(db: Db, args: { since: Date; date: string; timeZone: string; maxNodes: number }): Promise<DigestInput> {
  const active = { deregisteredAt: null };
  const nodeSelect = { select: { id: true, name: true, server: true, contact: true } };
  const [windows, flags] = await Promise.all([
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
  ]);

  const nodes = new Map<string, DigestNode>();
  const nodeOf = (n: { id: string; name: string; server: string; contact: string | null }) => {
    let entry = nodes.get(n.id);
    if (!entry) {
      entry = { name: n.name, server: n.server, contact: n.contact, nights: [], flags: [] };
      nodes.set(n.id, entry);
    }
    return entry;
  };
  for (const w of windows) {
    const diagnosis = w.diagnosis as Diagnosis | null;
    nodeOf(w.node).nights.push({
      outcome: fromOutcome(w.outcome) as DigestOutcome,
      schedule: w.schedule,
      localStart: w.localStart,
      cause: w.cause ?? diagnosis?.cause ?? null,
      evidence: diagnosis?.evidence[0]?.text ?? null,
      remedy: diagnosis?.remedy ?? [],
    });
  }
  for (const f of flags) {
    nodeOf(f.node).flags.push({ kind: f.kind.replaceAll("_", "-"), since: localClock(f.raisedAt, args.timeZone).date, detail: f.detail });
  }

  // Failed nights first (that is what the report is for), then nodes with only standing flags.
  const ordered = [...nodes.values()].sort(
    (a, b) => Number(b.nights.length > 0) - Number(a.nights.length > 0) || a.name.localeCompare(b.name),
  );
  return {
    date: args.date,
    since: localClock(args.since, args.timeZone).stamp,
    nodes: ordered.slice(0, args.maxNodes),
    omittedNodes: Math.max(0, ordered.length - args.maxNodes),
  };
}

/** Send every due digest e-mail over SMTP, one mail per recipient, retried like webhooks. */
export async function deliverDigestEmails(
  db: Db,
  opts: { now: Date; policy?: RetryPolicy; limit?: number; smtpPassword?: string | null },
): Promise<DeliveryReport> {
  const report = emptyReport();
  const policy = opts.policy ?? defaultRetryPolicy;
  const claimed = await claimDue(db, { channel: "email", now: opts.now, limit: opts.limit ?? 100, policy });
  if (claimed.length === 0) return report;
  const { email } = await getAlertChannels(db);
  const alerts = await db.alert.findMany({
    where: { id: { in: [...new Set(claimed.map((d) => d.alertId))] } },
    select: { id: true, dedupeKey: true, body: true },
  });
  const stored = await db.setting.findMany({ where: { key: { in: alerts.map((a) => a.dedupeKey) } }, select: { key: true, value: true } });
  const htmlOf = new Map(stored.map((s) => [s.key, (s.value as { html?: string } | null)?.html]));
  const alertOf = new Map(alerts.map((a) => [a.id, a]));
  const password = opts.smtpPassword !== undefined ? opts.smtpPassword : (process.env.FLEETWATCH_SMTP_PASSWORD ?? null);
  const transport = email.smtpUrl ? nodemailer.createTransport(transportUrl(email.smtpUrl, password)) : null;
  try {
    // Two at a time: a mail server throttles a burst from one client, and a digest is a few mails.
    await eachLimited(claimed, 2, async (d) => {
      const alert = alertOf.get(d.alertId);
      let result: AttemptResult;
      if (!transport) result = { ok: false, permanent: true, error: "not sent: e-mail has no SMTP URL configured" };
      else if (!alert) result = { ok: false, permanent: true, error: "the digest no longer exists" };
      else {
        const html = htmlOf.get(alert.dedupeKey);
        result = await transport
          .sendMail({ from: email.from, to: d.target, subject: DIGEST_SUBJECT, text: alert.body, ...(html ? { html } : {}) })
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
