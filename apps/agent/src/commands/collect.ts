import { platform } from "node:os";
import { resolve } from "node:path";
import { parseCommandArgs, UsageError } from "../args";
import { loadConfig } from "../config/load";
import { nodeFsys } from "../fsys";
import { createServerClient } from "../http";
import type { Command } from "../io";
import { createLogger } from "../log";
import { credentialFor } from "./run";

const usage = `fleetwatch-agent collect [--once] [--config PATH] [--state-dir DIR]

Reads the TSM server's own records with dsmadmc (the config's "collector" section): STATUS,
NODES, CLIENT_SCHEDULES, ASSOCIATIONS and the last two days of EVENTS, and sends them to the Fleetwatch server. With --once,
collects once and exits (1 if dsmadmc or the server failed); without it, collects every
collector.intervalMinutes until SIGINT/SIGTERM. \`run\` does the same alongside its tailing.`;

export const collectCommand: Command = {
  name: "collect",
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      once: { type: "boolean", default: false },
      config: { type: "string" },
      "state-dir": { type: "string" },
      help: { type: "boolean" },
    });
    if (values.help) {
      io.stdout.write(`usage: ${usage}\n`);
      return 0;
    }
    const env = values["state-dir"] ? { ...process.env, FLEETWATCH_STATE_DIR: resolve(values["state-dir"]) } : process.env;
    const loaded = await loadConfig({ configPath: values.config, env });
    if (!loaded.config) {
      io.stderr.write(`fleetwatch-agent collect: refusing a bad config:\n${loaded.problems.map((p) => `  - ${p}`).join("\n")}\n`);
      return 2;
    }
    const config = loaded.config;
    const settings = config.settings.collector;
    if (!settings)
      throw new UsageError(`no "collector" section in ${config.file ?? "the config"}: see INSTALL.md, "Collecting from the TSM server"`);
    const credential = await credentialFor(config, env);
    const client = createServerClient({
      server: credential.server,
      token: credential.token,
      timeoutMs: config.settings.requestTimeoutSeconds * 1000,
    });
    // Loaded on demand: its record checks bring zod, which agents that never collect need not load.
    const { runCollection, rejectedLine } = await import("../collector/collection");
    const deps = { settings, client, fs: nodeFsys, env, platform: platform(), now: () => new Date() };
    try {
      if (values.once) {
        const result = await runCollection(deps);
        for (const r of result.rejected) io.stderr.write(`warning: ${rejectedLine(r)}\n`);
        if (!result.ok) {
          io.stderr.write(`fleetwatch-agent collect: ${result.error}\n`);
          return 1;
        }
        const { ack, sent } = result;
        io.stdout.write(
          `sent ${sent.nodes} nodes, ${sent.schedules} schedules, ${sent.associations} associations, ${sent.events} events: ${ack.newNodes} new nodes, ${ack.events} windows updated` +
            `${result.rejected.length ? `; ${result.rejected.length} rows not sent (above)` : ""}\n`,
        );
        for (const s of ack.skippedSchedules) io.stdout.write(`schedule ${s.name} kept but not expanded into windows: ${s.reason}\n`);
        return 0;
      }
      const log = createLogger(io.stderr, config.settings.logLevel);
      const { runCollector } = await import("../collector/loop");
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.on("SIGINT", onSignal);
      process.on("SIGTERM", onSignal);
      try {
        await runCollector(
          { deps, startupJitterSeconds: config.settings.startupJitterSeconds, log, startFields: { server: credential.server } },
          stop.signal,
        );
        log.info("stopped");
        return 0;
      } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
      }
    } finally {
      await client.close();
    }
  },
};
