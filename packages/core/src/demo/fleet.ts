import { pick, seededRandom } from "./random";

/** What happened on one night for one node, as the demo fleet plays it. */
export type DemoNight =
  | { kind: "completed"; failedObjects: number }
  | { kind: "failed"; reason: "files-changed" | "invalid-domain" | "out-of-memory" | "corrupt-files" | "sign-off-only" | "node-locked" }
  | { kind: "severed" }
  | { kind: "aborted" }
  | { kind: "missed" }
  | { kind: "in-progress" };

export interface DemoNode {
  name: string;
  hostname: string;
  machineId: string;
  os: "linux" | "win32" | "darwin";
  macAddresses: string[];
  contact: string;
  schedule: string;
  /** Window start, local time of day. */
  startHour: number;
  utcOffsetMinutes: number;
  dateFormat: "DD-MM-YYYY" | "MM/DD/YYYY" | "YYYY-MM-DD" | "DD.MM.YYYY";
  /** Oldest first; one per night ending on `lastNight`. */
  nights: DemoNight[];
  /** Index of the first night the node existed (a rebuilt machine's new node starts late). */
  activeFrom: number;
  /** For the old half of a duplicate pair: the node that replaced it. */
  replacedBy: string | null;
  /**
   * A machine retired without deregistering its node: its log ends this many days before the
   * newest night (RETIRED_RUNS nights of backups before that), and every night since is missed.
   */
  retiredDaysAgo: number | null;
}

/** How many nights a retired demo machine backed up before it went. */
export const RETIRED_RUNS = 14;
/** The demo's retired machine: the node at this place in the fleet, silent 72 days (the stale ladder's second step). */
const RETIRED_AT = 26;
const RETIRED_DAYS = 72;

export interface DemoFleetOptions {
  nodes: number;
  nights: number;
  seed?: number;
  /** Local date (YYYY-MM-DD) of the newest night. */
  lastNight: string;
}

const depts = ["CHEM", "PHYS", "HIST", "MATHS", "LAW", "MED", "ENG", "BIO", "ECON", "MUSIC", "GEOG", "CS"];
const schedules = [
  { name: "WEEKDAILY_OUCS", hour: 0 },
  { name: "NIGHTLY_2200", hour: 22 },
  { name: "DAILY_INCR", hour: 20 },
];

/**
 * A deterministic fleet with every outcome: mostly healthy nodes, some with habits (open files,
 * sleeping laptops, a locked node, a bad DOMAIN), a few duplicate pairs whose dead twin only
 * misses. The same code makes `pnpm start`'s demo and the benchmarks' large fleets.
 */
export function generateDemoFleet(opts: DemoFleetOptions): DemoNode[] {
  const rand = seededRandom(opts.seed ?? 20080130);
  const nodes: DemoNode[] = [];
  for (let i = 0; nodes.length < opts.nodes; i++) {
    const dept = depts[i % depts.length] as string;
    const os = pick(rand, ["linux", "win32", "win32", "darwin"] as const);
    const sched = pick(rand, schedules);
    const name = `${dept}-${os === "win32" ? "PC" : os === "darwin" ? "MAC" : "SRV"}${String(i + 1).padStart(3, "0")}`;
    const habit = habitFor(i, rand);
    const node: DemoNode = {
      name,
      hostname: name.toLowerCase(),
      machineId: hex(rand, 32),
      os,
      macAddresses: [mac(rand)],
      contact: `${dept.toLowerCase()}-it@example.ac.uk`,
      schedule: sched.name,
      startHour: sched.hour,
      utcOffsetMinutes: 0,
      dateFormat: pick(rand, ["DD-MM-YYYY", "DD-MM-YYYY", "MM/DD/YYYY", "YYYY-MM-DD", "DD.MM.YYYY"] as const),
      nights: Array.from({ length: opts.nights }, (_, n) => nightFor(habit, n, opts.nights, rand)),
      activeFrom: 0,
      replacedBy: null,
      retiredDaysAgo: null,
    };
    // Decided after the random draws, so every other node stays as it was.
    if (i === RETIRED_AT) {
      node.retiredDaysAgo = RETIRED_DAYS;
      node.nights = node.nights.map(() => ({ kind: "missed" as const }));
    }
    nodes.push(node);
    // Every tenth node's machine was rebuilt under a new node name: the old registration
    // lingers and only misses from the rebuild on, the typical duplicate pair.
    if (i % 10 === 1 && nodes.length < opts.nodes) {
      const rebuilt = Math.floor(opts.nights * 0.6);
      const successor: DemoNode = {
        ...node,
        name: `${name}-NEW`,
        machineId: hex(rand, 32),
        nights: node.nights.map(() => ({ kind: "completed" as const, failedObjects: 0 })),
        activeFrom: rebuilt,
      };
      node.nights = node.nights.map((_night, n) =>
        n < rebuilt ? { kind: "completed" as const, failedObjects: 0 } : { kind: "missed" as const },
      );
      node.replacedBy = successor.name;
      nodes.push(successor);
    }
  }
  return nodes;
}

type Habit = "healthy" | "open-files" | "sleepy" | "locked" | "bad-domain" | "flaky-network" | "crashed" | "signoff";

function habitFor(i: number, rand: () => number): Habit {
  const fixed: Habit[] = ["healthy", "open-files", "sleepy", "locked", "bad-domain", "flaky-network", "crashed", "signoff"];
  if (i < fixed.length) return fixed[i] as Habit;
  return rand() < 0.6 ? "healthy" : pick(rand, fixed);
}

function nightFor(habit: Habit, n: number, total: number, rand: () => number): DemoNight {
  const last = n === total - 1;
  const r = rand();
  switch (habit) {
    case "healthy":
      return r < 0.03 ? { kind: "failed", reason: "files-changed" } : { kind: "completed", failedObjects: 0 };
    case "open-files":
      return r < 0.4 ? { kind: "failed", reason: "files-changed" } : { kind: "completed", failedObjects: r < 0.6 ? 2 : 0 };
    case "sleepy":
      return r < 0.45 || last ? { kind: "missed" } : { kind: "completed", failedObjects: 0 };
    case "locked":
      return n >= total - 5 ? { kind: "failed", reason: "node-locked" } : { kind: "completed", failedObjects: 0 };
    case "bad-domain":
      return n >= total - 8 ? { kind: "failed", reason: "invalid-domain" } : { kind: "completed", failedObjects: 0 };
    case "flaky-network":
      return r < 0.3
        ? { kind: "severed" }
        : r < 0.35
          ? { kind: "failed", reason: "out-of-memory" }
          : { kind: "completed", failedObjects: 0 };
    case "crashed":
      if (last) return { kind: "in-progress" };
      return r < 0.2
        ? { kind: "aborted" }
        : r < 0.25
          ? { kind: "failed", reason: "corrupt-files" }
          : { kind: "completed", failedObjects: 0 };
    case "signoff":
      return r < 0.5 ? { kind: "failed", reason: "sign-off-only" } : { kind: "completed", failedObjects: 0 };
  }
}

function hex(rand: () => number, length: number): string {
  let out = "";
  while (out.length < length) out += Math.floor(rand() * 16).toString(16);
  return out;
}

function mac(rand: () => number): string {
  return Array.from({ length: 6 }, () =>
    Math.floor(rand() * 256)
      .toString(16)
      .padStart(2, "0"),
  ).join(":");
}
