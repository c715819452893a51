import picomatch from "picomatch";
import { z } from "zod";
import { osFamily } from "../diagnosis/os";

/** The operating systems a profile rule can name (diagnosis/os families, Windows as one). */
export const profileOs = z.enum(["windows", "mac", "linux", "unix"]);
export type ProfileOs = z.infer<typeof profileOs>;

/**
 * One rule that puts a node in a profile: every field given must hold (OS, node name pattern
 * such as `*-SRV*`, TSM policy domain, TSM server). A profile holds when any of its rules does.
 */
export const profileRule = z
  .strictObject({
    os: z.array(profileOs).max(4).optional(),
    namePattern: z.string().trim().min(1).max(120).optional(),
    domain: z.string().trim().min(1).max(64).optional(),
    server: z.string().trim().min(1).max(128).optional(),
  })
  .refine((r) => r.os?.length || r.namePattern || r.domain || r.server, {
    message: "a rule needs at least one of os, name pattern, domain, server",
  });
export type ProfileRule = z.infer<typeof profileRule>;

/** What the rules read of a node. */
export interface ProfileNodeFacts {
  name: string;
  os: string | null;
  policyDomain: string | null;
  server: string;
}

const same = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: "accent" }) === 0;

export function ruleHolds(rule: ProfileRule, node: ProfileNodeFacts): boolean {
  if (rule.os?.length) {
    const family = osFamily(node.os);
    const os = family === "windows-xp" ? "windows" : family;
    if (!rule.os.includes(os as ProfileOs)) return false;
  }
  // Node names are upper case in TSM; a pattern matches whatever case staff typed it in.
  if (rule.namePattern && !picomatch.isMatch(node.name, rule.namePattern, { nocase: true, dot: true })) return false;
  if (rule.domain && !(node.policyDomain && same(rule.domain, node.policyDomain))) return false;
  if (rule.server && !same(rule.server, node.server)) return false;
  return true;
}

/** The rule in words, for the node page ("by rule: name *-SRV*"). */
export function ruleWords(rule: ProfileRule): string {
  const parts: string[] = [];
  if (rule.os?.length) parts.push(`OS ${rule.os.join(" or ")}`);
  if (rule.namePattern) parts.push(`name ${rule.namePattern}`);
  if (rule.domain) parts.push(`domain ${rule.domain}`);
  if (rule.server) parts.push(`server ${rule.server}`);
  return parts.join(", ");
}
