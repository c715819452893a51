import type { HeartbeatEvidence } from "./types";

/**
 * What the agent's heartbeats say about the machine during a window [opensAt, closesAt].
 * - on: beats arrived in the window (or straight through a window shorter than two beats);
 * - asleep: no beat in the window, and the first beat after it saw the clock jump (the machine
 *   slept) over a gap the sleep explains;
 * - off: no beat in the window and no sleep explains it; `bootedAt` when the next beat shows the
 *   machine booted after the window opened;
 * - agent-down: no beat, but the machine was up all along (booted before the window, no sleep):
 *   only the agent was not running, so nothing is known about the machine in the window;
 * - no-agent: the node had no agent then: heartbeats cannot say anything.
 */
export type MachineState =
  | { kind: "on"; beats: HeartbeatEvidence[] }
  | { kind: "asleep"; wake: HeartbeatEvidence; sleptFrom: Date; previous: HeartbeatEvidence | null }
  | { kind: "off"; lastBefore: HeartbeatEvidence | null; firstAfter: HeartbeatEvidence | null; bootedAt: Date | null }
  | { kind: "agent-down"; lastBefore: HeartbeatEvidence | null; firstAfter: HeartbeatEvidence; bootedAt: Date }
  | { kind: "no-agent" };

/** A jump under a minute is clock adjustment noise (NTP), not sleep. */
const MIN_SLEEP_SECONDS = 60;

export function machineStateDuring(
  window: { opensAt: Date; closesAt: Date },
  heartbeats: readonly HeartbeatEvidence[],
  agentSince: Date | null,
  heartbeatMinutes: number,
): MachineState {
  const open = window.opensAt.getTime();
  const close = window.closesAt.getTime();
  const beatMs = heartbeatMinutes * 60_000;
  const beats = [...heartbeats].sort((a, b) => a.at.getTime() - b.at.getTime());
  const firstBeat = beats[0]?.at.getTime();
  const since = agentSince?.getTime() ?? firstBeat;
  if (since === undefined || since > close) return { kind: "no-agent" };

  const inside = beats.filter((b) => b.at.getTime() >= open && b.at.getTime() <= close);
  if (inside.length > 0) return { kind: "on", beats: inside };

  const lastBefore = beats.filter((b) => b.at.getTime() < open).at(-1) ?? null;
  const firstAfter = beats.find((b) => b.at.getTime() > close) ?? null;
  const jump = (firstAfter?.clockJumpSeconds ?? 0) * 1000;
  const bootedAt = firstAfter?.bootedAt ?? null;
  // A reboot between the beats resets the clocks the jump is measured with: no sleep to see then.
  const rebootedInGap = bootedAt !== null && bootedAt.getTime() > (lastBefore?.at.getTime() ?? open);

  if (firstAfter && jump >= MIN_SLEEP_SECONDS * 1000 && !rebootedInGap) {
    // The machine was awake for (gap - jump) of the gap between the beats: about one beat's worth
    // around the sleep. If that is all, the sleep covers the window.
    const after = firstAfter.at.getTime();
    const gap = after - (lastBefore?.at.getTime() ?? Math.min(open, after - jump));
    const sleptFrom = new Date(after - jump - beatMs);
    if (gap - jump <= 2 * beatMs + 60_000 && sleptFrom.getTime() <= close) {
      return { kind: "asleep", wake: firstAfter, sleptFrom, previous: lastBefore };
    }
  }
  // Beats on both sides of a window shorter than the beat interval: the agent beat straight through.
  if (lastBefore && firstAfter && !rebootedInGap && jump < MIN_SLEEP_SECONDS * 1000) {
    if (firstAfter.at.getTime() - lastBefore.at.getTime() <= 2 * beatMs + 60_000) return { kind: "on", beats: [lastBefore, firstAfter] };
  }
  if (firstAfter && bootedAt && bootedAt.getTime() <= open) return { kind: "agent-down", lastBefore, firstAfter, bootedAt };
  return { kind: "off", lastBefore, firstAfter, bootedAt: bootedAt && bootedAt.getTime() > open ? bootedAt : null };
}
