import { describe, expect, it } from "vitest";
import { diagnoseMissed, type MissedEvidence } from "./missed";
import type { EvidenceMessage, HeartbeatEvidence } from "./types";

const at = (hhmm: string, day = 5) => new Date(`2026-01-${String(day).padStart(2, "0")}T${hhmm}:00Z`);
const opensAt = at("22:00");
const closesAt = at("23:00");

/** A heartbeat; `jump` in seconds. */
const beat = (when: Date, over: Partial<HeartbeatEvidence> = {}): HeartbeatEvidence => ({
  at: when,
  bootedAt: at("08:00", 1),
  clockJumpSeconds: 0,
  serverReachable: true,
  schedulerRunning: true,
  ...over,
});
/** Beats every five minutes from `from` to `to`. */
const beats = (from: Date, to: Date, over: Partial<HeartbeatEvidence> = {}) => {
  const out: HeartbeatEvidence[] = [];
  for (let t = from.getTime(); t <= to.getTime(); t += 5 * 60_000) out.push(beat(new Date(t), over));
  return out;
};
const msg = (code: string, when: Date, over: Partial<EvidenceMessage> = {}): EvidenceMessage => ({ code, at: when, cause: null, ...over });

const evidence = (over: Partial<Omit<MissedEvidence, "node">> & { node?: Partial<MissedEvidence["node"]> } = {}): MissedEvidence => ({
  window: { schedule: "NIGHTLY", opensAt, closesAt },
  flagsAtWindow: [],
  heartbeats: beats(at("20:00"), at("23:59")),
  messages: [],
  ...over,
  node: {
    name: "CHEM-PC001",
    os: "win32",
    stale: false,
    lastContactAt: at("23:59"),
    deadTwinOf: null,
    agentSince: at("08:00", 1),
    ...over.node,
  },
});

describe("diagnoseMissed", () => {
  it("calls the dead half of a duplicate pair retired, and says to deregister it", () => {
    const d = diagnoseMissed(evidence({ node: { deadTwinOf: "CHEM-PC001-NEW" } }));
    expect(d.cause).toBe("node-retired");
    expect(d.evidence[0]?.text).toMatch(/CHEM-PC001-NEW/);
    expect(d.remedy.at(-1)).toMatch(/deregister/i);
  });

  it("calls a stale node retired before anything else", () => {
    const d = diagnoseMissed(evidence({ node: { stale: true, lastContactAt: at("10:00", 1) }, flagsAtWindow: ["locked"], heartbeats: [] }));
    expect(d.cause).toBe("node-retired");
    expect(d.evidence[0]?.text).toMatch(/2026-01-01T10:00/);
  });

  it("blames a lock flagged at the window", () => {
    const d = diagnoseMissed(evidence({ flagsAtWindow: ["locked", "password-expired"] }));
    expect(d.cause).toBe("node-locked");
    expect(d.remedy.join(" ")).toMatch(/Request unlock/);
  });

  it("blames a lock the client logged (ANS1361E) the evening before", () => {
    const d = diagnoseMissed(evidence({ messages: [msg("ANS1361E", at("18:00"), { cause: "node-locked" })] }));
    expect(d.cause).toBe("node-locked");
    expect(d.evidence).toContainEqual(expect.objectContaining({ kind: "message", code: "ANS1361E" }));
  });

  it("ignores a lock message from days before", () => {
    const d = diagnoseMissed(evidence({ messages: [msg("ANS1361E", at("18:00", 2), { cause: "node-locked" })] }));
    expect(d.cause).not.toBe("node-locked");
  });

  it("blames an expired password, flagged or logged (ANS1352E)", () => {
    expect(diagnoseMissed(evidence({ flagsAtWindow: ["password-expired"] })).cause).toBe("password-expired");
    expect(diagnoseMissed(evidence({ messages: [msg("ANS1352E", at("22:01"), { cause: "password-expired" })] })).cause).toBe(
      "password-expired",
    );
  });

  it("says the machine started too late when the client logged the window elapsed (ANS1815E) after it", () => {
    const d = diagnoseMissed(
      evidence({
        heartbeats: [beat(at("21:00")), beat(at("07:30", 6), { bootedAt: at("07:25", 6) })],
        messages: [msg("ANS1815E", at("07:31", 6), { flag: "window-elapsed" })],
      }),
    );
    expect(d.cause).toBe("started-too-late");
    expect(d.evidence.map((f) => f.kind)).toEqual(["message", "heartbeat", "boot"]);
  });

  it("does not take a window-elapsed message from before the window as evidence", () => {
    const d = diagnoseMissed(evidence({ messages: [msg("ANS1814E", at("21:00"), { flag: "window-elapsed" })] }));
    expect(d.cause).not.toBe("started-too-late");
  });

  it("blames a failed PRESCHEDULECMD (ANS1902E)", () => {
    const d = diagnoseMissed(evidence({ messages: [msg("ANS1902E", at("22:03"), { cause: "pre-command-failed" })] }));
    expect(d.cause).toBe("pre-command-failed");
    expect(d.remedy.join(" ")).toMatch(/PRESCHEDULECMD/);
  });

  it("says the machine was off when no heartbeat came across the window", () => {
    const d = diagnoseMissed(
      evidence({ heartbeats: [...beats(at("17:00"), at("18:00")), beat(at("08:00", 6), { bootedAt: at("07:58", 6) })] }),
    );
    expect(d.cause).toBe("machine-off");
    expect(d.evidence[0]?.text).toMatch(/no heartbeat from 2026-01-05T18:00:00.000Z until 2026-01-06T08:00:00.000Z/);
    expect(d.evidence[1]).toMatchObject({ kind: "boot", at: "2026-01-06T07:58:00.000Z" });
  });

  it("says the machine was off when the agent has been silent ever since", () => {
    expect(diagnoseMissed(evidence({ heartbeats: beats(at("17:00"), at("18:00")) })).cause).toBe("machine-off");
  });

  it("says the machine was asleep when the clock jumped over the window", () => {
    const sleepy = [...beats(at("20:00"), at("21:50")), beat(at("07:00", 6), { clockJumpSeconds: 9 * 3600 + 5 * 60 })];
    const d = diagnoseMissed(evidence({ heartbeats: sleepy, node: { os: "WIN:Windows 7" } }));
    expect(d.cause).toBe("machine-asleep");
    expect(d.evidence[0]).toMatchObject({ kind: "clock-jump", at: "2026-01-06T07:00:00.000Z" });
    expect(d.remedy.join(" ")).toMatch(/two minutes later/);
  });

  it("does not call a reboot a sleep, whatever jump the beat reports", () => {
    const rebooted = [...beats(at("20:00"), at("21:50")), beat(at("07:00", 6), { clockJumpSeconds: 9 * 3600, bootedAt: at("06:55", 6) })];
    expect(diagnoseMissed(evidence({ heartbeats: rebooted })).cause).toBe("machine-off");
  });

  it("does not call a short nap a sleep across the window", () => {
    const napped = [...beats(at("17:00"), at("18:00")), beat(at("07:00", 6), { clockJumpSeconds: 1800, bootedAt: null })];
    expect(diagnoseMissed(evidence({ heartbeats: napped })).cause).toBe("machine-off");
  });

  it("says off-network when heartbeats came but none reached the TSM server", () => {
    const d = diagnoseMissed(evidence({ heartbeats: beats(at("20:00"), at("23:59"), { serverReachable: false }) }));
    expect(d.cause).toBe("off-network");
    expect(d.evidence[0]?.text).toMatch(/13 heartbeat\(s\) during the window, none could reach/);
  });

  it("is not off-network when the server was reachable at some point in the window", () => {
    const hb = beats(at("20:00"), at("23:59"), { serverReachable: false });
    hb[30] = { ...(hb[30] as HeartbeatEvidence), serverReachable: true };
    expect(diagnoseMissed(evidence({ heartbeats: hb })).cause).not.toBe("off-network");
  });

  it("says the scheduler was not running when the machine was on and the server reachable", () => {
    const d = diagnoseMissed(evidence({ heartbeats: beats(at("20:00"), at("23:59"), { schedulerRunning: false }), node: { os: "linux" } }));
    expect(d.cause).toBe("scheduler-not-running");
    expect(d.remedy.join(" ")).toMatch(/dsmcad/);
  });

  it("puts off-network before a stopped scheduler, and a failed pre-command before a switched-off machine", () => {
    const both = beats(at("20:00"), at("23:59"), { serverReachable: false, schedulerRunning: false });
    expect(diagnoseMissed(evidence({ heartbeats: both })).cause).toBe("off-network");
    const off = beats(at("17:00"), at("18:00"));
    expect(
      diagnoseMissed(evidence({ heartbeats: off, messages: [msg("ANS1902E", at("22:00"), { cause: "pre-command-failed" })] })).cause,
    ).toBe("pre-command-failed");
  });

  it("says the scheduler was not running when dsmcad could not start it (ANS1977E)", () => {
    const d = diagnoseMissed(evidence({ messages: [msg("ANS1977E", at("22:10"), { flag: "scheduler-start-failed" })] }));
    expect(d.cause).toBe("scheduler-not-running");
    expect(d.evidence[0]).toMatchObject({ code: "ANS1977E" });
  });

  it("sees the machine on through a window shorter than the heartbeat interval", () => {
    const short = { schedule: "NIGHTLY", opensAt: at("22:01"), closesAt: at("22:04") };
    const d = diagnoseMissed(evidence({ window: short, heartbeats: beats(at("20:00"), at("23:59"), { schedulerRunning: false }) }));
    expect(d.cause).toBe("scheduler-not-running");
  });

  it("does not call the machine off when it was up all along and only the agent was silent", () => {
    const d = diagnoseMissed(evidence({ heartbeats: [...beats(at("17:00"), at("18:00")), beat(at("08:00", 6))] }));
    expect(d.cause).toBe("unknown");
    expect(d.evidence[0]?.text).toMatch(/only the agent was not running/);
  });

  it("cannot use heartbeats before the node had an agent", () => {
    const d = diagnoseMissed(evidence({ heartbeats: beats(at("08:00", 6), at("09:00", 6)), node: { agentSince: at("08:00", 6) } }));
    expect(d.cause).toBe("unknown");
    expect(d.evidence[0]?.text).toMatch(/no agent/);
  });

  it("falls back to unknown with the guide's section 4 when everything looked fine", () => {
    const d = diagnoseMissed(evidence({ flagsAtWindow: ["auth-broken"] }));
    expect(d.cause).toBe("unknown");
    expect(d.evidence.map((f) => f.text).join(" ")).toMatch(/auth-broken/);
    expect(d.remedy.join(" ")).toMatch(/dsmerror\.log/);
    expect(d.remedy.at(-1)).toMatch(/^Run a manual backup now/);
    expect(d.benign).toBe(false);
  });
});
