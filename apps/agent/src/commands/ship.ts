import { readFile } from "node:fs/promises";
import { parseLogs } from "@fleetwatch/core/parse";
import type { Heartbeat } from "@fleetwatch/core/schemas";
import { parseCommandArgs, UsageError } from "../args";
import { defaultStateDir, loadCredential } from "../credential";
import { nodeFsys } from "../fsys";
import { createServerClient } from "../http";
import type { Command } from "../io";
import { readMachineIdentity } from "../machine";
import { shipHeartbeats, shipParseResult } from "../ship";
import { readHeartbeats } from "../ship/heartbeat-file";
import { RejectedFile } from "../ship/rejected-file";
import { formatOptions, formatUsage, readDateFormat, readNumberFormat } from "./formats";

const usage = `fleetwatch-agent ship --node NODENAME [--server URL --token TOKEN | --state-dir DIR] [--error-log PATH]
                      [--utc-offset MINUTES] ${formatUsage}
                      [--heartbeats FILE] [SCHED_LOG]

Sends a log's events once, and/or recorded heartbeats (--heartbeats: JSON Lines, one heartbeat a
line), e.g. to backfill a node's history from archived logs. Sending the same twice stores nothing twice.`;

/** One-shot: parse a log and ship every event in it. The daemon (`run`) does this continuously. */
export const shipCommand: Command = {
  name: "ship",
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      server: { type: "string" },
      token: { type: "string" },
      node: { type: "string" },
      "error-log": { type: "string" },
      "utc-offset": { type: "string" },
      "state-dir": { type: "string" },
      heartbeats: { type: "string" },
      ...formatOptions,
      help: { type: "boolean" },
    });
    if (values.help) {
      io.stdout.write(`usage: ${usage}\n`);
      return 0;
    }
    const [schedPath, ...extra] = positionals;
    if (!values.node || extra.length || (!schedPath && !values.heartbeats))
      throw new UsageError("expected --node NODENAME and a SCHED_LOG, --heartbeats FILE or both; see fleetwatch-agent ship --help");
    if (!schedPath && values["error-log"]) throw new UsageError("--error-log goes with a SCHED_LOG");
    const dateFormat = readDateFormat(values["date-format"]);
    const numberFormat = readNumberFormat(values["number-format"]);
    const offset = values["utc-offset"] === undefined ? -new Date().getTimezoneOffset() : Number(values["utc-offset"]);
    if (!Number.isInteger(offset)) throw new UsageError("--utc-offset must be whole minutes east of UTC, e.g. 60");
    const saved = values.token ? null : await loadCredential(values["state-dir"] ?? defaultStateDir());
    const server = values.server ?? saved?.server;
    const token = values.token ?? process.env.FLEETWATCH_AGENT_TOKEN ?? saved?.token;
    if (!server || !token) throw new UsageError("not enrolled: run fleetwatch-agent enroll first, or pass --server and --token");

    // Everything is read and checked before the first request: a bad line sends nothing.
    const node = values.node.toUpperCase();
    const beats: Heartbeat[] = values.heartbeats
      ? readHeartbeats(await readFile(values.heartbeats, "utf8"), values.node, values.heartbeats)
      : [];
    const sched = schedPath ? await readFile(schedPath) : undefined;
    const error = values["error-log"] ? await readFile(values["error-log"]) : undefined;
    const result = sched ? parseLogs({ sched, error }, { context: true, dateFormat, numberFormat }) : undefined;

    const stateDir = values["state-dir"] ?? defaultStateDir();
    const rejected = await RejectedFile.open(nodeFsys, stateDir);
    const client = createServerClient({ server, token });
    try {
      const target = { client, machine: readMachineIdentity(), node: values.node, utcOffsetMinutes: offset, rejected };
      let refused = 0;
      if (result) {
        const shipped = await shipParseResult(target, result);
        refused += shipped.refused;
        io.stdout.write(
          `shipped ${result.events.length} events and ${result.problems.length} problems for ${node}: ${shipped.ack.acceptedEvents} new or changed\n`,
        );
      }
      if (values.heartbeats) {
        const shipped = await shipHeartbeats(target, beats);
        refused += shipped.refused;
        io.stdout.write(`shipped ${beats.length} heartbeats for ${node}: ${shipped.ack.acceptedHeartbeats} new\n`);
      }
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
