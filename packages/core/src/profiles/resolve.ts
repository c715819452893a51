import type { SiteSettings } from "../settings/site-settings";
import { type ProfileNodeFacts, type ProfileRule, ruleHolds, ruleWords } from "./match";
import { applyPolicies, type NodePolicy, type ProfilePolicy } from "./policy";

/** A profile as the judge reads it. */
export interface Profile {
  id: string;
  name: string;
  /** The profile a node falls into when no rule of another profile holds. */
  isDefault: boolean;
  /** Profiles are tried in this order; the first whose rule holds wins. */
  position: number;
  rules: readonly ProfileRule[];
  policy: ProfilePolicy;
}

/** A node as profiles see it: what rules read, its profile by hand, its own override. */
export interface ProfiledNode extends ProfileNodeFacts {
  /** Set by staff: wins over every rule. */
  profileIdByHand: string | null;
  override: ProfilePolicy | null;
}

export interface ProfileChoice {
  profile: Profile | null;
  /** How the node got it: "by hand", "by rule: name *-SRV*", "the default". */
  how: string;
}

/** The profile a node is in: by hand, else the first profile (by position) with a rule that holds, else the default. */
export function chooseProfile(node: ProfiledNode, profiles: readonly Profile[]): ProfileChoice {
  const byHand = node.profileIdByHand ? profiles.find((p) => p.id === node.profileIdByHand) : undefined;
  if (byHand) return { profile: byHand, how: "set by hand" };
  const ordered = [...profiles].sort((a, b) => a.position - b.position || a.name.localeCompare(b.name));
  for (const p of ordered) {
    const rule = p.rules.find((r) => ruleHolds(r, node));
    if (rule) return { profile: p, how: `by rule: ${ruleWords(rule)}` };
  }
  const fallback = ordered.find((p) => p.isDefault) ?? null;
  return { profile: fallback, how: fallback ? "the default profile" : "no profile: the site's settings" };
}

/** The rules a node is judged by: the site settings, its profile's policy, its own override. */
export function nodePolicy(
  site: SiteSettings,
  choice: ProfileChoice,
  override: ProfilePolicy | null,
): { policy: NodePolicy; problems: string[] } {
  return applyPolicies(site, [
    { name: choice.profile ? `profile ${choice.profile.name}` : "profile", policy: choice.profile?.policy ?? null },
    { name: "the node's override", policy: override },
  ]);
}
