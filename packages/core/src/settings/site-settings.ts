import { z } from "zod";

const count = (fallback: number) => z.number().int().positive().default(fallback);

/** "M of the last K windows": M must fit in K. */
const mOfK = (m: number, k: number) =>
  z
    .object({ m: z.number().int().positive(), k: z.number().int().positive() })
    .refine((v) => v.m <= v.k, { message: "m must not exceed k" })
    .default({ m, k });

/**
 * Every threshold the rules use, with the defaults of shared/domain.md. A site overrides what it
 * wants (the seed's site: passwordExpiryDays 365); a missing key takes its default, so settings
 * stored by an older version keep parsing.
 */
export const siteSettings = z
  .object({
    /** Server PASSEXP: IBM's default is 90 days; 0 means passwords never expire (as PASSEXP=0). */
    passwordExpiryDays: z.number().int().min(0).max(9999).default(90),
    /** Warn this many days before the password expires. */
    passwordWarningDays: z.number().int().min(0).max(9999).default(14),
    missesInARow: count(3),
    missesOfLast: mOfK(4, 7),
    failuresInARow: count(3),
    failuresOfLast: mOfK(4, 7),
    /** No completed backup for this long: at risk (IBM's STATUSATRISKINTERVAL default, 24 h). */
    atRiskHours: count(24),
    /** No contact of any kind for this long: stale (the seed's site warns at 4 weeks). */
    staleDays: count(28),
    /** The stale ladder's second step: warn again, naming the day deregistration will be proposed (the seed's site: 10 weeks). */
    staleAgainDays: count(70),
    /** The day deregistration is proposed; a final warning comes 7 days before. */
    staleRemovalDays: count(84),
    /** How often the agent sends a heartbeat. */
    heartbeatMinutes: count(5),
    /** No heartbeat for this long: agent-silent. Six missed beats, so a reboot does not raise it. */
    agentSilentMinutes: count(30),
    /** An in-progress event whose agent has been silent this long past its window is severed. */
    severedAfterSilentMinutes: count(30),
    /**
     * A window is judged MISSED only this long after it closed: an agent that was busy shipping
     * (or just woke) gets the chance to report a run that began in time.
     */
    judgeGraceMinutes: z.number().int().min(0).default(10),
    /**
     * ANS1814E/ANS1815E (window elapsed) up to this long after a window closed still explain it:
     * the machine may come back the next morning and only then find the window gone.
     */
    lateStartHorizonHours: count(24),
  })
  .refine((s) => s.passwordExpiryDays === 0 || s.passwordWarningDays < s.passwordExpiryDays, {
    message: "passwordWarningDays must be shorter than passwordExpiryDays",
    path: ["passwordWarningDays"],
  })
  .refine((s) => s.staleDays < s.staleAgainDays && s.staleAgainDays <= s.staleRemovalDays - 7, {
    message: "the stale ladder must climb: staleDays < staleAgainDays <= staleRemovalDays - 7",
    path: ["staleAgainDays"],
  })
  .refine((s) => s.agentSilentMinutes > s.heartbeatMinutes, {
    message: "agentSilentMinutes must be longer than one heartbeat interval",
    path: ["agentSilentMinutes"],
  })
  .refine((s) => s.severedAfterSilentMinutes > s.heartbeatMinutes, {
    message: "severedAfterSilentMinutes must be longer than one heartbeat interval",
    path: ["severedAfterSilentMinutes"],
  });

export type SiteSettings = z.output<typeof siteSettings>;
export type SiteSettingsInput = z.input<typeof siteSettings>;

/** The defaults of shared/domain.md. */
export const defaultSiteSettings: SiteSettings = Object.freeze(siteSettings.parse({}));
