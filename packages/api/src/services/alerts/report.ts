import { randomUUID } from "node:crypto";
import { renderContactReport } from "@fleetwatch/core/report";
import type { Caller } from "../../caller";
import type { Db } from "../../context";
import { DomainError } from "../../errors";
import { getAlertChannels } from "../admin/settings";
import { defaultRetryPolicy } from "./alert-delivery-queue";
import { collectMorningReport, deliverDigestEmails, localClock, type QueuedMail, queueMails } from "./digest";
import { renderDigest } from "./digest-render";

/**
 * The morning report page: today's digest and owners' reports exactly as the job sends them (the
 * same collection and renderers), or as they were sent if today's went out already, with how
 * each delivery went; and a test that sends the digest to whoever asks, by the real mail path.
 */

export type ReportState = "sent" | "due" | "waiting" | "not-configured";

interface Delivery {
  target: string;
  status: string;
  lastError: string | null;
  deliveredAt: Date | null;
}

export interface OwnerReportView {
  address: string;
  name: string | null;
  nodes: { id: string | null; name: string }[];
  nights: number;
  subject: string;
  text: string;
  delivery: Delivery | null;
}

const processZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
const deliverySelect = { target: true, status: true, lastError: true, deliveredAt: true } as const;

export async function todaysReport(db: Db, args: { now: Date; timeZone?: string }) {
  const { email } = await getAlertChannels(db);
  const timeZone = args.timeZone ?? processZone();
  const clock = localClock(args.now, timeZone);
  const team = [...new Set(email.to.map((a) => a.toLowerCase()))];
  const base = { date: clock.date, timeZone, hour: email.dailyDigestHour, team, ownerReportsOn: email.ownerReports };

  const sent = await db.alert.findUnique({
    where: { dedupeKey: `digest:${clock.date}` },
    select: { raisedAt: true, title: true, body: true, deliveries: { select: deliverySelect, orderBy: { target: "asc" } } },
  });
  if (sent) {
    const prefix = `owner-report:${clock.date}:`;
    const [stored, owners] = await Promise.all([
      db.setting.findMany({ where: { key: { startsWith: `digest:${clock.date}` } }, select: { value: true } }),
      db.alert.findMany({
        where: { dedupeKey: { startsWith: prefix } },
        orderBy: { dedupeKey: "asc" },
        select: { dedupeKey: true, title: true, body: true, deliveries: { select: deliverySelect, take: 1 } },
      }),
    ]);
    const ownerMeta = await db.setting.findMany({ where: { key: { startsWith: prefix } }, select: { key: true, value: true } });
    const metaOf = new Map(ownerMeta.map((s) => [s.key, s.value as { name?: string | null; nodes?: string[]; nights?: number }]));
    const meta = (stored[0]?.value ?? {}) as {
      html?: string;
      subject?: string;
      checked?: number;
      allFine?: boolean;
      unaddressed?: string[];
    };
    return {
      ...base,
      state: "sent" as ReportState,
      sentAt: sent.raisedAt,
      digest: { subject: meta.subject ?? sent.title, text: sent.body, html: meta.html ?? null, allFine: meta.allFine ?? null },
      deliveries: sent.deliveries,
      owners: owners.map((o): OwnerReportView => {
        const m = metaOf.get(o.dedupeKey) ?? {};
        return {
          address: o.dedupeKey.slice(prefix.length),
          name: m.name ?? null,
          nodes: (m.nodes ?? []).map((name) => ({ id: null, name })),
          nights: m.nights ?? 0,
          subject: o.title,
          text: o.body,
          delivery: o.deliveries[0] ?? null,
        };
      }),
      unaddressed: (meta.unaddressed ?? []).map((name) => ({ id: null as string | null, name, server: "" })),
    };
  }

  const report = await collectMorningReport(db, { now: args.now, date: clock.date, timeZone, maxNodes: 200 });
  const digest = renderDigest(report.digest);
  const state: ReportState = !email.smtpUrl ? "not-configured" : clock.hour < email.dailyDigestHour ? "waiting" : "due";
  return {
    ...base,
    state,
    sentAt: null,
    digest: { subject: digest.subject, text: digest.text, html: digest.html, allFine: digest.allFine },
    deliveries: [] as Delivery[],
    owners: (email.ownerReports ? report.owners.reports : []).map((r): OwnerReportView => {
      const rendered = renderContactReport(r, { date: clock.date, since: report.digest.since });
      return {
        address: r.address,
        name: r.name,
        nodes: r.nodes.map((n) => ({ id: n.id ?? null, name: n.name })),
        nights: r.nodes.reduce((k, n) => k + n.nights.length, 0),
        subject: rendered.subject,
        text: rendered.text,
        delivery: null,
      };
    }),
    unaddressed: report.owners.unaddressed.map((u) => ({ id: u.id ?? null, name: u.name, server: u.server })),
  };
}

export interface TestResult {
  sent: boolean;
  to: string;
  /** One line: what happened. */
  message: string;
}

/**
 * Send today's digest, as the page shows it, to the signed-in user's own address through the
 * real path (a recorded delivery, the configured SMTP server), and wait for the answer. One
 * attempt: a test that fails says why now, rather than retrying for hours.
 */
export async function sendTestDigest(
  db: Db,
  caller: Caller,
  args: { now: Date; timeZone?: string; smtpPassword: string | null },
): Promise<TestResult> {
  if (caller.kind !== "user") throw new DomainError("FORBIDDEN", "a test goes to the signed-in user's own address: sign in as a person");
  const to = caller.email.toLowerCase();
  const { email } = await getAlertChannels(db);
  if (!email.smtpUrl) {
    return { sent: false, to, message: "Not sent: no mail server is configured (Settings > Alert channels > SMTP server)." };
  }
  const today = await todaysReport(db, args);
  const mail: QueuedMail = {
    dedupeKey: `digest-test:${randomUUID()}`,
    kind: "digest-test",
    subject: `[Test] ${today.digest.subject}`,
    text: today.digest.text,
    html: today.digest.html ?? "",
    targets: [to],
  };
  const deliveryId = await db.$transaction(async (tx) => {
    await tx.alert.create({
      data: {
        dedupeKey: mail.dedupeKey,
        kind: mail.kind,
        severity: "info",
        title: mail.subject,
        body: mail.text,
        state: "resolved",
        raisedAt: args.now,
        resolvedAt: args.now,
      },
    });
    await queueMails(tx, [mail], args.now, new Date(args.now.getTime() + 86_400_000));
    const row = await tx.alertDelivery.findFirstOrThrow({ where: { alert: { dedupeKey: mail.dedupeKey } }, select: { id: true } });
    return row.id;
  });
  await deliverDigestEmails(db, {
    now: args.now,
    only: [deliveryId],
    policy: { ...defaultRetryPolicy, maxAttempts: 1 },
    smtpPassword: args.smtpPassword,
  });
  const row = await db.alertDelivery.findUniqueOrThrow({ where: { id: deliveryId }, select: { status: true, lastError: true } });
  if (row.status === "delivered") return { sent: true, to, message: `Sent to ${to}: the mail server accepted it.` };
  const why = (row.lastError ?? "the mail server did not answer").replace(/^gave up after \d+ attempts: /, "");
  return { sent: false, to, message: `Not sent: ${why}` };
}
