import { describe, expect, it } from "vitest";
import { heartbeat } from "./ingest";
import { isTimeZone } from "./limits";

const beat = (extra: object) => ({
  node: "PC1",
  at: "2026-03-29T21:00:00Z",
  bootedAt: null,
  clockJumpSeconds: 0,
  serverReachable: true,
  schedulerRunning: true,
  nextScheduled: [],
  spoolBytes: 0,
  lastError: null,
  ...extra,
});

describe("a heartbeat's time zone", () => {
  it("is optional, so older agents stay valid", () => {
    expect(heartbeat.safeParse(beat({})).success).toBe(true);
    expect(heartbeat.safeParse(beat({ timeZone: null })).success).toBe(true);
  });

  it("takes the IANA names Intl knows, aliases and UTC included", () => {
    for (const zone of ["Europe/London", "America/New_York", "UTC", "Etc/UTC", "Europe/Kyiv", "Asia/Kolkata"]) {
      expect(isTimeZone(zone), zone).toBe(true);
      expect(heartbeat.safeParse(beat({ timeZone: zone })).success, zone).toBe(true);
    }
  });

  it("refuses a name that is no zone, an offset, or one too long, by its field", () => {
    for (const zone of ["Mars/Olympus_Mons", "+01:00", "", "Europe/London\n", "x".repeat(65)]) {
      const parsed = heartbeat.safeParse(beat({ timeZone: zone }));
      expect(parsed.success, zone).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(["timeZone"]);
    }
  });
});
