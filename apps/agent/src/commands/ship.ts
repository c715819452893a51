import { readFile } from "node:fs/promises";
import { parseLogs } from "@fleetwatch/core/parse";
import { parseCommandArgs, UsageError } from "../args";
import { defaultStateDir, loadCredential } from "../credential";
import { nodeFsys } from "../fsys";
import { createServerClient } from "../http";
import type { Command } from "../io";
import { readMachineIdentity } from "../machine";
import { shipParseResult } from "../ship";
import { RejectedFile } from "../ship/rejected-file";

const usage =
  "fleetwatch-agent ship --node NODENAME [--server URL --token TOKEN | --state-dir DIR] [--error-log PATH] [--utc-offset MINUTES] SCHED_LOG";

/** One-shot: parse a log and ship every event in it. The daemon (`run`) does this continuously. */
export const shipCommand: Command = {
  name: "ship",
  summary: "parse a dsmsched.log once and send its events to the server",
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      server: { type: "string" },
      token: { type: "string" },
      node: { type: "string" },
      "error-log": { type: "string" },
      "utc-offset": { type: "string" },
      "state-dir": { type: "string" },
      help: { type: "boolean" },
    });
    if (values.help) {
      io.stdout.write(`usage: ${usage}\n`);
      return 0;
    }
    const saved = values.token ? null : await loadCredential(values["state-dir"] ?? defaultStateDir());
    const server = values.server ?? saved?.server;
    const token = values.token ?? process.env.FLEETWATCH_AGENT_TOKEN ?? saved?.token;
    const [schedPath] = positionals;
    if (!values.node || !schedPath) throw new UsageError(`usage: ${usage}`);
    if (!server || !token) throw new UsageError("not enrolled: run fleetwatch-agent enroll first, or pass --server and --token");
    const offset = values["utc-offset"] === undefined ? -new Date().getTimezoneOffset() : Number(values["utc-offset"]);
    if (!Number.isInteger(offset)) throw new UsageError("--utc-offset must be whole minutes east of UTC, e.g. 60");

    const sched = await readFile(schedPath);
    const error = values["error-log"] ? await readFile(values["error-log"]) : undefined;
    const result = parseLogs({ sched, error }, { context: true });
    const stateDir = values["state-dir"] ?? defaultStateDir();
    const rejected = await RejectedFile.open(nodeFsys, stateDir);
    const client = createServerClient({ server, token });
    try {
      const node = values.node.toUpperCase();
      const target = { client, machine: readMachineIdentity(), node: values.node, utcOffsetMinutes: offset, rejected };
      const { ack, refused } = await shipParseResult(target, result);
      io.stdout.write(
        `shipped ${result.events.length} events and ${result.problems.length} problems for ${node}: ${ack.acceptedEvents} new or changed\n`,
      );
      if (refused === 0) return 0;
      io.stderr.write(
        `fleetwatch-agent ship: the server refused ${refused} records (the rest was stored); kept in ${rejected.path}, newest: ${rejected.newest?.reason}\n`,
      );
      return 1;
    } finally {
      await client.close();
    }
  },
};
