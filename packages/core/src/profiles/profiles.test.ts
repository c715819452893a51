import { describe, expect, it } from "vitest";
import { defaultSiteSettings } from "../settings/site-settings";
import { builtInProfiles } from "./builtin";
import { profileRule, ruleHolds } from "./match";
import { profilePolicy } from "./policy";
import { chooseProfile, nodePolicy, type Profile, type ProfiledNode } from "./resolve";
import { parseRuleLine, policyWords, ruleLine } from "./words";

const profiles: Profile[] = builtInProfiles.map((p, i) => ({ ...p, id: `p${i}` }));
const byName = (name: string) => profiles.find((p) => p.name === name) as Profile;
const node = (over: Partial<ProfiledNode>): ProfiledNode => ({
  name: "CHEM-PC001",
  os: "win32",
  policyDomain: null,
  server: "TSM1",
  profileIdByHand: null,
  override: null,
  ...over,
});

describe("profile rules", () => {
  it("match on every field given, the name pattern in any case", () => {
    expect(ruleHolds({ namePattern: "*-srv*" }, node({ name: "PHYS-SRV003" }))).toBe(true);
    expect(ruleHolds({ namePattern: "*-SRV*" }, node({ name: "PHYS-PC003" }))).toBe(false);
    expect(ruleHolds({ os: ["mac"] }, node({ os: "darwin" }))).toBe(true);
    expect(ruleHolds({ os: ["windows"] }, node({ os: "WinNT" }))).toBe(true);
    expect(ruleHolds({ os: ["windows"], server: "tsm2" }, node({ os: "WinNT", server: "TSM1" }))).toBe(false);
    expect(ruleHolds({ domain: "laptops" }, node({ policyDomain: "LAPTOPS" }))).toBe(true);
    expect(ruleHolds({ domain: "laptops" }, node({ policyDomain: null }))).toBe(false);
  });

  it("a rule must say something, a policy must be sane", () => {
    expect(profileRule.safeParse({}).success).toBe(false);
    expect(profilePolicy.safeParse({ atRiskHours: 0 }).success).toBe(false);
    expect(profilePolicy.safeParse({ missesOfLast: { m: 5, k: 3 } }).success).toBe(false);
    expect(profilePolicy.safeParse({ nonsense: 1 }).success).toBe(false);
  });
});

describe("choosing a node's profile", () => {
  it("by hand wins over every rule", () => {
    const c = chooseProfile(node({ name: "PHYS-SRV003", profileIdByHand: byName("laptop").id }), profiles);
    expect(c.profile?.name).toBe("laptop");
    expect(c.how).toBe("set by hand");
  });

  it("else the first profile by position whose rule holds, and says which rule", () => {
    const c = chooseProfile(node({ name: "PHYS-SRV003" }), profiles);
    expect(c.profile?.name).toBe("server");
    expect(c.how).toBe("by rule: name *-SRV*");
    expect(chooseProfile(node({ name: "LAW-MAC004", os: "darwin" }), profiles).profile?.name).toBe("laptop");
  });

  it("else the default", () => {
    const c = chooseProfile(node({}), profiles);
    expect(c).toEqual({ profile: byName("workstation"), how: "the default profile" });
  });

  it("a hand-set profile that was deleted falls back to the rules", () => {
    expect(chooseProfile(node({ name: "PHYS-SRV003", profileIdByHand: "gone" }), profiles).profile?.name).toBe("server");
  });
});

describe("a node's policy", () => {
  it("lays the profile, then the node's override, over the site settings", () => {
    const { policy, problems } = nodePolicy(
      defaultSiteSettings,
      { profile: byName("laptop"), how: "" },
      { atRiskHours: 200, bypass: true },
    );
    expect(problems).toEqual([]);
    expect(policy.settings.missesInARow).toBe(5);
    expect(policy.settings.atRiskHours).toBe(200);
    expect(policy.settings.failuresInARow).toBe(defaultSiteSettings.failuresInARow);
    expect(policy.backupSeverity).toBe("info");
    expect(policy.bypass).toBe(true);
  });

  it("a layer that breaks the rules is left out, in one line, and the layers below stand", () => {
    const { policy, problems } = nodePolicy(defaultSiteSettings, { profile: byName("server"), how: "" }, { staleDays: 400 });
    expect(problems).toEqual(["the node's override: the stale ladder must climb: staleDays < staleAgainDays <= staleRemovalDays - 7"]);
    expect(policy.settings.staleDays).toBe(defaultSiteSettings.staleDays);
    expect(policy.settings.missesInARow).toBe(1);
  });

  it("no profile: the site's settings", () => {
    const { policy } = nodePolicy(defaultSiteSettings, { profile: null, how: "" }, null);
    expect(policy).toEqual({ settings: defaultSiteSettings, skippedCountsAsFailure: false, backupSeverity: null, bypass: false });
  });
});

describe("profiles in words", () => {
  it("say what a policy changes", () => {
    expect(policyWords(byName("server").policy)).toEqual([
      "repeated misses after 1 night in a row",
      "repeated failures after 2 nights in a row",
      "at risk after 26 h without a backup",
      "MISSED 10 min after the window closes",
      '"not backed up" alerts are critical',
    ]);
    expect(policyWords({ bypass: true })).toEqual(["bypassed: watched, never alerted"]);
  });

  it("read and write rules as one line each", () => {
    const rule = { namePattern: "*-SRV*", os: ["linux", "unix"] as ("linux" | "unix")[], server: "TSM1" };
    expect(ruleLine(rule)).toBe("name=*-SRV* os=linux,unix server=TSM1");
    expect(parseRuleLine(ruleLine(rule))).toEqual({ rule });
    expect(parseRuleLine("os=beos")).toEqual({ problem: 'unknown OS "beos": use windows, mac, linux, unix' });
    expect(parseRuleLine("colour=blue")).toEqual({ problem: 'unknown key "colour": use name, os, domain or server' });
    expect(parseRuleLine("name")).toEqual({ problem: '"name": write key=value (name, os, domain or server)' });
  });
});
