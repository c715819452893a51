import { describe, expect, it } from "vitest";
import type { WantedFlag } from "../flags/types";
import { type AlertWindow, activeConditions, clearedReasons, type NodeAlertFacts } from "./evaluate";

const night = (day: number, outcome: AlertWindow["outcome"], cause: string | null = null, benign = false): AlertWindow => ({
  scheduledStart: new Date(Date.UTC(2026, 11, day, 21)),
  localStart: `2026-12-${String(day).padStart(2, "0")}T21:00`,
  schedule: "DAILY",
  outcome,
  benign,
  cause,
});
const flag = (kind: WantedFlag["kind"], detail: string = kind): WantedFlag => ({
  kind,
  since: new Date(Date.UTC(2026, 11, 3)),
  evidence: [],
  detail,
});
const facts = (over: Partial<NodeAlertFacts>): NodeAlertFacts => ({
  name: "CHEM-PC025",
  os: "WinNT",
  flags: [],
  history: [],
  suspicious: null,
  ...over,
});

describe("activeConditions", () => {
  it("a bypassed node is watched, never alerted; a profile sets how loud not backed up is, unsaved data stays critical", () => {
    const history = [night(1, "completed"), night(2, "failed", "server-out-of-space")];
    const locked = [flag("locked")];
    expect(activeConditions(facts({ history, flags: locked, policy: { bypass: true, backupSeverity: null } }))).toEqual([]);
    const server = activeConditions(facts({ history, policy: { bypass: false, backupSeverity: "critical" } }));
    expect(server.map((c) => [c.condition, c.severity])).toEqual([["backup", "critical"]]);
    const laptop = activeConditions(facts({ history, policy: { bypass: false, backupSeverity: "info" } }));
    expect(laptop.map((c) => c.severity)).toEqual(["info"]);
    const manual = activeConditions(
      facts({ history, flags: [flag("needs-manual-backup")], policy: { bypass: false, backupSeverity: "info" } }),
    );
    expect(manual.map((c) => c.severity)).toEqual(["critical"]);
  });

  it("three missed nights after a backup are one alert that counts them", () => {
    const history = [night(1, "completed"), night(2, "missed", "unknown"), night(3, "missed", "unknown"), night(4, "missed", "unknown")];
    const [c, ...rest] = activeConditions(facts({ history, flags: [flag("repeated-misses", "missed 3 in a row")] }));
    expect(rest).toEqual([]);
    expect(c).toMatchObject({ condition: "backup", severity: "warning", occurrences: 3 });
    expect(c?.title).toBe("CHEM-PC025: missed 3 nights in a row since 2 Dec");
    // Newest night first.
    expect(c?.body.split("\n").slice(0, 3)).toEqual([
      "MISSED DAILY on 2026-12-04 21:00: Cause unknown",
      "MISSED DAILY on 2026-12-03 21:00: Cause unknown",
      "MISSED DAILY on 2026-12-02 21:00: Cause unknown",
    ]);
    expect(c?.body).toContain("repeated misses: missed 3 in a row");
    expect(c?.body).not.toContain("earlier night");
  });

  it("one night a laptop was simply off is info; a failure is a warning; a needed manual backup is critical", () => {
    const off = activeConditions(facts({ history: [night(1, "completed"), night(2, "missed", "machine-off")] }));
    expect(off.map((c) => [c.condition, c.severity, c.title])).toEqual([["backup", "info", "CHEM-PC025: missed 1 night since 2 Dec"]]);
    const failed = activeConditions(facts({ history: [night(2, "failed", "server-out-of-space")] }));
    expect(failed[0]?.severity).toBe("warning");
    const manual = activeConditions(facts({ history: [night(2, "severed", "communication-lost")], flags: [flag("needs-manual-backup")] }));
    expect(manual.map((c) => [c.condition, c.severity])).toEqual([["backup", "critical"]]);
    expect(manual[0]?.title).toMatch(/run a manual backup$/);
  });

  it("mixed bad nights read as nights without a backup", () => {
    const [c] = activeConditions(
      facts({ history: [night(1, "completed"), night(2, "missed", "machine-off"), night(3, "failed", "files-changed")] }),
    );
    expect(c?.title).toBe("CHEM-PC025: 2 nights without a backup (1 missed, 1 failed) since 2 Dec");
  });

  it("a completed night ends the condition; a benign failure counts as a backup", () => {
    expect(activeConditions(facts({ history: [night(2, "missed", "unknown"), night(3, "completed")] }))).toEqual([]);
    expect(activeConditions(facts({ history: [night(2, "missed", "unknown"), night(3, "failed", "sign-off-only", true)] }))).toEqual([]);
    expect(activeConditions(facts({ history: [night(2, "completed"), night(3, "in-progress")] }))).toEqual([]);
  });

  it("lists the newest seven nights and counts the rest", () => {
    const history = [night(1, "completed"), ...[2, 3, 4, 5, 6, 7, 8, 9, 10].map((d) => night(d, "failed", "files-changed"))];
    const [c] = activeConditions(facts({ history }));
    const lines = c?.body.split("\n") ?? [];
    expect(lines[0]).toBe("FAILED DAILY on 2026-12-10 21:00: Files changed while being backed up");
    expect(lines[7]).toBe("(and 2 earlier nights)");
  });

  it("when every night read is bad, the count says at least", () => {
    const [c] = activeConditions(facts({ history: [night(2, "failed", "unknown"), night(3, "failed", "unknown")] }));
    expect(c?.title).toBe("CHEM-PC025: failed at least 2 nights in a row since 2 Dec");
  });

  it("flags of one problem share an alert: expiring and expired password, at-risk with the bad nights", () => {
    const cs = activeConditions(
      facts({ flags: [flag("password-expired"), flag("at-risk", "no completed backup for 80 h"), flag("locked")] }),
    );
    expect(cs.map((c) => [c.condition, c.severity])).toEqual([
      ["password", "critical"],
      ["locked", "critical"],
      ["backup", "warning"],
    ]);
    expect(cs.find((c) => c.condition === "backup")?.title).toBe("CHEM-PC025: no completed backup for 80 h");
  });

  it("a duplicate pair is one alert, on the half to deregister, which takes over its retired-node misses", () => {
    const retired = [night(1, "missed", "node-retired"), night(2, "missed", "node-retired")];
    const dupFlag = flag("duplicate-suspect", "looks like the same machine as CS-MAC012-NEW (score 150)");
    const dead = activeConditions(
      facts({ name: "CS-MAC012", history: retired, flags: [dupFlag], duplicate: { otherName: "CS-MAC012-NEW", role: "dead" } }),
    );
    expect(dead.map((c) => [c.condition, c.severity, c.title])).toEqual([
      ["duplicate-suspect", "warning", "CS-MAC012: an old name of CS-MAC012-NEW (missed 2 nights since 1 Dec): deregister it"],
    ]);
    const live = activeConditions(
      facts({
        name: "CS-MAC012-NEW",
        history: [night(2, "completed")],
        flags: [dupFlag],
        duplicate: { otherName: "CS-MAC012", role: "live" },
      }),
    );
    expect(live).toEqual([]);
    const unsure = (name: string, otherName: string) =>
      activeConditions(facts({ name, flags: [dupFlag], duplicate: { otherName, role: "unknown" } })).length;
    expect(unsure("A-PC", "B-PC") + unsure("B-PC", "A-PC")).toBe(1);
  });

  it("an agent silent overnight holds its missed night; the silence is news when the node is seen or after a day", () => {
    const lastBeat = new Date(Date.UTC(2026, 11, 2, 20, 50));
    const silent = [flag("agent-silent", "no heartbeat for 160 minutes"), flag("at-risk")];
    const history = [night(1, "completed"), night(2, "missed", "machine-off")];
    const at = (h: number) => new Date(lastBeat.getTime() + h * 3_600_000);
    const quiet = (over: Partial<NodeAlertFacts>) => activeConditions(facts({ history, flags: silent, ...over }));
    expect(quiet({ contact: { lastHeartbeatAt: lastBeat, lastSeenElsewhereAt: null }, now: at(3) })).toEqual([]);
    const seen = quiet({ contact: { lastHeartbeatAt: lastBeat, lastSeenElsewhereAt: at(1) }, now: at(3) });
    expect(seen.map((c) => [c.condition, c.title])).toEqual([
      ["agent-silent", "CHEM-PC025: no news for 3 h (the node is seen, its agent silent)"],
    ]);
    const long = quiet({ contact: { lastHeartbeatAt: lastBeat, lastSeenElsewhereAt: null }, now: at(25) });
    expect(long.map((c) => c.condition)).toEqual(["agent-silent"]);
    expect(long[0]?.body).toContain("DAILY on 2026-12-02 21:00: no news yet");
    // News of the night (a heartbeat after it) ends the hold: the miss is the backup's alert.
    const woke = activeConditions(
      facts({ history, flags: [flag("at-risk")], contact: { lastHeartbeatAt: at(11), lastSeenElsewhereAt: null }, now: at(11) }),
    );
    expect(woke.map((c) => c.condition)).toEqual(["backup"]);
  });

  it("the stale ladder is one alert that climbs: info while warned, a warning at the final step", () => {
    const stale = (stage: "warned" | "announced" | "final" | "proposed", step: number) =>
      activeConditions(
        facts({ flags: [{ ...flag("stale", `no contact for many days (${stage})`), ladder: { stage, step, removalOn: new Date() } }] }),
      );
    expect(stale("warned", 1).map((c) => [c.condition, c.severity, c.occurrences])).toEqual([["stale", "info", 1]]);
    expect(stale("final", 3).map((c) => [c.severity, c.title])).toEqual([["warning", "CHEM-PC025: final warning before deregistration"]]);
    expect(stale("proposed", 4)[0]?.title).toBe("CHEM-PC025: deregister it?");
  });

  it("a retired machine's missed nights are its being stale: one alert; a miss for another reason is its own", () => {
    const ladder = { stage: "announced" as const, step: 2, removalOn: new Date() };
    const staleFlags = [{ ...flag("stale", "no contact for 72 days"), ladder }, flag("repeated-misses"), flag("at-risk")];
    const retired = [night(1, "missed", "node-retired"), night(2, "missed", "node-retired")];
    expect(activeConditions(facts({ history: retired, flags: staleFlags })).map((c) => c.condition)).toEqual(["stale"]);
    const other = [night(1, "missed", "node-retired"), night(2, "failed", "server-out-of-space")];
    expect(activeConditions(facts({ history: other, flags: staleFlags })).map((c) => c.condition)).toEqual(["backup", "stale"]);
  });

  it("a locked node's failed nights grow its locked alert; a night failed for another reason is an alert of its own", () => {
    const lockedNights = [
      night(1, "completed"),
      night(2, "failed", "node-locked"),
      night(3, "failed", "node-locked"),
      night(4, "failed", "node-locked"),
    ];
    const one = activeConditions(facts({ history: lockedNights, flags: [flag("locked", "the server says the node is locked")] }));
    expect(one.map((c) => [c.condition, c.severity, c.occurrences])).toEqual([["locked", "critical", 3]]);
    expect(one[0]?.title).toBe("CHEM-PC025: locked: failed 3 nights in a row since 2 Dec");
    expect(one[0]?.since).toEqual(new Date(Date.UTC(2026, 11, 2, 21)));
    expect(one[0]?.body.split("\n").slice(0, 2)).toEqual([
      "the server says the node is locked",
      "FAILED DAILY on 2026-12-04 21:00: Node locked on the TSM server",
    ]);
    expect(one[0]?.body).toContain("What to do:");

    const mixed = activeConditions(facts({ history: [...lockedNights, night(5, "missed", "machine-off")], flags: [flag("locked")] }));
    expect(mixed.map((c) => c.condition).sort()).toEqual(["backup", "locked"]);
    // The same nights with the flag cleared (unlocked, not backed up since): "not backed up" again.
    expect(activeConditions(facts({ history: lockedNights })).map((c) => c.condition)).toEqual(["backup"]);
  });

  it("an expired password's and a bad DOMAIN's failures are theirs too", () => {
    const expired = [night(1, "completed"), night(2, "failed", "password-expired")];
    expect(activeConditions(facts({ history: expired, flags: [flag("password-expired")] })).map((c) => c.condition)).toEqual(["password"]);
    const domain = [night(1, "completed"), night(2, "failed", "invalid-domain"), night(3, "failed", "invalid-domain")];
    const [c, ...rest] = activeConditions(facts({ history: domain, flags: [flag("config-error")] }));
    expect(rest).toEqual([]);
    expect(c).toMatchObject({ condition: "config-error", severity: "warning", occurrences: 2 });
  });

  it("at-risk alone after nights a maintenance window excused is no alert; a real bad night after it is", () => {
    const history = [night(1, "completed")];
    const excusedAt = new Date(Date.UTC(2026, 11, 3, 21));
    expect(activeConditions(facts({ history, flags: [flag("at-risk")], excusedAt }))).toEqual([]);
    const after = activeConditions(facts({ history: [...history, night(4, "missed", "unknown")], flags: [flag("at-risk")], excusedAt }));
    expect(after.map((c) => [c.condition, c.occurrences])).toEqual([["backup", 1]]);
  });

  it("a suspicious newest run is its own warning; clearing words name what cleared it", () => {
    const w = night(5, "completed");
    const cs = activeConditions(
      facts({ history: [w], suspicious: { window: w, text: ["12 objects, usually 90,000"], summary: "far fewer objects than usual" } }),
    );
    expect(cs.map((c) => [c.condition, c.severity, c.title])).toEqual([
      ["suspicious-run", "warning", "CHEM-PC025: suspicious run DAILY on 5 Dec"],
    ]);
    expect(clearedReasons(facts({ history: [night(2, "missed"), w] })).backup).toBe("a completed backup on 5 Dec");
  });
});
