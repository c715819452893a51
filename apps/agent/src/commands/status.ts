import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseCommandArgs } from "../args";
import { defaultStateDir } from "../credential";
import { nodeFsys } from "../fsys";
import type { Command } from "../io";
import { rejectedSummary } from "../ship/rejected-file";

const usage = `fleetwatch-agent status [--state-dir DIR] [--json]

What the agent watches, its cursors, the spool, the last shipment and the last error, as the
running daemon last wrote them (status.json in the state folder).`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

interface Status {
  pid: number;
  version: string;
  startedAt: string;
  updatedAt: string;
  running: boolean;
  server: string;
  nodes: Array<{ node: string; schedLog: string; errorLog: string | null; cursor: { sched: number | null; error: number | null } }>;
  spool: { bytes: number; records: number; maxBytes: number; fullSince: string | null };
  shipping: {
    lastShipAt: string | null;
    lastError: string | null;
    failures: number;
    nextAttemptAt: string | null;
    rejected: number;
    lastRejection?: string | null;
  };
  lastError: string | null;
  fullResyncs: number;
}

export const statusCommand: Command = {
  name: "status",
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { "state-dir": { type: "string" }, json: { type: "boolean" }, help: { type: "boolean" } });
    if (values.help) {
      io.stdout.write(`usage: ${usage}\n`);
      return 0;
    }
    const dir = values["state-dir"] ?? defaultStateDir();
    // Read from the file itself: the one-shot `ship` keeps refused records there too.
    const rejected = await rejectedSummary(nodeFsys, dir).catch(() => null);
    const quarantined = rejected?.count
      ? [`${rejected.count} rejected records in quarantine: ${rejected.path} (newest: ${rejected.newest?.reason ?? "?"})`]
      : [];
    let s: Status;
    try {
      s = JSON.parse(await readFile(join(dir, "status.json"), "utf8")) as Status;
    } catch {
      for (const line of quarantined) io.stdout.write(`${line}\n`);
      io.stderr.write(`fleetwatch-agent status: no status in ${dir} (has the agent run here? see --state-dir)\n`);
      return 1;
    }
    const running = s.running && alive(s.pid);
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ ...s, running, quarantine: rejected })}\n`);
      return 0;
    }
    const mib = (n: number) => `${(n / 1048576).toFixed(2)} MiB`;
    const lines = [
      `agent ${s.version}: ${running ? `running (pid ${s.pid}, since ${s.startedAt})` : `not running (last seen ${s.updatedAt})`}`,
      `server: ${s.server}`,
      ...s.nodes.map(
        (n) => `node ${n.node}: ${n.schedLog} @ ${n.cursor.sched ?? "start"}; ${n.errorLog ?? "-"} @ ${n.cursor.error ?? "start"}`,
      ),
      `spool: ${s.spool.records} records, ${mib(s.spool.bytes)} of ${mib(s.spool.maxBytes)}${s.spool.fullSince ? `, FULL since ${s.spool.fullSince}` : ""}`,
      `last shipment: ${s.shipping.lastShipAt ?? "never"}${s.shipping.failures ? ` (${s.shipping.failures} failures; next try ${s.shipping.nextAttemptAt})` : ""}`,
      `last error: ${s.lastError ?? "none"}`,
      ...(s.fullResyncs ? [`full resyncs: ${s.fullResyncs}`] : []),
      ...quarantined,
    ];
    io.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  },
};
