import { platform } from "node:os";
import { resolve } from "node:path";
import { parseCommandArgs } from "../args";
import { locateDsmadmc } from "../collector/locate";
import { loadConfig } from "../config/load";
import { loadCredential } from "../credential";
import { nodeFsys } from "../fsys";
import type { Command } from "../io";

const usage = `fleetwatch-agent validate [--config PATH] [--state-dir DIR]

Checks the agent config (fleetwatch-agent.json, FLEETWATCH_* variables) and the TSM options
files it finds; lists every node it would watch, the TSM server collector if configured (its
password readable, dsmadmc found), and every problem. Exit 1 when there is a problem.`;

export const validateCommand: Command = {
  name: "validate",
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { config: { type: "string" }, "state-dir": { type: "string" }, help: { type: "boolean" } });
    if (values.help) {
      io.stdout.write(`usage: ${usage}\n`);
      return 0;
    }
    const env = values["state-dir"] ? { ...process.env, FLEETWATCH_STATE_DIR: resolve(values["state-dir"]) } : process.env;
    const { config, problems, warnings } = await loadConfig({ configPath: values.config, env });
    if (config) {
      io.stdout.write(`config: ${config.file ?? "(none: defaults and environment)"}\n`);
      io.stdout.write(`options files: ${config.optionsFiles.join(", ") || "(none)"}\n`);
      io.stdout.write(`state folder: ${config.stateDir}\n`);
      const enrolled = await loadCredential(config.stateDir).catch(() => null);
      io.stdout.write(
        `enrolled: ${enrolled ? `yes, with ${enrolled.server}` : env.FLEETWATCH_AGENT_TOKEN ? "token from FLEETWATCH_AGENT_TOKEN" : "no (run enroll)"}\n`,
      );
      for (const n of config.nodes) {
        const server = n.serverAddress ? `${n.serverAddress}:${n.serverPort ?? 1500}` : "-";
        io.stdout.write(`node ${n.node}: sched ${n.schedLog}, error ${n.errorLog ?? "-"}, server ${server}, dates ${n.dateFormat}\n`);
      }
      const c = config.settings.collector;
      if (c)
        io.stdout.write(
          `collector: ${c.adminId}@${c.stanza ?? "default server"} every ${c.intervalMinutes} min, label ${JSON.stringify(c.serverLabel)}, dsmadmc ${await locateDsmadmc(c, platform(), nodeFsys)}\n`,
        );
    }
    for (const w of warnings) io.stdout.write(`warning: ${w}\n`);
    for (const p of problems) io.stderr.write(`problem: ${p}\n`);
    if (problems.length) {
      io.stderr.write(`${problems.length} problem(s)\n`);
      return 1;
    }
    io.stdout.write("config OK\n");
    return 0;
  },
};
