import { describe, expect, it } from "vitest";
import { localToUtc, utcToLocal } from "./time";

describe("local time <-> instant", () => {
  it("subtracts the offset east of UTC", () => {
    expect(localToUtc("2008-01-30T00:26:04", 60).toISOString()).toBe("2008-01-29T23:26:04.000Z");
  });
  it("adds it west of UTC and round-trips", () => {
    const at = localToUtc("2022-06-09T20:00:00", -300);
    expect(at.toISOString()).toBe("2022-06-10T01:00:00.000Z");
    expect(utcToLocal(at, -300)).toBe("2022-06-09T20:00:00");
  });
  it("refuses what is not a local time", () => {
    for (const bad of [
      "30-01-2008 00:26:04",
      "2008-01-30 00:26:04",
      "2008-01-30T00:26:0x",
      "2008-01-30T00:26:04Z",
      "+008-01-30T00:26:04",
      "",
    ]) {
      expect(() => localToUtc(bad, 0), bad).toThrow(/not a local time/);
    }
  });
});
