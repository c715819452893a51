import { describe, expect, it } from "vitest";
import { agentSilence, type ContactFacts, lastContact, staleLadder, staleness } from "./stale";

const d = (iso: string) => new Date(iso);
const none: ContactFacts = { lastHeartbeatAt: null, lastAccessAt: null, lastEventAt: null, knownSince: null };
const now = d("2026-03-01T12:00:00Z");

describe("lastContact", () => {
  it("takes the latest of heartbeat, server access and event", () => {
    expect(
      lastContact({
        ...none,
        lastHeartbeatAt: d("2026-01-01T00:00:00Z"),
        lastAccessAt: d("2026-02-01T00:00:00Z"),
        lastEventAt: d("2026-01-15T00:00:00Z"),
      }),
    ).toEqual(d("2026-02-01T00:00:00Z"));
    expect(lastContact(none)).toBeNull();
  });
});

describe("staleness", () => {
  it("is stale after the stale period with no contact of any kind, from the moment it ran out", () => {
    const s = staleness({ ...none, lastEventAt: d("2026-01-30T12:00:00Z"), knownSince: d("2020-01-01T00:00:00Z") }, { staleDays: 28 }, now);
    expect(s).toEqual({ stale: true, lastContactAt: d("2026-01-30T12:00:00Z"), staleSince: d("2026-02-27T12:00:00Z"), daysSilent: 30 });
  });

  it("is not stale a moment before the period runs out", () => {
    const s = staleness({ ...none, lastAccessAt: d("2026-02-01T12:00:01Z") }, { staleDays: 28 }, now);
    expect(s.stale).toBe(false);
    expect(s.daysSilent).toBe(27);
  });

  it("counts any kind of contact: a server access alone keeps the node fresh", () => {
    const s = staleness(
      { ...none, lastHeartbeatAt: d("2025-06-01T00:00:00Z"), lastAccessAt: d("2026-02-28T00:00:00Z") },
      { staleDays: 28 },
      now,
    );
    expect(s.stale).toBe(false);
  });

  it("counts a never-used registration from when it became known", () => {
    expect(staleness({ ...none, knownSince: d("2026-01-01T00:00:00Z") }, { staleDays: 28 }, now)).toMatchObject({
      stale: true,
      lastContactAt: null,
      daysSilent: 59,
    });
  });

  it("cannot call a node stale with nothing to count from", () => {
    expect(staleness(none, { staleDays: 28 }, now)).toEqual({ stale: false, lastContactAt: null, staleSince: null, daysSilent: null });
  });

  it("follows the site's period (the seed's site removes at 10 weeks)", () => {
    expect(staleness({ ...none, lastEventAt: d("2026-01-01T00:00:00Z") }, { staleDays: 70 }, now).stale).toBe(false);
  });
});

describe("agentSilence", () => {
  it("is silent once no heartbeat came for the silence period", () => {
    expect(agentSilence(d("2026-03-01T11:30:00Z"), { agentSilentMinutes: 30 }, now)).toEqual({
      silent: true,
      lastHeartbeatAt: d("2026-03-01T11:30:00Z"),
      silentSince: d("2026-03-01T12:00:00Z"),
      minutesSilent: 30,
    });
    expect(agentSilence(d("2026-03-01T11:30:01Z"), { agentSilentMinutes: 30 }, now).silent).toBe(false);
  });

  it("is never silent for a node no agent ever reported", () => {
    expect(agentSilence(null, { agentSilentMinutes: 30 }, now).silent).toBe(false);
  });
});

describe("the stale ladder", () => {
  const settings = { staleDays: 28, staleAgainDays: 70, staleRemovalDays: 84 };
  const last = new Date("2026-01-01T00:00:00Z");
  const at = (days: number) => new Date(last.getTime() + days * 86_400_000);
  const step = (days: number) =>
    staleLadder(
      staleness({ lastHeartbeatAt: last, lastAccessAt: null, lastEventAt: null, knownSince: null }, settings, at(days)),
      settings,
      last,
    );

  it("warns at 4 weeks, again at 10 naming the day, a final warning 7 days before, then proposes deregistration", () => {
    expect(step(27)).toBeNull();
    expect(step(28)).toMatchObject({ stage: "warned", step: 1 });
    expect(step(70)).toMatchObject({ stage: "announced", step: 2 });
    expect(step(77)).toMatchObject({ stage: "final", step: 3 });
    expect(step(84)).toMatchObject({ stage: "proposed", step: 4 });
    expect(step(70)?.removalOn.toISOString()).toBe("2026-03-26T00:00:00.000Z");
  });
});
