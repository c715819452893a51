import { causeLabel } from "../diagnosis/words";
import { type AlertSeverity, compareSeverity } from "./conditions";
import { nightWords } from "./evaluate";

/** A node whose "not backed up" condition is true now, with the newest bad night behind it. */
export interface IncidentCandidate {
  nodeId: string;
  name: string;
  server: string;
  /** The newest bad night's local date, `YYYY-MM-DD`, and its cause. */
  night: string;
  cause: string | null;
  severity: AlertSeverity;
  since: Date;
}

export interface ActiveIncident {
  /** Stable for one server, night and cause: the incident's alert key. */
  key: string;
  server: string;
  night: string;
  cause: string;
  members: IncidentCandidate[];
  severity: AlertSeverity;
  since: Date;
  title: string;
  body: string;
}

/** At least this many nodes... */
export const INCIDENT_MIN_NODES = 3;
/** ...and at least this share of the server's nodes in service, failing the same night for one cause. */
export const INCIDENT_MIN_SHARE = 0.5;

/**
 * Many nodes of one TSM server that failed or missed the same night for the same cause (the
 * server down or unreachable from every agent, its storage full) are one incident: one thing to
 * fix, with its nodes listed. `serverSizes` counts each server's nodes in service.
 */
export function findIncidents(candidates: readonly IncidentCandidate[], serverSizes: ReadonlyMap<string, number>): ActiveIncident[] {
  const groups = new Map<string, IncidentCandidate[]>();
  for (const c of candidates) {
    const key = `${c.server}|${c.night}|${c.cause ?? "unknown"}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const out: ActiveIncident[] = [];
  for (const members of groups.values()) {
    const first = members[0] as IncidentCandidate;
    const size = serverSizes.get(first.server) ?? members.length;
    if (members.length < INCIDENT_MIN_NODES || members.length < INCIDENT_MIN_SHARE * size) continue;
    const cause = first.cause ?? "unknown";
    const sorted = [...members].sort((a, b) => a.name.localeCompare(b.name));
    const where = first.server ? `TSM server ${first.server}` : "The TSM server";
    out.push({
      key: `incident:${first.server}:${first.night}:${cause}`,
      server: first.server,
      night: first.night,
      cause,
      members: sorted,
      severity: [...members].sort((a, b) => compareSeverity(a.severity, b.severity))[0]?.severity ?? "warning",
      since: new Date(Math.min(...members.map((m) => m.since.getTime()))),
      title: `${where}: ${members.length} of ${size} nodes without a backup on ${nightWords(first.night)} (${causeLabel(cause)})`,
      body: [
        `One cause for all of them: ${causeLabel(cause)}. Fix it once; each node's own alert points here.`,
        `Nodes: ${sorted.map((m) => m.name).join(", ")}`,
      ].join("\n"),
    });
  }
  return out;
}
