import type { SiteSettings } from "../settings/site-settings";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Every kind of contact a node can have (shared/domain.md `stale`: agent, server access, event). */
export interface ContactFacts {
  lastHeartbeatAt: Date | null;
  /** The TSM server's LASTACC_TIME: the node signed on, whoever ran it. */
  lastAccessAt: Date | null;
  /** The last event or problem the agent reported for the node. */
  lastEventAt: Date | null;
  /** Registration, or when Fleetwatch first knew the node: silence is counted from here if there was never contact. */
  knownSince: Date | null;
}

export interface Staleness {
  stale: boolean;
  lastContactAt: Date | null;
  /** When the node became (or will become) stale; null when nothing is known of it. */
  staleSince: Date | null;
  /** Time since the last contact (or since `knownSince` if none), whole days rounded down. */
  daysSilent: number | null;
}

export interface AgentSilence {
  silent: boolean;
  lastHeartbeatAt: Date | null;
  silentSince: Date | null;
  minutesSilent: number | null;
}

/** The latest contact of any kind, or null if there never was one. */
export function lastContact(f: ContactFacts): Date | null {
  const times = [f.lastHeartbeatAt, f.lastAccessAt, f.lastEventAt].filter((d): d is Date => d !== null).map((d) => d.getTime());
  return times.length > 0 ? new Date(Math.max(...times)) : null;
}

/**
 * Stale: no contact of any kind for `staleDays`. A node never heard from is counted from when it
 * became known: a registration nobody ever used goes stale too. A node with neither is never stale
 * (there is nothing to count from).
 */
export function staleness(f: ContactFacts, settings: Pick<SiteSettings, "staleDays">, now: Date): Staleness {
  const lastContactAt = lastContact(f);
  const from = lastContactAt ?? f.knownSince;
  if (!from) return { stale: false, lastContactAt: null, staleSince: null, daysSilent: null };
  const staleSince = new Date(from.getTime() + settings.staleDays * DAY);
  return {
    stale: now.getTime() >= staleSince.getTime(),
    lastContactAt,
    staleSince,
    daysSilent: Math.max(0, Math.floor((now.getTime() - from.getTime()) / DAY)),
  };
}

/** The stale ladder's steps (shared/domain.md): warned, warned again with the date, final warning, deregistration proposed. */
export type StaleStage = "warned" | "announced" | "final" | "proposed";

export interface StaleLadder {
  stage: StaleStage;
  /** 1 to 4: how far up the ladder. */
  step: number;
  /** When deregistration is (or was) proposed. */
  removalOn: Date;
}

/** Where a stale node stands on the ladder, counted from its last contact (or from when it became known). */
export function staleLadder(
  s: Staleness,
  settings: Pick<SiteSettings, "staleDays" | "staleAgainDays" | "staleRemovalDays">,
  from: Date,
): StaleLadder | null {
  if (!s.stale || s.daysSilent === null) return null;
  const removalOn = new Date(from.getTime() + settings.staleRemovalDays * DAY);
  const d = s.daysSilent;
  if (d >= settings.staleRemovalDays) return { stage: "proposed", step: 4, removalOn };
  if (d >= settings.staleRemovalDays - 7) return { stage: "final", step: 3, removalOn };
  if (d >= settings.staleAgainDays) return { stage: "announced", step: 2, removalOn };
  return { stage: "warned", step: 1, removalOn };
}

/**
 * Agent-silent: the agent has sent no heartbeat for `agentSilentMinutes`. A node no agent ever
 * reported for has no agent to fall silent: never silent.
 */
export function agentSilence(lastHeartbeatAt: Date | null, settings: Pick<SiteSettings, "agentSilentMinutes">, now: Date): AgentSilence {
  if (!lastHeartbeatAt) return { silent: false, lastHeartbeatAt: null, silentSince: null, minutesSilent: null };
  const silentSince = new Date(lastHeartbeatAt.getTime() + settings.agentSilentMinutes * MINUTE);
  return {
    silent: now.getTime() >= silentSince.getTime(),
    lastHeartbeatAt,
    silentSince,
    minutesSilent: Math.max(0, Math.floor((now.getTime() - lastHeartbeatAt.getTime()) / MINUTE)),
  };
}
