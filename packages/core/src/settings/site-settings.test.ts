import { describe, expect, it } from "vitest";
import { defaultSiteSettings, siteSettings } from "./site-settings";

describe("siteSettings", () => {
  it("gives every threshold its domain default when nothing is set", () => {
    expect(siteSettings.parse({})).toEqual({
      passwordExpiryDays: 90,
      passwordWarningDays: 14,
      missesInARow: 3,
      missesOfLast: { m: 4, k: 7 },
      failuresInARow: 3,
      failuresOfLast: { m: 4, k: 7 },
      atRiskHours: 24,
      staleDays: 28,
      staleAgainDays: 70,
      staleRemovalDays: 84,
      heartbeatMinutes: 5,
      agentSilentMinutes: 30,
      severedAfterSilentMinutes: 30,
      judgeGraceMinutes: 10,
      lateStartHorizonHours: 24,
    });
    expect(defaultSiteSettings.passwordExpiryDays).toBe(90);
  });

  it("keeps a site's overrides and defaults the rest (the seed's site: a year)", () => {
    const s = siteSettings.parse({ passwordExpiryDays: 365, missesOfLast: { m: 2, k: 5 } });
    expect(s.passwordExpiryDays).toBe(365);
    expect(s.missesOfLast).toEqual({ m: 2, k: 5 });
    expect(s.failuresOfLast).toEqual({ m: 4, k: 7 });
  });

  it("accepts 0 as passwords that never expire", () => {
    expect(siteSettings.parse({ passwordExpiryDays: 0 }).passwordExpiryDays).toBe(0);
  });

  it.each([
    [{ missesOfLast: { m: 8, k: 7 } }, "missesOfLast"],
    [{ passwordExpiryDays: 10, passwordWarningDays: 14 }, "passwordWarningDays"],
    [{ heartbeatMinutes: 30, agentSilentMinutes: 30 }, "agentSilentMinutes"],
    [{ heartbeatMinutes: 40, agentSilentMinutes: 60, severedAfterSilentMinutes: 35 }, "severedAfterSilentMinutes"],
    [{ atRiskHours: 0 }, "atRiskHours"],
    [{ staleDays: 1.5 }, "staleDays"],
  ])("refuses %j, naming %s", (input, field) => {
    const result = siteSettings.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join("."))).toContainEqual(expect.stringContaining(field));
  });
});
