import { type SiteSettings, siteSettings } from "@fleetwatch/core/settings";
import type { Prisma } from "@fleetwatch/db/client";
import { z } from "zod";
import type { Caller } from "../../caller";
import type { Db } from "../../context";
import { DomainError } from "../../errors";
import { audit } from "./audit";

/** Where alerts go. Secrets (SMTP password, webhook key) live in env, not in the database. */
export const alertChannels = z.object({
  email: z
    .object({
      to: z.array(z.email()).max(50).default([]),
      // The browser's rule (the form's type="email"), so the default sender saves as it is shown.
      from: z.email({ pattern: z.regexes.html5Email }).default("fleetwatch@localhost"),
      smtpUrl: z.string().max(500).nullable().default(null),
      dailyDigestHour: z.number().int().min(0).max(23).default(7),
      /** Each node's owner gets a report of their nodes' bad nights with the digest (services/digest.ts). */
      ownerReports: z.boolean().default(true),
    })
    .default({ to: [], from: "fleetwatch@localhost", smtpUrl: null, dailyDigestHour: 7, ownerReports: true }),
  webhook: z.object({ url: z.url().nullable().default(null) }).default({ url: null }),
});
export type AlertChannels = z.output<typeof alertChannels>;

type SettingsDb = Pick<Db, "setting">;

export async function getSiteSettings(db: SettingsDb): Promise<SiteSettings> {
  const row = await db.setting.findUnique({ where: { key: "site" }, select: { value: true } });
  // Stored settings from an older version keep parsing: missing keys take their defaults.
  const parsed = siteSettings.safeParse(row?.value ?? {});
  return parsed.success ? parsed.data : siteSettings.parse({});
}

export async function getAlertChannels(db: SettingsDb): Promise<AlertChannels> {
  const row = await db.setting.findUnique({ where: { key: "channels" }, select: { value: true } });
  const parsed = alertChannels.safeParse(row?.value ?? {});
  return parsed.success ? parsed.data : alertChannels.parse({});
}

export async function updateSettings(db: Db, caller: Caller, args: { site?: Record<string, unknown>; channels?: Record<string, unknown> }) {
  return db.$transaction(async (tx) => {
    const result: { site: SiteSettings; channels: AlertChannels } = {
      site: await getSiteSettings(tx),
      channels: await getAlertChannels(tx),
    };
    const before = { ...result };
    if (args.site) {
      const next = siteSettings.safeParse({ ...result.site, ...args.site });
      if (!next.success) throw new DomainError("BAD_REQUEST", oneLine(next.error));
      await save(tx, "site", next.data);
      result.site = next.data;
    }
    if (args.channels) {
      const next = alertChannels.safeParse({ ...result.channels, ...args.channels });
      if (!next.success) throw new DomainError("BAD_REQUEST", oneLine(next.error));
      await save(tx, "channels", next.data);
      result.channels = next.data;
    }
    // Before and after, of the parts changed only (a secret such as an SMTP password is never shown).
    const changed = (Object.keys(args) as (keyof typeof args)[]).filter((k) => args[k] !== undefined);
    const pick = (all: typeof result) => Object.fromEntries(changed.map((k) => [k, redact(all[k])]));
    await audit(tx, caller, {
      action: "settings.update",
      targetType: "settings",
      targetId: null,
      detail: { ...redact(args), before: pick(before), after: pick(result) },
    });
    return result;
  });
}

async function save(db: SettingsDb, key: string, value: unknown) {
  const json = value as Prisma.InputJsonObject;
  await db.setting.upsert({ where: { key }, create: { key, value: json }, update: { value: json } });
}

function oneLine(error: z.ZodError): string {
  const first = error.issues[0];
  return first ? `${first.path.join(".") || "settings"}: ${first.message}` : "invalid settings";
}

/** A settings value for the audit log: an SMTP URL's password is replaced, whatever else is kept. */
function redact<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (key, v) => (key === "smtpUrl" && typeof v === "string" ? v.replace(/\/\/([^:/@]*):[^@/]*@/, "//$1:***@") : v)),
  ) as T;
}
