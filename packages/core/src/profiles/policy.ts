import { z } from "zod";
import { alertSeverity } from "../alerts/conditions";
import { type SiteSettings, siteSettings } from "../settings/site-settings";

const count = z.number().int().positive();
const mOfK = z
  .object({ m: z.number().int().positive(), k: z.number().int().positive() })
  .refine((v) => v.m <= v.k, { message: "m must not exceed k" });

/**
 * What a profile (or one node's override) may change: the rules that differ between a server, a
 * workstation and a laptop. Every key is optional: an unset key falls through to the layer below
 * (node override -> profile -> site settings).
 */
export const profilePolicy = z.strictObject({
  /** No completed backup for this long: at risk (the Operations Center's at-risk interval). */
  atRiskHours: count.optional(),
  /** How long after its window closes a window with no run waits before it is MISSED (the grace). */
  judgeGraceMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .optional(),
  missesInARow: count.optional(),
  missesOfLast: mOfK.optional(),
  failuresInARow: count.optional(),
  failuresOfLast: mOfK.optional(),
  /** A run that skipped files (rc 4) counts as a failure, as the Operations Center's SET STATUSSKIPASFAILURE YES. */
  skippedCountsAsFailure: z.boolean().optional(),
  staleDays: count.optional(),
  staleAgainDays: count.optional(),
  staleRemovalDays: count.optional(),
  /** The severity of "not backed up" alerts; unset: by the rules (info for a laptop that was off, warning, critical for a manual backup). */
  backupSeverity: alertSeverity.optional(),
  /** Watched, never alerted: as SET NODEATRISKINTERVAL ... TYPE=BYPASSED. */
  bypass: z.boolean().optional(),
});
export type ProfilePolicy = z.infer<typeof profilePolicy>;

/** The rules one node is judged by: the site's settings with its profile and its own override on top. */
export interface NodePolicy {
  settings: SiteSettings;
  skippedCountsAsFailure: boolean;
  backupSeverity: z.infer<typeof alertSeverity> | null;
  bypass: boolean;
}

export const sitePolicy = (settings: SiteSettings): NodePolicy => ({
  settings,
  skippedCountsAsFailure: false,
  backupSeverity: null,
  bypass: false,
});

/**
 * Lay policies over the site settings, lowest first. The result must still be a valid set of
 * settings (the stale ladder must climb, m of k must fit): the one-line problem names the layer
 * that broke it, and the layers below it stand.
 */
export function applyPolicies(
  site: SiteSettings,
  layers: readonly { name: string; policy: ProfilePolicy | null }[],
): { policy: NodePolicy; problems: string[] } {
  let policy = sitePolicy(site);
  const problems: string[] = [];
  for (const layer of layers) {
    if (!layer.policy) continue;
    const { skippedCountsAsFailure, backupSeverity, bypass, ...rules } = layer.policy;
    const parsed = siteSettings.safeParse({ ...policy.settings, ...rules });
    if (!parsed.success) {
      problems.push(`${layer.name}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
      continue;
    }
    policy = {
      settings: parsed.data,
      skippedCountsAsFailure: skippedCountsAsFailure ?? policy.skippedCountsAsFailure,
      backupSeverity: backupSeverity ?? policy.backupSeverity,
      bypass: bypass ?? policy.bypass,
    };
  }
  return { policy, problems };
}

/** The one-line problem with laying `policy` over `below`, or null: what a form says before saving. */
export function policyProblem(site: SiteSettings, layers: readonly { name: string; policy: ProfilePolicy | null }[]): string | null {
  return applyPolicies(site, layers).problems[0] ?? null;
}
