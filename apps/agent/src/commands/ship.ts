import { readFile } from "node:fs/promises";
import { parseLogs } from "@fleetwatch/core/parse";
import { parseCommandArgs, UsageError } from "../args";
import { defaultStateDir, loadCredential } from "../credential";
import { createServerClient } from "../http";
import type { Command } from "../io";
import { readMachineIdentity } from "../machine";
import { shipParseResult } from "../ship";

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
    const client = createServerClient({ server, token });
    try {
      const ack = await shipParseResult({ client, machine: readMachineIdentity(), node: values.node, utcOffsetMinutes: offset }, result);
      io.stdout.write(
        `shipped ${result.events.length} events and ${result.problems.length} problems for ${values.node.toUpperCase()}: ${ack.acceptedEvents} new or changed\n`,
      );
      return 0;
    } finally {
      await client.close();
    }
  },
};
