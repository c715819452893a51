import { type NormalisedName, nameMatch, normaliseNodeName } from "./duplicates-names";

/** What is known of one node for duplicate detection. Deregistered nodes should not be passed. */
export interface DuplicateCandidate {
  nodeId: string;
  name: string;
  /** Owner or contact (NODES.CONTACT, or the e-mail address). */
  contact: string | null;
  /** Every identity the node was ever seen with: agent host ids and the server's GUID, MACs, hostnames (agent, TCP_NAME), IPs (TCP_ADDRESS, CLIENT_HLA). */
  identity: {
    machineIds?: readonly string[];
    macAddresses?: readonly string[];
    hostnames?: readonly string[];
    ipAddresses?: readonly string[];
  };
  /** The machine whose agent reports the node now: nodes reported side by side by one agent are one machine's several nodes, on purpose. */
  currentMachineId?: string | null;
  /** Registration, or the node's first event: when it appeared. */
  firstSeenAt: Date | null;
  lastCompletedAt: Date | null;
  /** Start of the node's trailing run of MISSED windows (every closed window since missed), or null. */
  missingSince: Date | null;
}

export type DuplicateEvidenceKind = "machine-id" | "mac" | "hostname" | "name" | "ip" | "contact" | "twin-pattern";

export interface DuplicateEvidence {
  kind: DuplicateEvidenceKind;
  detail: string;
  weight: number;
}

export interface DuplicateSuspect {
  nodeIds: [string, string];
  names: [string, string];
  score: number;
  /** Strongest first. */
  evidence: DuplicateEvidence[];
  /** For the typical pair, the twin that only misses since the other appeared: the one to deregister. */
  deadNodeId: string | null;
}

/** Strongest first (shared/domain.md): machine identity, then names, then owner. */
const WEIGHT: Record<DuplicateEvidenceKind, number> = {
  "machine-id": 100,
  mac: 80,
  hostname: 60,
  name: 50,
  "twin-pattern": 40,
  ip: 20,
  contact: 10,
};
/** An address shared by many nodes (NAT, a cloned image, "localhost") identifies none of them. */
const MAX_IDENTITY_BUCKET = 8;
/** A department's shared contact owns hundreds of nodes: a contact only proposes pairs when it owns a few. */
const MAX_CONTACT_BUCKET = 3;
/** Beyond this many names on one base the base is generic (PC1..PC99): compared no further. */
const MAX_NAME_BUCKET = 200;
/** The twin's misses begin around the day the other node appeared: a rebuild takes days, not months. */
const TWIN_TOLERANCE_MS = 14 * 86_400_000;

interface Prepared {
  node: DuplicateCandidate;
  name: NormalisedName;
  ids: Record<"machine-id" | "mac" | "hostname" | "ip", Set<string>>;
  contact: string | null;
}

/**
 * Pairs of nodes that look like one machine, ranked by score. Candidate pairs come only from
 * buckets (nodes sharing an identity value, a normalised name base, or a rare contact), so the
 * work grows with the fleet, not its square. A pair needs machine identity or name evidence, or
 * else weak evidence (IP, contact) together with the twin pattern.
 */
export function findDuplicateSuspects(
  nodes: readonly DuplicateCandidate[],
  opts: { dismissedPairs?: Iterable<readonly [string, string]> } = {},
): DuplicateSuspect[] {
  const prepared = nodes.map(prepare);
  const dismissed = new Set([...(opts.dismissedPairs ?? [])].map(([a, b]) => pairKey(a, b)));
  const pairs = new Map<string, [Prepared, Prepared]>();
  const propose = (group: readonly Prepared[], max: number) => {
    if (group.length < 2 || group.length > max) return;
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        const a = group[i] as Prepared;
        const b = group[j] as Prepared;
        const key = pairKey(a.node.nodeId, b.node.nodeId);
        if (a.node.nodeId !== b.node.nodeId && !dismissed.has(key)) pairs.set(key, [a, b]);
      }
    }
  };
  for (const kind of ["machine-id", "mac", "hostname", "ip"] as const) {
    for (const group of bucket(prepared, (p) => p.ids[kind]).values()) propose(group, MAX_IDENTITY_BUCKET);
  }
  for (const group of bucket(prepared, (p) => [p.name.base]).values()) propose(group, MAX_NAME_BUCKET);
  for (const group of bucket(prepared, (p) => (p.contact ? [p.contact] : [])).values()) propose(group, MAX_CONTACT_BUCKET);

  const out: DuplicateSuspect[] = [];
  for (const [a, b] of pairs.values()) {
    const suspect = judgePair(a, b);
    if (suspect) out.push(suspect);
  }
  return out.sort((x, y) => y.score - x.score || x.names[0].localeCompare(y.names[0]));
}

function judgePair(a: Prepared, b: Prepared): DuplicateSuspect | null {
  const evidence: DuplicateEvidence[] = [];
  const add = (kind: DuplicateEvidenceKind, detail: string) => evidence.push({ kind, detail, weight: WEIGHT[kind] });
  // One agent reporting both nodes now: one machine's several nodes, on purpose.
  const sideBySide = a.node.currentMachineId != null && a.node.currentMachineId === b.node.currentMachineId;
  if (!sideBySide) {
    const labels = { "machine-id": "machine id", mac: "MAC address", hostname: "hostname", ip: "IP address" } as const;
    for (const kind of ["machine-id", "mac", "hostname", "ip"] as const) {
      const shared = [...a.ids[kind]].filter((v) => b.ids[kind].has(v));
      if (shared.length > 0) add(kind, `both seen with ${labels[kind]} ${shared.slice(0, 3).join(", ")}`);
    }
  }
  const names = nameMatch(a.name, b.name);
  if (names) add("name", `${a.node.name} and ${b.node.name}: ${names}`);
  if (a.contact && a.contact === b.contact) add("contact", `the same owner/contact, ${a.node.contact}`);

  const twin = twinOf(a.node, b.node) ?? twinOf(b.node, a.node);
  if (twin?.aligned) {
    add(
      "twin-pattern",
      `${twin.live.name} completes while ${twin.dead.name} has only missed since ${twin.dead.missingSince?.toISOString().slice(0, 10)}, about when ${twin.live.name} appeared`,
    );
  }
  const kinds = new Set(evidence.map((e) => e.kind));
  const identity = kinds.has("machine-id") || kinds.has("mac") || kinds.has("hostname");
  if (!identity && !kinds.has("name") && !kinds.has("twin-pattern")) return null;
  if (!identity && !kinds.has("name") && !kinds.has("ip") && !kinds.has("contact")) return null;

  evidence.sort((x, y) => y.weight - x.weight);
  // Name evidence alone does not say which twin died: LAPTOP may just be on holiday.
  const deadNodeId = twin && (twin.aligned || identity) ? twin.dead.nodeId : null;
  return {
    nodeIds: [a.node.nodeId, b.node.nodeId],
    names: [a.node.name, b.node.name],
    score: evidence.reduce((s, e) => s + e.weight, 0),
    evidence,
    deadNodeId,
  };
}

/** `dead` only misses while `live` completes after the misses began; `aligned` when they began about when `live` appeared. */
function twinOf(
  dead: DuplicateCandidate,
  live: DuplicateCandidate,
): { dead: DuplicateCandidate; live: DuplicateCandidate; aligned: boolean } | null {
  if (!dead.missingSince || live.missingSince || !live.lastCompletedAt) return null;
  if (live.lastCompletedAt.getTime() <= dead.missingSince.getTime()) return null;
  if (dead.lastCompletedAt && dead.lastCompletedAt.getTime() >= live.lastCompletedAt.getTime()) return null;
  const aligned = live.firstSeenAt !== null && Math.abs(dead.missingSince.getTime() - live.firstSeenAt.getTime()) <= TWIN_TOLERANCE_MS;
  return { dead, live, aligned };
}

function prepare(node: DuplicateCandidate): Prepared {
  const set = (values: readonly string[] | undefined, norm: (v: string) => string | null) =>
    new Set((values ?? []).map(norm).filter((v): v is string => v !== null));
  return {
    node,
    name: normaliseNodeName(node.name),
    ids: {
      "machine-id": set(node.identity.machineIds, (v) => v.trim().toLowerCase() || null),
      mac: set(node.identity.macAddresses, normaliseMac),
      hostname: set(node.identity.hostnames, normaliseHostname),
      ip: set(node.identity.ipAddresses, normaliseIp),
    },
    contact: node.contact?.trim().toLowerCase() || null,
  };
}

/** 12 hex digits, or null for addresses that identify no machine: all zeros, broadcast, multicast, locally administered (VMs, containers, VPNs). */
export function normaliseMac(mac: string): string | null {
  const hex = mac.toLowerCase().replace(/[^0-9a-f]/g, "");
  if (hex.length !== 12 || /^0+$/.test(hex) || /^f+$/.test(hex)) return null;
  const first = Number.parseInt(hex.slice(0, 2), 16);
  return first & 0b11 ? null : hex;
}

/** The first label, lower case; null for names every machine has. */
export function normaliseHostname(host: string): string | null {
  const label = host.trim().toLowerCase().split(".")[0] ?? "";
  return label === "" || label === "localhost" ? null : label;
}

/** Null for loopback, unspecified and link-local addresses: they say nothing about the machine. */
export function normaliseIp(ip: string): string | null {
  const v = ip.trim().toLowerCase();
  if (v === "" || v === "0.0.0.0" || v === "::" || v === "::1" || v.startsWith("127.") || v.startsWith("169.254.") || v.startsWith("fe80:"))
    return null;
  return v;
}

function bucket(items: readonly Prepared[], keys: (p: Prepared) => Iterable<string>): Map<string, Prepared[]> {
  const map = new Map<string, Prepared[]>();
  for (const p of items) {
    for (const key of keys(p)) {
      const list = map.get(key) ?? [];
      map.set(key, list);
      list.push(p);
    }
  }
  return map;
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}
