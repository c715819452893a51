import { type ProfileRule, profileOs, profileRule } from "./match";
import type { ProfilePolicy } from "./policy";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** A policy in staff's words, one phrase per setting it changes: for the profiles page and a node's page. */
export function policyWords(policy: ProfilePolicy): string[] {
  const out: string[] = [];
  if (policy.bypass) out.push("bypassed: watched, never alerted");
  if (policy.missesInARow !== undefined) out.push(`repeated misses after ${plural(policy.missesInARow, "night")} in a row`);
  if (policy.missesOfLast) out.push(`or ${policy.missesOfLast.m} of the last ${policy.missesOfLast.k} missed`);
  if (policy.failuresInARow !== undefined) out.push(`repeated failures after ${plural(policy.failuresInARow, "night")} in a row`);
  if (policy.failuresOfLast) out.push(`or ${policy.failuresOfLast.m} of the last ${policy.failuresOfLast.k} failed`);
  if (policy.atRiskHours !== undefined) out.push(`at risk after ${policy.atRiskHours} h without a backup`);
  if (policy.judgeGraceMinutes !== undefined) out.push(`MISSED ${policy.judgeGraceMinutes} min after the window closes`);
  if (policy.skippedCountsAsFailure !== undefined)
    out.push(policy.skippedCountsAsFailure ? "skipped files (rc 4) count as a failure" : "skipped files (rc 4) count as a backup");
  if (policy.staleDays !== undefined) out.push(`stale after ${policy.staleDays} days without contact`);
  if (policy.staleAgainDays !== undefined) out.push(`warned again at ${policy.staleAgainDays} days`);
  if (policy.staleRemovalDays !== undefined) out.push(`deregistration proposed at ${policy.staleRemovalDays} days`);
  if (policy.backupSeverity) out.push(`"not backed up" alerts are ${policy.backupSeverity}`);
  return out;
}

/** A rule as one line staff can read and type: `name=*-SRV* os=linux,unix domain=SERVERS server=TSM1`. */
export function ruleLine(rule: ProfileRule): string {
  const parts: string[] = [];
  if (rule.namePattern) parts.push(`name=${rule.namePattern}`);
  if (rule.os?.length) parts.push(`os=${rule.os.join(",")}`);
  if (rule.domain) parts.push(`domain=${rule.domain}`);
  if (rule.server) parts.push(`server=${rule.server}`);
  return parts.join(" ");
}

/** One typed line back into a rule, or the one-line reason it is not one. */
export function parseRuleLine(line: string): { rule: ProfileRule } | { problem: string } {
  const rule: Record<string, unknown> = {};
  for (const part of line.trim().split(/\s+/)) {
    const [key, ...rest] = part.split("=");
    const value = rest.join("=");
    if (!value) return { problem: `"${part}": write key=value (name, os, domain or server)` };
    switch (key?.toLowerCase()) {
      case "name":
        rule.namePattern = value;
        break;
      case "os": {
        const os = value.toLowerCase().split(",");
        const bad = os.find((o) => !profileOs.safeParse(o).success);
        if (bad) return { problem: `unknown OS "${bad}": use ${profileOs.options.join(", ")}` };
        rule.os = os;
        break;
      }
      case "domain":
        rule.domain = value;
        break;
      case "server":
        rule.server = value;
        break;
      default:
        return { problem: `unknown key "${key}": use name, os, domain or server` };
    }
  }
  const parsed = profileRule.safeParse(rule);
  return parsed.success ? { rule: parsed.data } : { problem: parsed.error.issues[0]?.message ?? "not a rule" };
}
