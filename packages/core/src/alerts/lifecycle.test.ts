import { describe, expect, it } from "vitest";
import type { ActiveCondition } from "./evaluate";
import { type KnownAlert, planAlerts, REOPEN_HORIZON_MS } from "./lifecycle";

const now = new Date("2026-12-07T06:00:00Z");
const since = new Date("2026-12-02T21:00:00Z");
const active = (over: Partial<ActiveCondition> = {}): ActiveCondition => ({
  condition: "backup",
  severity: "warning",
  since,
  occurrences: 1,
  title: "PC: missed 1 night since 2 Dec",
  body: "b",
  ...over,
});
const known = (over: Partial<KnownAlert> = {}): KnownAlert => ({
  id: "a1",
  condition: "backup",
  state: "open",
  severity: "warning",
  since,
  occurrences: 1,
  title: "PC: missed 1 night since 2 Dec",
  body: "b",
  resolvedAt: null,
  resolvedBy: null,
  ...over,
});

describe("planAlerts", () => {
  it("opens one alert per new condition and leaves an unchanged one alone", () => {
    expect(planAlerts([], [active()], now)).toEqual([{ kind: "open", condition: active() }]);
    expect(planAlerts([known()], [active()], now)).toEqual([]);
  });

  it("a condition that grows updates its alert: grew, and escalated when worse", () => {
    const c = active({ occurrences: 3, severity: "critical", title: "PC: missed 3 nights" });
    expect(planAlerts([known({ state: "acknowledged" })], [c], now)).toEqual([
      { kind: "update", id: "a1", condition: c, events: ["grew", "escalated"] },
    ]);
  });

  it("resolves what cleared, with the reason given", () => {
    expect(planAlerts([known()], [], now, { backup: "a completed backup on 6 Dec" })).toEqual([
      { kind: "resolve", id: "a1", reason: "a completed backup on 6 Dec" },
    ]);
    expect(planAlerts([known({ state: "resolved", resolvedAt: now })], [], now)).toEqual([]);
  });

  it("re-opens a condition that returns within the horizon, and opens a new alert after it", () => {
    const back = active({ since: new Date("2026-12-06T21:00:00Z") });
    const recent = known({ state: "resolved", resolvedAt: new Date(now.getTime() - 86_400_000) });
    expect(planAlerts([recent], [back], now)).toEqual([{ kind: "update", id: "a1", condition: back, events: ["reopened"] }]);
    const old = known({ state: "resolved", resolvedAt: new Date(now.getTime() - REOPEN_HORIZON_MS - 1) });
    expect(planAlerts([old], [back], now)).toEqual([{ kind: "open", condition: back }]);
  });

  it("resolved by hand: stays resolved while the same run goes on, re-opens on a new bad night", () => {
    const byHand = known({ state: "resolved", resolvedAt: new Date("2026-12-03T09:00:00Z"), resolvedBy: "ann@example.org" });
    expect(planAlerts([byHand], [active()], now)).toEqual([]);
    const another = active({ occurrences: 2 });
    expect(planAlerts([byHand], [another], now)).toEqual([{ kind: "update", id: "a1", condition: another, events: ["reopened"] }]);
  });
});
