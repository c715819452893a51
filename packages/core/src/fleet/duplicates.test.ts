import { describe, expect, it } from "vitest";
import { type DemoNode, generateDemoFleet } from "../demo/fleet";
import { type DuplicateCandidate, findDuplicateSuspects, normaliseMac } from "./duplicates";

const day = (n: number) => new Date(Date.UTC(2026, 0, n, 22));
let seq = 0;
const node = (name: string, over: Partial<DuplicateCandidate> = {}): DuplicateCandidate => ({
  nodeId: `id-${name}-${seq++}`,
  name,
  contact: null,
  identity: {},
  firstSeenAt: day(1),
  lastCompletedAt: day(30),
  missingSince: null,
  ...over,
});

describe("findDuplicateSuspects", () => {
  it("pairs two node names reported from one machine id, strongest evidence first", () => {
    const a = node("CHEM-PC7", { identity: { machineIds: ["A1B2"], ipAddresses: ["10.0.0.7"] } });
    const b = node("CHEM-LAPTOP", { identity: { machineIds: ["a1b2 "], ipAddresses: ["10.0.0.7"] } });
    const [s, ...rest] = findDuplicateSuspects([a, b, node("OTHER")]);
    expect(rest).toEqual([]);
    expect(s?.nodeIds).toEqual([a.nodeId, b.nodeId]);
    expect(s?.evidence.map((e) => e.kind)).toEqual(["machine-id", "ip"]);
    expect(s?.score).toBe(120);
    expect(s?.deadNodeId).toBeNull();
  });

  it("matches MAC addresses however they are written, and hostnames with or without their domain", () => {
    const a = node("X1", { identity: { macAddresses: ["00-1A-2B-3C-4D-5E"], hostnames: ["ws42.chem.ox.ac.uk"] } });
    const b = node("Y9", { identity: { macAddresses: ["00:1a:2b:3c:4d:5e"], hostnames: ["WS42"] } });
    expect(findDuplicateSuspects([a, b])[0]?.evidence.map((e) => e.kind)).toEqual(["mac", "hostname"]);
  });

  it("ignores MACs and addresses that identify no machine", () => {
    expect(normaliseMac("02:42:ac:11:00:02")).toBeNull();
    expect(normaliseMac("00:00:00:00:00:00")).toBeNull();
    expect(normaliseMac("00:1a:2b:3c:4d:5e")).toBe("001a2b3c4d5e");
    const a = node("X1", { identity: { macAddresses: ["02:42:ac:11:00:02"], hostnames: ["localhost"], ipAddresses: ["127.0.0.1"] } });
    const b = node("Y9", {
      identity: { macAddresses: ["02:42:ac:11:00:02"], hostnames: ["localhost.localdomain"], ipAddresses: ["127.0.0.1"] },
    });
    expect(findDuplicateSuspects([a, b])).toEqual([]);
  });

  it("pairs names that are equal after taking off a suffix, with no shared identity", () => {
    const [s] = findDuplicateSuspects([node("CHEM-PC7"), node("chem_pc7-old")]);
    expect(s?.evidence).toEqual([{ kind: "name", weight: 50, detail: "CHEM-PC7 and chem_pc7-old: the same name plus the suffix OLD" }]);
  });

  it("marks the dead twin of the typical pair: one completes nightly, the other only misses since it appeared", () => {
    const old = node("HIST-PC3", { lastCompletedAt: day(9), missingSince: day(10), identity: { hostnames: ["hist-pc3"] } });
    const rebuilt = node("HIST-PC3-NEW", { firstSeenAt: day(10), lastCompletedAt: day(30), identity: { hostnames: ["hist-pc3"] } });
    const [s] = findDuplicateSuspects([rebuilt, old]);
    expect(s?.deadNodeId).toBe(old.nodeId);
    expect(s?.evidence.map((e) => e.kind)).toEqual(["hostname", "name", "twin-pattern"]);
    expect(s?.evidence[2]?.detail).toMatch(/HIST-PC3 has only missed since 2026-01-10/);
  });

  it("does not call a node dead on a name match when its misses are only a holiday", () => {
    const away = node("LAPTOP", { firstSeenAt: day(1), lastCompletedAt: day(27), missingSince: day(28) });
    const other = node("LAPTOP2", { firstSeenAt: new Date(Date.UTC(2025, 0, 1)), lastCompletedAt: day(30) });
    const [s] = findDuplicateSuspects([away, other]);
    expect(s?.evidence.map((e) => e.kind)).toEqual(["name"]);
    expect(s?.deadNodeId).toBeNull();
  });

  it("names the dead twin when the machine identity is shared, whenever its misses began", () => {
    const old = node("A", { lastCompletedAt: day(2), missingSince: day(3), identity: { machineIds: ["m1"] } });
    const live = node("B", { firstSeenAt: day(25), identity: { machineIds: ["m1"] } });
    expect(findDuplicateSuspects([old, live])[0]?.deadNodeId).toBe(old.nodeId);
  });

  it("leaves alone the several nodes one agent reports side by side", () => {
    const shared = { machineIds: ["m1"], hostnames: ["srv1"] };
    const fs = node("SRV1", { identity: shared, currentMachineId: "m1" });
    const sql = node("SRV1_SQL", { identity: shared, currentMachineId: "m1" });
    expect(findDuplicateSuspects([fs, sql])).toEqual([]);
  });

  it("takes a shared owner alone as no evidence, but with the twin pattern as a suspect", () => {
    const a = node("ALPHA", { contact: "J.Smith@Example.ac.uk" });
    const b = node("OMEGA", { contact: "j.smith@example.ac.uk" });
    expect(findDuplicateSuspects([a, b])).toEqual([]);
    const dead = { ...b, lastCompletedAt: day(9), missingSince: day(10) };
    const live = { ...a, firstSeenAt: day(10) };
    const [s] = findDuplicateSuspects([dead, live]);
    expect(s?.evidence.map((e) => e.kind)).toEqual(["twin-pattern", "contact"]);
    expect(s?.deadNodeId).toBe(dead.nodeId);
  });

  it("does not pair nodes through a contact a whole department shares, or an address many nodes share", () => {
    const dept = Array.from({ length: 10 }, (_, i) =>
      node(`N${i}X`, { contact: "chem-it@example.ac.uk", identity: { ipAddresses: ["192.168.1.1"] } }),
    );
    dept[0] = { ...(dept[0] as DuplicateCandidate), lastCompletedAt: day(9), missingSince: day(10) };
    dept[1] = { ...(dept[1] as DuplicateCandidate), firstSeenAt: day(10) };
    expect(findDuplicateSuspects(dept)).toEqual([]);
  });

  it("leaves out pairs staff dismissed, either way round", () => {
    const a = node("CHEM-PC7");
    const b = node("CHEM-PC7-OLD");
    expect(findDuplicateSuspects([a, b], { dismissedPairs: [[b.nodeId, a.nodeId]] })).toEqual([]);
  });

  it("ranks pairs by the strength of their evidence", () => {
    const byName = [node("PHYS-PC1-OLD"), node("PHYS-PC1")];
    const byMachine = [
      node("P", { identity: { machineIds: ["m9"], macAddresses: ["00:11:22:33:44:55"] } }),
      node("Q", { identity: { machineIds: ["m9"] } }),
    ];
    expect(findDuplicateSuspects([...byName, ...byMachine]).map((s) => s.names)).toEqual([
      ["P", "Q"],
      ["PHYS-PC1-OLD", "PHYS-PC1"],
    ]);
  });

  it("finds every rebuilt machine's pair in a 20,000-node demo fleet, and only those, quickly", () => {
    const fleet = generateDemoFleet({ nodes: 20_000, nights: 30, lastNight: "2026-01-30" });
    const candidates = fleet.map(fromDemo);
    const started = performance.now();
    const suspects = findDuplicateSuspects(candidates);
    const elapsed = performance.now() - started;
    const planted = fleet.filter((n) => n.replacedBy);
    expect(planted.length).toBeGreaterThan(1000);
    expect(suspects).toHaveLength(planted.length);
    const dead = new Set(suspects.map((s) => s.deadNodeId));
    for (const old of planted) expect(dead.has(old.name)).toBe(true);
    expect(elapsed).toBeLessThan(3000);
  });
});

/** A demo node as the server would know it: nights oldest first, one per night ending 2026-01-30. */
function fromDemo(n: DemoNode): DuplicateCandidate {
  const night = (i: number) => new Date(Date.UTC(2026, 0, 30 - (n.nights.length - 1 - i), n.startHour));
  let lastCompleted: number | null = null;
  let missingFrom: number | null = null;
  n.nights.forEach((x, i) => {
    if (i < n.activeFrom) return;
    if (x.kind === "missed") missingFrom ??= i;
    else missingFrom = null;
    if (x.kind === "completed") lastCompleted = i;
  });
  return {
    nodeId: n.name,
    name: n.name,
    contact: n.contact,
    identity: { machineIds: [n.machineId], macAddresses: n.macAddresses, hostnames: [n.hostname] },
    firstSeenAt: night(n.activeFrom),
    lastCompletedAt: lastCompleted === null ? null : night(lastCompleted),
    missingSince: missingFrom === null ? null : night(missingFrom),
  };
}
