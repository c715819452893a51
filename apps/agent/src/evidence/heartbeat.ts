import { type Heartbeat, isTimeZone, type NextScheduled } from "@fleetwatch/core/schemas";
import type { WatchedNode } from "../config/agent-config";
import { type SchedulerProcess, schedulerFor, schedulerOf } from "./probes";

/** What the heartbeat maker asks of the machine; the daemon passes real probes, tests pass fakes. */
export interface Machine {
  now(): Date;
  /** A clock that stops while the machine sleeps (performance.now / CLOCK_MONOTONIC). */
  monotonicMs(): number;
  uptimeSeconds(): number;
  tcp(host: string, port: number): Promise<boolean>;
  processes(): Promise<string[]>;
  checkDomains(entries: string[]): Promise<NonNullable<Heartbeat["domains"]>>;
  /** The machine's IANA time zone (Intl's), or null when it has none the server would know. */
  timeZone?(): string | null;
}

export interface NodeFacts {
  node: WatchedNode;
  /** Serves schedulers that name no stanza or options file. */
  isDefault: boolean;
  nextScheduled: NextScheduled[];
  clientVersion: string | null;
}

export interface AgentFacts {
  spoolBytes: number;
  lastError: string | null;
  spoolGap: Heartbeat["spoolGap"];
  fullResync: Heartbeat["fullResync"];
  agentVersion: string;
}

/** Less than this between the two clocks is timer noise, not sleep. */
const JUMP_NOISE_S = 30;

const localNow = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);

/**
 * Heartbeats: the evidence the server uses to say why a window was MISSED. On (the beat came),
 * asleep (the wall clock ran ahead of the monotonic one, which stops in sleep), off the network
 * (the TSM server does not answer a TCP connect), scheduler down (no dsmcad / dsmc sched / service).
 */
export class Heartbeats {
  private last: { wall: number; mono: number } | null = null;

  constructor(private readonly machine: Machine) {}

  async make(nodes: NodeFacts[], agent: AgentFacts): Promise<Heartbeat[]> {
    const m = this.machine;
    const now = m.now();
    const mono = m.monotonicMs();
    let jump: number | null = null;
    if (this.last) {
      const ahead = (now.getTime() - this.last.wall - (mono - this.last.mono)) / 1000;
      jump = ahead > JUMP_NOISE_S ? Math.round(ahead) : 0;
    }
    this.last = { wall: now.getTime(), mono };
    const bootedAt = new Date(now.getTime() - m.uptimeSeconds() * 1000).toISOString();
    const procs = await m.processes().then(
      (list) => list.map(schedulerOf).filter((p): p is SchedulerProcess => p !== null),
      () => null,
    );
    const probes = new Map<string, Promise<boolean>>();
    const local = localNow(now);
    // A zone the server's Intl would refuse is left out rather than losing the whole heartbeat.
    const zone = m.timeZone?.() ?? null;
    const timeZone = zone && isTimeZone(zone) ? zone : null;
    return Promise.all(
      nodes.map(async ({ node, isDefault, nextScheduled, clientVersion }) => {
        const address = node.serverAddress ? `${node.serverAddress}:${node.serverPort ?? 1500}` : null;
        if (address && !probes.has(address)) probes.set(address, m.tcp(node.serverAddress!, node.serverPort ?? 1500));
        const scheduler = procs ? schedulerFor(procs, { stanza: node.stanza, optionsFile: node.optionsFile, isDefault }) : null;
        const beat: Heartbeat = {
          node: node.node,
          at: now.toISOString(),
          bootedAt,
          clockJumpSeconds: jump,
          serverReachable: address ? await probes.get(address)! : null,
          schedulerRunning: procs ? scheduler !== null : null,
          nextScheduled: nextScheduled.filter((n) => n.windowStart >= local).slice(0, 64),
          spoolBytes: agent.spoolBytes,
          lastError: agent.lastError ? agent.lastError.slice(0, 512) : null,
          schedulerKind: scheduler?.kind ?? null,
          clientVersion,
          serverAddress: address,
          passwordAccess: node.passwordAccess,
          domains: node.domains.length ? await m.checkDomains(node.domains) : [],
          spoolGap: agent.spoolGap,
          fullResync: agent.fullResync,
          agentVersion: agent.agentVersion,
          timeZone,
        };
        return beat;
      }),
    );
  }
}
