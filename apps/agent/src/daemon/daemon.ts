import { uptime } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { Exec } from "../collector/dsmadmc";
import type { WatchedNode } from "../config/agent-config";
import type { AgentConfig } from "../config/load";
import { type Credential, saveCredential } from "../credential";
import { Heartbeats, type Machine } from "../evidence/heartbeat";
import { checkDomains, processLister, tcpReachable } from "../evidence/probes";
import type { Fsys } from "../fsys";
import { createServerClient, type ServerClient } from "../http";
import type { Logger } from "../log";
import { readMachineIdentity } from "../machine";
import { sleep } from "../ship/backoff";
import { RejectedFile } from "../ship/rejected-file";
import { Shipper } from "../ship/shipper";
import { CollectorRunner } from "./collector-runner";
import { type BeatSchedule, scheduleBeats } from "./heartbeat-schedule";
import { forceFullResync, type Recovered, recoverState } from "./recover";
import { StatusFile } from "./status-file";
import { Tailer } from "./tailer";

export interface DaemonOptions {
  config: AgentConfig;
  credential: Credential;
  fs: Fsys;
  log: Logger;
  version: string;
  machine?: Partial<Machine>;
  client?: ServerClient;
  random?: () => number;
  /** How long shutdown may spend shipping what is left. */
  flushMs?: number;
  /** Backoff tuning (tests shorten it). */
  backoff?: { baseMs: number; capMs: number };
  /** How the collector runs dsmadmc (tests may pass their own). */
  exec?: Exec;
  /** The clock: every time the daemon reads or writes comes from here. */
  now?: () => Date;
}

/**
 * The daemon: tails every node's logs into the spool, beats on a cron schedule, ships the spool.
 * Lifecycle is explicit: `start()` recovers the state folder and starts all three; `stop()` stops
 * the cron job and the reader, ships what it can within a deadline, stores the cursors and closes
 * the HTTP pool. Nothing is lost if it is killed instead: that is what the spool and cursors are for.
 */
export class Daemon {
  private rec!: Recovered;
  private tailer!: Tailer;
  private shipper!: Shipper;
  private client!: ServerClient;
  private beats!: Heartbeats;
  private task: BeatSchedule | null = null;
  private readonly stopping = new AbortController();
  private polling: Promise<void> = Promise.resolve();
  private shipping: Promise<void> = Promise.resolve();
  private wakePoll: (() => void) | null = null;
  private readonly now: () => Date;
  private readonly startedAt: Date;
  private resyncing: Promise<void> | null = null;
  private status!: StatusFile;
  private collector!: CollectorRunner;

  constructor(private o: DaemonOptions) {
    this.now = o.now ?? (() => new Date());
    this.startedAt = this.now();
  }

  async start(): Promise<void> {
    const { config, fs, log } = this.o;
    const now = this.now;
    this.status = new StatusFile(fs, config.stateDir, now);
    this.rec = await recoverState(config.stateDir, fs, { spoolMaxBytes: config.settings.spoolMaxBytes, log, now });
    this.client =
      this.o.client ??
      createServerClient({
        server: this.o.credential.server,
        token: this.o.credential.token,
        timeoutMs: config.settings.requestTimeoutSeconds * 1000,
      });
    this.tailer = new Tailer(fs, this.rec.spool, this.rec.store, this.rec.state, log, () => this.shipper.wake(), now);
    for (const node of config.nodes) await this.tailer.add(node);
    await this.tailer.saveState();
    const platform = process.platform;
    this.beats = new Heartbeats({
      now,
      monotonicMs: () => performance.now(),
      uptimeSeconds: uptime,
      tcp: (host, port) => tcpReachable(host, port),
      processes: processLister(platform, fs),
      checkDomains: (entries) => checkDomains(entries, platform, fs),
      timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone ?? null,
      ...this.o.machine,
    });
    this.shipper = new Shipper({
      spool: this.rec.spool,
      client: this.client,
      store: this.rec.store,
      rejected: await RejectedFile.open(fs, config.stateDir),
      machine: () => readMachineIdentity(this.clientVersion()),
      log,
      now,
      startupJitterMs: config.settings.startupJitterSeconds * 1000,
      random: this.o.random,
      backoffBaseMs: this.o.backoff?.baseMs,
      backoffCapMs: this.o.backoff?.capMs,
    });
    log.info("fleetwatch-agent started", {
      version: this.o.version,
      nodes: config.nodes.map((n) => n.node).join(","),
      server: this.o.credential.server,
      stateDir: config.stateDir,
      spoolRecords: this.rec.spool.count,
    });
    this.polling = this.pollLoop();
    this.shipping = this.shipper.run(this.stopping.signal);
    this.task = scheduleBeats(config.settings.heartbeatCron, () => this.beat());
    this.collector = new CollectorRunner({
      client: this.client,
      fs,
      log,
      now,
      random: this.o.random,
      exec: this.o.exec,
      stopping: this.stopping.signal,
    });
    this.collector.start(config.settings.collector, config.settings.startupJitterSeconds);
    await this.beat();
  }

  /** SIGINT/SIGTERM: stop the cron job, stop reading, flush the spool, store cursors, close the pool. */
  async stop(): Promise<void> {
    if (this.stopping.signal.aborted) return;
    const { log } = this.o;
    log.info("stopping");
    await this.task?.destroy();
    this.stopping.abort();
    await this.collector.stop();
    this.wakePoll?.();
    await this.polling;
    await this.shipping;
    const flushed = await this.shipper.flush(this.now().getTime() + (this.o.flushMs ?? 5000));
    await this.tailer.saveState();
    await this.writeStatus(true);
    for (const node of [...this.tailer.tails.keys()]) await this.tailer.remove(node);
    await this.client.close().catch(() => undefined);
    log.info("stopped", { spoolRecords: this.rec.spool.count, flushed });
  }

  /** SIGHUP: apply a new config's nodes; a config with problems is refused and the running one kept. */
  async reload(next: AgentConfig): Promise<void> {
    const current = new Map(this.o.config.nodes.map((n) => [n.node, n]));
    const wanted = new Map(next.nodes.map((n) => [n.node, n]));
    for (const [name, node] of current) if (!wanted.has(name) || changed(node, wanted.get(name)!)) await this.tailer.remove(name);
    for (const [name, node] of wanted) if (!this.tailer.tails.has(name)) await this.tailer.add(node);
    const collectorChanged = JSON.stringify(this.o.config.settings.collector) !== JSON.stringify(next.settings.collector);
    this.o = { ...this.o, config: next };
    if (collectorChanged) {
      await this.collector.stop();
      this.collector.start(next.settings.collector, next.settings.startupJitterSeconds);
    }
    this.o.log.info("config reloaded", { nodes: next.nodes.map((n) => n.node).join(",") });
  }

  private clientVersion(): string | null {
    return this.o.config.settings.clientVersion ?? [...this.tailer.clientVersions.values()][0] ?? null;
  }

  /**
   * The state folder (or its spool) deleted or damaged under the running agent: nothing on disk
   * backs its cursors any more. Recover as at start-up, forcing the full save: every cursor
   * dropped, every log read again, a fresh spool. The credential, still in memory, is written back.
   */
  private resync(reason: string): Promise<void> {
    this.resyncing ??= (async () => {
      const { config, fs, log } = this.o;
      log.warn("full resync while running: every log is read again from its start", { reason });
      const rec = await recoverState(config.stateDir, fs, { spoolMaxBytes: config.settings.spoolMaxBytes, log, now: this.now });
      await forceFullResync(rec, reason, this.now);
      this.rec = rec;
      this.tailer.useState(rec.spool, rec.state);
      this.shipper.useSpool(rec.spool);
      for (const node of config.nodes) {
        await this.tailer.remove(node.node);
        await this.tailer.add(node);
      }
      await this.tailer.saveState();
      if (this.o.credential.agentId !== "env" && !(await exists(fs, join(config.stateDir, "credential.json"))))
        await saveCredential(config.stateDir, this.o.credential);
    })().finally(() => {
      this.resyncing = null;
    });
    return this.resyncing;
  }

  /** Two stats per poll: is the state folder still there? */
  private async checkStateFolder(): Promise<void> {
    const dir = this.o.config.stateDir;
    const present = (await exists(this.o.fs, join(dir, "spool"))) && (await exists(this.o.fs, join(dir, "state.json")));
    if (!present) await this.resync("the state folder was deleted while the agent ran");
  }

  private async pollLoop(): Promise<void> {
    const signal = this.stopping.signal;
    let delay = this.o.config.settings.pollSeconds * 1000;
    while (!signal.aborted) {
      await this.checkStateFolder().catch((e: Error) => this.o.log.error("cannot recover the state folder", { error: e.message }));
      const why = this.shipper.takeDamage();
      if (why) {
        await this.resync(why).catch((e: Error) => this.o.log.error("cannot recover the spool", { error: e.message }));
      }
      const more = await this.tailer
        .poll(() => signal.aborted)
        .catch((e: Error) => {
          this.o.log.error("poll failed", { error: e.message });
          return false;
        });
      await this.writeStatus(false);
      if (more) continue;
      // A failing disk or a full spool is retried less often (up to a minute), never in a tight loop.
      const base = this.o.config.settings.pollSeconds * 1000;
      delay = this.tailer.failing ? Math.min(60_000, Math.max(delay * 2, base)) : base;
      await new Promise<void>((resolve) => {
        this.wakePoll = resolve;
        void sleep(delay, signal).then(resolve);
      });
      this.wakePoll = null;
    }
  }

  private async beat(): Promise<void> {
    try {
      const nodes = this.o.config.nodes.map((node, i) => ({
        node,
        isDefault: i === 0 || this.o.config.nodes.findIndex((n) => n.optionsFile === node.optionsFile) === i,
        nextScheduled: this.tailer.nextScheduled.get(node.node) ?? [],
        clientVersion: this.tailer.clientVersions.get(node.node) ?? this.o.config.settings.clientVersion,
      }));
      const state = this.rec.state;
      const beats = await this.beats.make(nodes, {
        spoolBytes: this.rec.spool.bytes,
        lastError: this.tailer.lastError ?? this.shipper.status.lastError,
        spoolGap:
          state.spoolFullSince || this.rec.spool.thinned
            ? { fullSince: state.spoolFullSince, thinnedHeartbeats: this.rec.spool.thinned }
            : null,
        fullResync: this.rec.fullResync,
        agentVersion: this.o.version,
      });
      try {
        await this.rec.spool.append(beats.map((data) => ({ kind: "heartbeat" as const, node: data.node, data })));
      } catch (error) {
        // The disk cannot take even a heartbeat: send it straight away, so the server hears why.
        const why = `cannot write the spool: ${(error as Error).message}`.slice(0, 512);
        this.o.log.error(why);
        await this.shipper.sendNow(beats.map((b) => ({ ...b, lastError: why }))).catch(() => undefined);
        return;
      }
      this.tailer.errorReported();
      this.rec.spool.thinningReported();
      this.rec.fullResync = null; // reported once
      this.shipper.wake();
    } catch (error) {
      this.o.log.error("heartbeat failed", { error: (error as Error).message });
    }
  }

  /** status.json for `fleetwatch-agent status` (see StatusFile). */
  private async writeStatus(force: boolean): Promise<void> {
    const status = {
      pid: process.pid,
      version: this.o.version,
      startedAt: this.startedAt.toISOString(),
      running: !this.stopping.signal.aborted,
      server: this.o.credential.server,
      nodes: this.o.config.nodes.map((n) => ({
        node: n.node,
        schedLog: n.schedLog,
        errorLog: n.errorLog,
        cursor: {
          sched: this.rec.state.nodes[n.node]?.anchors.sched?.offset ?? null,
          error: this.rec.state.nodes[n.node]?.anchors.error?.offset ?? null,
        },
        // Rounded: the status file is rewritten only when something in it changes.
        unconfirmedMiB: Math.round((this.tailer.tails.get(n.node)?.pendingBytes() ?? 0) / 1048576),
      })),
      spool: {
        bytes: this.rec.spool.bytes,
        records: this.rec.spool.count,
        maxBytes: this.rec.spool.maxBytes,
        fullSince: this.rec.state.spoolFullSince,
      },
      shipping: this.shipper.status,
      lastError: this.tailer.lastError ?? this.shipper.status.lastError,
      fullResyncs: this.rec.state.fullResyncs,
      memoryMiB: memory(),
    };
    await this.status.write(status, force);
  }
}

const changed = (a: WatchedNode, b: WatchedNode) => JSON.stringify(a) !== JSON.stringify(b);

/** What the agent costs its host, rounded so an idle agent's status does not change every poll. */
function memory() {
  return { rss: Math.round(process.memoryUsage.rss() / 1048576) };
}

const exists = (fs: Fsys, path: string) =>
  fs.stat(path).then(
    () => true,
    () => false,
  );
