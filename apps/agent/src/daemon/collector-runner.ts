import type { Exec } from "../collector/dsmadmc";
import type { CollectorSettings } from "../config/collector-config";
import type { Fsys } from "../fsys";
import type { ServerClient } from "../http";
import type { Logger } from "../log";

export interface CollectorRunnerOptions {
  client: ServerClient;
  fs: Fsys;
  log: Logger;
  now: () => Date;
  random?: () => number;
  exec?: Exec;
  /** Aborted when the daemon stops. */
  stopping: AbortSignal;
}

/**
 * The TSM server collector, when configured: its own loop beside the tailer, one collection at a
 * time, not spooled (each collection is a whole snapshot; a failed one is simply retried at the
 * next interval). Its modules load only here: agents that never collect never load them.
 */
export class CollectorRunner {
  private running: { stop: AbortController; done: Promise<void> } | null = null;

  constructor(private readonly o: CollectorRunnerOptions) {}

  start(settings: CollectorSettings | null, startupJitterSeconds: number): void {
    if (!settings) return;
    const { log } = this.o;
    const stop = new AbortController();
    const signal = AbortSignal.any([stop.signal, this.o.stopping]);
    const done = (async () => {
      const { runCollector } = await import("../collector/loop");
      await runCollector(
        {
          deps: {
            settings,
            client: this.o.client,
            fs: this.o.fs,
            env: process.env,
            platform: process.platform,
            now: this.o.now,
            exec: this.o.exec,
          },
          startupJitterSeconds,
          log,
          startFields: { admin: settings.adminId },
          random: this.o.random,
        },
        signal,
      );
    })().catch((e: Error) => log.error("the collector stopped", { error: e.message }));
    this.running = { stop, done };
  }

  async stop(): Promise<void> {
    const c = this.running;
    this.running = null;
    c?.stop.abort();
    await c?.done;
  }
}
