import { type ProfilePolicy, profilePolicy } from "@fleetwatch/core/profiles";

/**
 * A policy from a form's fields, where an empty field means "as below" (the profile, the site).
 * Returns the one-line problem when a field is no number or the whole is no policy.
 */
export function policyFromForm(d: FormData): { policy: ProfilePolicy } | { problem: string } {
  const raw: Record<string, unknown> = {};
  const text = (k: string) => String(d.get(k) ?? "").trim();
  for (const key of [
    "atRiskHours",
    "judgeGraceMinutes",
    "missesInARow",
    "failuresInARow",
    "staleDays",
    "staleAgainDays",
    "staleRemovalDays",
  ]) {
    if (text(key)) raw[key] = Number(text(key));
  }
  for (const key of ["missesOfLast", "failuresOfLast"] as const) {
    const m = text(`${key}.m`);
    const k = text(`${key}.k`);
    if (m || k) {
      if (!m || !k)
        return { problem: `give both numbers of "${key === "missesOfLast" ? "missed" : "failed"} M of the last K", or neither` };
      raw[key] = { m: Number(m), k: Number(k) };
    }
  }
  const yesNo = (k: string) => (text(k) === "yes" ? true : text(k) === "no" ? false : undefined);
  if (yesNo("skippedCountsAsFailure") !== undefined) raw.skippedCountsAsFailure = yesNo("skippedCountsAsFailure");
  if (yesNo("bypass") !== undefined) raw.bypass = yesNo("bypass");
  if (text("backupSeverity")) raw.backupSeverity = text("backupSeverity");
  const parsed = profilePolicy.safeParse(raw);
  if (parsed.success) return { policy: parsed.data };
  const issue = parsed.error.issues[0];
  return { problem: `${issue?.path.join(".") || "policy"}: ${issue?.message ?? "not valid"}` };
}
