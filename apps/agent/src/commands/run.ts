import { resolve } from "node:path";
import { parseCommandArgs, UsageError } from "../args";
import type { AgentConfig } from "../config/load";
import { loadConfig } from "../config/load";
import { type Credential, loadCredential } from "../credential";
import { Daemon } from "../daemon/daemon";
import { machineTimeZone } from "../evidence/time-zone";
import { nodeFsys } from "../fsys";
import type { Command } from "../io";
import { createLogger } from "../log";

const usage = `fleetwatch-agent run [--config PATH] [--state-dir DIR]

Runs the daemon: tails every TSM node's dsmsched.log and dsmerror.log, spools what they say,
ships it to the Fleetwatch server and sends heartbeats; with a "collector" section in the
config, also reads the TSM server's tables every collector.intervalMinutes (as \`collect\`). Stops cleanly on SIGINT/SIGTERM;
SIGHUP reloads the config (a config with problems is refused and the running one kept).`;

declare const FLEETWATCH_VERSION: string | undefined;
const version = typeof FLEETWATCH_VERSION === "string" ? FLEETWATCH_VERSION : "0.0.0-dev";

/** The enrolled credential; FLEETWATCH_SERVER + FLEETWATCH_AGENT_TOKEN stand in for it (containers). */
export async function credentialFor(config: AgentConfig, env: NodeJS.ProcessEnv = process.env): Promise<Credential> {
  if (env.FLEETWATCH_AGENT_TOKEN && (env.FLEETWATCH_SERVER || config.settings.server)) {
    return { server: env.FLEETWATCH_SERVER ?? config.settings.server!, token: env.FLEETWATCH_AGENT_TOKEN, agentId: "env" };
  }
  const saved = await loadCredential(config.stateDir);
  if (!saved) throw new UsageError(`not enrolled (no credential in ${config.stateDir}): run fleetwatch-agent enroll first`);
  return config.settings.server ? { ...saved, server: config.settings.server } : saved;
}

export const runCommand: Command = {
  name: "run",
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { config: { type: "string" }, "state-dir": { type: "string" }, help: { type: "boolean" } });
    if (values.help) {
      io.stdout.write(`usage: ${usage}\n`);
      return 0;
    }
    // A stop asked for while the config loads: nothing has started, so nothing to flush.
    let early: NodeJS.Signals | null = null;
    const onEarly = (signal: NodeJS.Signals) => {
      early = signal;
    };
    process.on("SIGINT", onEarly);
    process.on("SIGTERM", onEarly);
    const env = values["state-dir"] ? { ...process.env, FLEETWATCH_STATE_DIR: resolve(values["state-dir"]) } : process.env;
    const loaded = await loadConfig({ configPath: values.config, env });
    if (!loaded.config) {
      io.stderr.write(`fleetwatch-agent run: refusing a bad config:\n${loaded.problems.map((p) => `  - ${p}`).join("\n")}\n`);
      process.off("SIGINT", onEarly);
      process.off("SIGTERM", onEarly);
      return 2;
    }
    const config = loaded.config;
    const log = createLogger(io.stderr, config.settings.logLevel);
    for (const w of loaded.warnings) log.warn(w);
    const credential = await credentialFor(config, env);
    // Read once, by a short-lived copy of the agent: see evidence/time-zone.ts.
    const zone = await machineTimeZone();
    const daemon = new Daemon({ config, credential, fs: nodeFsys, log, version, machine: { timeZone: () => zone } });

    let stopped: () => void = () => {};
    const done = new Promise<void>((resolve) => (stopped = resolve));
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      // The first signal stops cleanly; a second one means "now": the spool and cursors are safe on disk.
      if (++signals > 1) {
        log.warn("second signal: exiting at once", { signal });
        process.exit(130);
      }
      log.info("signal received", { signal });
      daemon.stop().then(stopped, (e: Error) => {
        log.error("stop failed", { error: e.message });
        stopped();
      });
    };
    const onHup = () => {
      loadConfig({ configPath: values.config, env }).then(
        (next) => {
          if (!next.config) log.error("reload refused; keeping the running config", { problems: next.problems.join("; ") });
          else return daemon.reload(next.config);
        },
        (e: Error) => log.error("reload failed; keeping the running config", { error: e.message }),
      );
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    process.off("SIGINT", onEarly);
    process.off("SIGTERM", onEarly);
    if (early) {
      log.info("signal received before start", { signal: early });
      return 0;
    }
    if (process.platform !== "win32") process.on("SIGHUP", onHup);
    try {
      await daemon.start();
      await done;
      return 0;
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      process.off("SIGHUP", onHup);
    }
  },
};
