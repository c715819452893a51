import type { FlagKind } from "../flags/kinds";
import { defaultSiteSettings, type SiteSettings } from "../settings/site-settings";
import { type MachineState, machineStateDuring } from "./machine-state";
import { remedyFor } from "./remedy";
import type { Diagnosis, EvidenceFact, EvidenceMessage, HeartbeatEvidence, MissedCause } from "./types";

/** Everything known around one missed window. Callers gather it; nothing here reads a database. */
export interface MissedEvidence {
  window: { schedule: string; opensAt: Date; closesAt: Date };
  node: {
    name: string;
    /** As the node or machine record names it (win32, WinNT, Macintosh...), for the remedy's OS steps. */
    os: string | null;
    /** The node is stale (no contact of any kind for the stale period; fleet/stale). */
    stale: boolean;
    lastContactAt: Date | null;
    /** The live twin's name when this node is the dead half of a duplicate pair (fleet/duplicates). */
    deadTwinOf: string | null;
    /** When the node's agent first reported; null if it never did. Heartbeats say nothing before it. */
    agentSince: Date | null;
  };
  /** Flags open when the window opened. */
  flagsAtWindow: readonly FlagKind[];
  /** The agent's heartbeats from before the window until some time after it, in any order. */
  heartbeats: readonly HeartbeatEvidence[];
  /** ANS messages of the node's problems and events around the window, in any order. */
  messages: readonly EvidenceMessage[];
}

type Settings = Pick<SiteSettings, "heartbeatMinutes" | "lateStartHorizonHours">;

const HOUR = 3_600_000;
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const minutes = (ms: number) => Math.round(ms / 60_000);

/**
 * The primary cause of a MISSED window, the facts behind it and the remedy: the guide's section 1
 * answered from evidence. Causes are tried in the order of shared/domain.md's table, messages (the
 * client's own word) before what heartbeats suggest. A sleeping machine sends no heartbeat either:
 * the machine counts as off only when no sleep (clock jump) explains the silence.
 */
export function diagnoseMissed(evidence: MissedEvidence, settings: Settings = defaultSiteSettings): Diagnosis {
  const { window: w, node } = evidence;
  const open = w.opensAt.getTime();
  const close = w.closesAt.getTime();
  const horizon = close + settings.lateStartHorizonHours * HOUR;
  const between = (from: number, to: number) =>
    evidence.messages.filter((m) => m.at !== null && m.at.getTime() >= from && m.at.getTime() <= to);
  // Lock and password refusals stand for a while: one on the evening before still explains the night.
  const nearby = between(open - 24 * HOUR, horizon);
  const found = (cause: MissedCause, facts: EvidenceFact[]): Diagnosis => ({
    cause,
    evidence: facts,
    remedy: remedyFor(cause, node.os),
    benign: false,
  });

  const retired: EvidenceFact[] = [];
  if (node.deadTwinOf) {
    retired.push(fact("node", `its twin ${node.deadTwinOf} is backed up while this node only misses: the same machine under a new name`));
  }
  if (node.stale) {
    retired.push(
      fact("node", node.lastContactAt ? `no contact of any kind since ${iso(node.lastContactAt)}` : "no contact of any kind, ever"),
    );
  }
  if (retired.length > 0) return found("node-retired", retired);

  const flagged = (kind: FlagKind, text: string) => (evidence.flagsAtWindow.includes(kind) ? [fact("flag", text, w.opensAt)] : []);
  const locked = [
    ...flagged("locked", "the node was flagged locked when the window opened"),
    ...messageFacts(nearby.filter((m) => m.cause === "node-locked")),
  ];
  if (locked.length > 0) return found("node-locked", locked);

  const expired = [
    ...flagged("password-expired", "the node's password had expired when the window opened"),
    ...messageFacts(nearby.filter((m) => m.cause === "password-expired")),
  ];
  if (expired.length > 0) return found("password-expired", expired);

  const machine = machineStateDuring(w, evidence.heartbeats, node.agentSince, settings.heartbeatMinutes);
  const late = between(open, horizon).filter((m) => m.flag === "window-elapsed");
  if (late.length > 0) return found("started-too-late", [...messageFacts(late), ...machineFacts(machine)]);

  const preCommand = between(open, horizon).filter((m) => m.cause === "pre-command-failed");
  if (preCommand.length > 0) return found("pre-command-failed", messageFacts(preCommand));

  if (machine.kind === "off") return found("machine-off", machineFacts(machine));
  if (machine.kind === "asleep") return found("machine-asleep", machineFacts(machine));

  const schedulerFailed = between(open - 30 * 60_000, close).filter((m) => m.flag === "scheduler-start-failed");
  if (machine.kind === "on") {
    const reachable = machine.beats.map((b) => b.serverReachable);
    if (!reachable.includes(true) && reachable.includes(false)) {
      return found("off-network", [
        fact("heartbeat", `${machine.beats.length} heartbeat(s) during the window, none could reach the TSM server`, machine.beats[0]?.at),
      ]);
    }
    const running = machine.beats.map((b) => b.schedulerRunning);
    if (!running.includes(true) && running.includes(false)) {
      return found("scheduler-not-running", [
        fact(
          "heartbeat",
          `${machine.beats.length} heartbeat(s) during the window: machine on, TSM server reachable, scheduler not running`,
          machine.beats[0]?.at,
        ),
        ...messageFacts(schedulerFailed),
      ]);
    }
  }
  if (schedulerFailed.length > 0) return found("scheduler-not-running", [...messageFacts(schedulerFailed), ...machineFacts(machine)]);

  const otherFlags = evidence.flagsAtWindow.map((kind) => fact("flag", `the node was flagged ${kind} when the window opened`, w.opensAt));
  return found("unknown", [...machineFacts(machine), ...otherFlags]);
}

function fact(kind: EvidenceFact["kind"], text: string, at?: Date | null): EvidenceFact {
  return { kind, text, at: iso(at) };
}

function messageFacts(messages: readonly EvidenceMessage[]): EvidenceFact[] {
  return [...messages]
    .sort((a, b) => (a.at?.getTime() ?? 0) - (b.at?.getTime() ?? 0))
    .map((m) => ({ kind: "message", code: m.code, at: iso(m.at), text: `${m.code} logged${m.at ? ` at ${iso(m.at)}` : ""}` }));
}

function machineFacts(state: MachineState): EvidenceFact[] {
  switch (state.kind) {
    case "no-agent":
      return [fact("agent", "no agent reported for this node at the time: nothing is known of the machine")];
    case "on":
      return [fact("heartbeat", `${state.beats.length} heartbeat(s) during the window: the machine was on`, state.beats[0]?.at)];
    case "asleep": {
      const jump = (state.wake.clockJumpSeconds ?? 0) * 1000;
      return [
        fact(
          "clock-jump",
          `the clock jumped ${minutes(jump)} minutes at ${iso(state.wake.at)}: the machine slept from about ${iso(state.sleptFrom)}`,
          state.wake.at,
        ),
      ];
    }
    case "off": {
      const gap = `no heartbeat from ${iso(state.lastBefore?.at) ?? "the agent's start"} until ${iso(state.firstAfter?.at) ?? "now"}`;
      const facts = [fact("heartbeat", `${gap}: the agent was not running`, state.lastBefore?.at ?? null)];
      if (state.bootedAt) facts.push(fact("boot", `the machine booted at ${iso(state.bootedAt)}, after the window opened`, state.bootedAt));
      return facts;
    }
    case "agent-down":
      return [
        fact(
          "heartbeat",
          `no heartbeat from ${iso(state.lastBefore?.at) ?? "the agent's start"} until ${iso(state.firstAfter.at)}, yet the machine had been up since ${iso(state.bootedAt)}: only the agent was not running`,
          state.firstAfter.at,
        ),
      ];
  }
}
