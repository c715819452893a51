import { createServer } from "node:net";
import { heartbeat } from "@fleetwatch/core/schemas";
import { describe, expect, it } from "vitest";
import type { WatchedNode } from "../config/agent-config";
import { nodeFsys } from "../fsys";
import { type AgentFacts, Heartbeats, type Machine } from "./heartbeat";
import { checkDomains, schedulerFor, schedulerOf, tcpReachable } from "./probes";

const node = (over: Partial<WatchedNode> = {}): WatchedNode => ({
  node: "CHEM-SRV001",
  schedLog: "/var/log/dsmsched.log",
  errorLog: null,
  serverAddress: null,
  serverPort: null,
  dateFormat: "auto",
  numberFormat: "auto",
  passwordAccess: "generate",
  domains: [],
  stanza: "TSM1",
  optionsFile: "/opt/tivoli/tsm/client/ba/bin/dsm.sys",
  ...over,
});
const agent: AgentFacts = { spoolBytes: 0, lastError: null, spoolGap: null, fullResync: null, agentVersion: "t" };

function machine(over: Partial<Machine> = {}) {
  let wall = Date.parse("2024-03-20T01:00:00Z");
  let mono = 1000;
  const m: Machine & { advance(wallMs: number, monoMs: number): void } = {
    now: () => new Date(wall),
    monotonicMs: () => mono,
    uptimeSeconds: () => 3600,
    tcp: async () => true,
    processes: async () => [],
    checkDomains: async () => [],
    advance(w, mm) {
      wall += w;
      mono += mm;
    },
    ...over,
  };
  return m;
}

describe("Heartbeats", () => {
  it("says the machine slept when the wall clock ran ahead of the monotonic one", async () => {
    const m = machine();
    const beats = new Heartbeats(m);
    expect(
      (await beats.make([{ node: node(), isDefault: true, nextScheduled: [], clientVersion: null }], agent))[0]!.clockJumpSeconds,
    ).toBeNull();
    m.advance(300_000, 299_990); // five minutes awake
    expect(
      (await beats.make([{ node: node(), isDefault: true, nextScheduled: [], clientVersion: null }], agent))[0]!.clockJumpSeconds,
    ).toBe(0);
    m.advance(3 * 3600_000, 300_000); // three hours later, five minutes of them awake
    const [beat] = await beats.make([{ node: node(), isDefault: true, nextScheduled: [], clientVersion: null }], agent);
    expect(beat!.clockJumpSeconds).toBe(3 * 3600 - 300);
    expect(beat!.bootedAt).toBe("2024-03-20T03:05:00.000Z");
  });

  it("reports server reachability, the scheduler, the next windows and the DOMAIN check per node", async () => {
    const m = machine({
      tcp: async (host) => host === "tsm1.example",
      processes: async () => ["/usr/bin/dsmcad -se=TSM1", "/opt/tivoli/tsm/client/ba/bin/dsmc sched -se=TSM2", "bash"],
      checkDomains: async (d) => d.map((name) => ({ name, ok: name === "/", reason: name === "/" ? null : "does not exist" })),
    });
    const beats = await new Heartbeats(m).make(
      [
        {
          node: node({ serverAddress: "tsm1.example", serverPort: 1500, domains: ["/", "/data"] }),
          isDefault: true,
          nextScheduled: [
            { schedule: "DAILY", action: "Incremental", windowStart: "2020-01-01T00:00:00" },
            { schedule: "DAILY", action: "Incremental", windowStart: "2099-01-01T00:00:00" },
          ],
          clientVersion: "8.1.13.0",
        },
        {
          node: node({ node: "B", stanza: "TSM2", serverAddress: "tsm2.example" }),
          isDefault: false,
          nextScheduled: [],
          clientVersion: null,
        },
        { node: node({ node: "C", stanza: "TSM3" }), isDefault: false, nextScheduled: [], clientVersion: null },
      ],
      { ...agent, spoolBytes: 1234, lastError: "disk full" },
    );
    expect(beats[0]).toMatchObject({
      serverReachable: true,
      schedulerRunning: true,
      schedulerKind: "dsmcad",
      serverAddress: "tsm1.example:1500",
      clientVersion: "8.1.13.0",
      nextScheduled: [{ windowStart: "2099-01-01T00:00:00" }],
      domains: [
        { name: "/", ok: true, reason: null },
        { name: "/data", ok: false, reason: "does not exist" },
      ],
      spoolBytes: 1234,
      lastError: "disk full",
    });
    expect(beats[1]).toMatchObject({ serverReachable: false, schedulerRunning: true, schedulerKind: "dsmc-sched" });
    expect(beats[2]).toMatchObject({ serverReachable: null, schedulerRunning: false, schedulerKind: null });
  });

  it("carries the machine's IANA time zone, and leaves out one the server would refuse", async () => {
    const facts = [{ node: node(), isDefault: true, nextScheduled: [], clientVersion: null }];
    const [beat] = await new Heartbeats(machine({ timeZone: () => "Europe/London" })).make(facts, agent);
    expect(beat?.timeZone).toBe("Europe/London");
    expect(heartbeat.safeParse(beat).success).toBe(true);
    const [odd] = await new Heartbeats(machine({ timeZone: () => "Mars/Olympus_Mons" })).make(facts, agent);
    expect(odd?.timeZone).toBeNull();
    expect(heartbeat.safeParse(odd).success).toBe(true);
  });
});

describe("probes", () => {
  it("recognises the TSM schedulers on every OS", () => {
    expect(schedulerOf("/opt/tivoli/tsm/client/ba/bin/dsmcad")?.kind).toBe("dsmcad");
    expect(schedulerOf("dsmc\0schedule\0-optfile=/etc/tsm/dsm.opt")?.kind).toBe("dsmc-sched");
    expect(schedulerOf("dsmc sched")?.kind).toBe("dsmc-sched");
    expect(schedulerOf("dsmc incremental")).toBeNull();
    expect(schedulerOf("C:\\Program Files\\Tivoli\\TSM\\baclient\\dsmcsvc.exe")?.kind).toBe("windows-service");
    expect(schedulerOf("vim dsmcad.log")).toBeNull();
  });

  it("tells which scheduler serves which node", () => {
    const procs = ["dsmcad -optfile=/etc/a.opt", "dsmc sched"].map((c) => schedulerOf(c)!);
    expect(schedulerFor(procs, { stanza: null, optionsFile: "/etc/a.opt", isDefault: false })?.args).toContain("a.opt");
    expect(schedulerFor(procs, { stanza: "X", optionsFile: "/etc/b.opt", isDefault: true })?.args).toBe("dsmc sched");
    expect(schedulerFor(procs, { stanza: "X", optionsFile: "/etc/b.opt", isDefault: false })).toBeNull();
  });

  it("connects to a listening TSM server port, and gives up on a closed one within its deadline", async () => {
    const server = createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as { port: number };
    expect(await tcpReachable("127.0.0.1", port)).toBe(true);
    server.close();
    const started = Date.now();
    expect(await tcpReachable("127.0.0.1", port, 1000)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("checks DOMAIN entries: a mount point is a file system, a plain directory is not", async () => {
    const result = await checkDomains(["/", "/proc", "/etc", "/no/such/dir", "ALL-LOCAL", "-/tmp"], "linux", nodeFsys);
    expect(result).toEqual([
      { name: "/", ok: true, reason: null },
      { name: "/proc", ok: true, reason: null },
      { name: "/etc", ok: false, reason: "a directory, not a file system (mount point)" },
      { name: "/no/such/dir", ok: false, reason: "does not exist" },
    ]);
  });
});
