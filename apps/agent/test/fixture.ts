import { appendFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEnrollmentToken, enrollAgent } from "@fleetwatch/api";
import { parseLogs } from "@fleetwatch/core/parse";
import type { ScheduleEvent } from "@fleetwatch/core/schemas";
import type { Db } from "@fleetwatch/db";
import { demoNodeLines, joinLines, type LogLine } from "../src/testing/demo-logs";

export interface NodeLogsOnDisk {
  node: string;
  schedLog: string;
  errorLog: string;
  lines: LogLine[];
  written: number;
}

/** A machine with TSM nodes whose logs the test grows, a state folder, and an enrolled credential. */
export class AgentFixture {
  readonly nodes: NodeLogsOnDisk[] = [];
  constructor(
    readonly root: string,
    readonly stateDir: string,
  ) {}

  /** `nodes`: indexes into the demo fleet (0 healthy, 1 open files, 5 flaky network, 6 crashes). */
  static async create(opts: { nodes: number[]; nights: number; seed: number }): Promise<AgentFixture> {
    const root = await mkdtemp(join(tmpdir(), "fw-agent-it-"));
    const f = new AgentFixture(root, join(root, "state"));
    await mkdir(join(root, "logs"), { recursive: true });
    for (const i of opts.nodes) {
      const { node, lines } = demoNodeLines({ nights: opts.nights, seed: opts.seed, node: i });
      const dir = join(root, "logs", node);
      await mkdir(dir, { recursive: true });
      f.nodes.push({ node, schedLog: join(dir, "dsmsched.log"), errorLog: join(dir, "dsmerror.log"), lines, written: 0 });
    }
    return f;
  }

  async enroll(db: Db, server: string, opts: { collector?: boolean } = {}): Promise<void> {
    const { token } = await createEnrollmentToken(db, {
      createdBy: "test",
      note: null,
      ttlHours: 1,
      collector: opts.collector ?? false,
      now: new Date(),
    });
    const cred = await enrollAgent(db, { enrollmentToken: token, name: "crash-test", now: new Date() });
    await mkdir(this.stateDir, { recursive: true });
    await writeFile(join(this.stateDir, "credential.json"), JSON.stringify({ server, token: cred.token, agentId: cred.agentId }), {
      mode: 0o600,
    });
  }

  config(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      discover: false,
      stateDir: this.stateDir,
      nodes: this.nodes.map((n) => ({ node: n.node, schedLog: n.schedLog, errorLog: n.errorLog })),
      pollSeconds: 0.05,
      startupJitterSeconds: 0,
      requestTimeoutSeconds: 2,
      heartbeatCron: "*/2 * * * * *",
      logLevel: "warn",
      ...extra,
    };
  }

  async writeConfig(extra: Record<string, unknown> = {}): Promise<string> {
    const path = join(this.root, "fleetwatch-agent.json");
    await writeFile(path, JSON.stringify(this.config(extra)));
    return path;
  }

  /** Appends the next `count` lines of every node's logs; false when all are written. */
  async grow(count: number): Promise<boolean> {
    let left = false;
    for (const n of this.nodes) {
      const next = n.lines.slice(n.written, n.written + count);
      n.written += next.length;
      const e = joinLines(next, "error");
      const s = joinLines(next, "sched");
      if (e) await appendFile(n.errorLog, e);
      if (s) await appendFile(n.schedLog, s);
      left ||= n.written < n.lines.length;
    }
    return left;
  }

  /** What a one-shot parse of each node's whole log says: the history the server must end up with. */
  expected(): Map<string, ScheduleEvent[]> {
    return new Map(
      this.nodes.map((n) => [n.node, parseLogs({ sched: joinLines(n.lines, "sched"), error: joinLines(n.lines, "error") }).events]),
    );
  }

  async cleanup(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}

const toOutcome = (s: string) => (s === "in-progress" ? "in_progress" : s);

/**
 * Compares the server's windows with the expected events: one window per event (none missing,
 * none twice, none made up), each with the outcome, return code and messages of the one-shot parse.
 */
export async function compareWithServer(db: Db, expected: Map<string, ScheduleEvent[]>) {
  const problems: string[] = [];
  let stored = 0;
  let want = 0;
  for (const [node, events] of expected) {
    const windows = await db.window.findMany({
      where: { node: { name: node } },
      select: { schedule: true, localStart: true, outcome: true, returnCode: true, _count: { select: { messages: true } } },
    });
    stored += windows.length;
    want += events.length;
    const byKey = new Map(windows.map((w) => [`${w.schedule} ${w.localStart}`, w]));
    if (byKey.size !== windows.length) problems.push(`${node}: two windows share a key`);
    for (const e of events) {
      const w = byKey.get(`${e.schedule} ${e.scheduledStart ?? e.startedAt}`);
      if (!w) problems.push(`${node}: missing ${e.schedule} ${e.scheduledStart}`);
      else if (e.status === "in-progress") {
        // A running event is reported once, when it starts: its messages may have grown since.
        if (w.outcome !== "in_progress") problems.push(`${node}: ${e.schedule} ${e.scheduledStart}: stored ${w.outcome}, want in-progress`);
      } else if (w.outcome !== toOutcome(e.status) || w.returnCode !== e.returnCode || w._count.messages !== e.messages.length)
        problems.push(
          `${node}: ${e.schedule} ${e.scheduledStart}: stored ${w.outcome}/${w.returnCode}/${w._count.messages} msgs, want ${e.status}/${e.returnCode}/${e.messages.length}`,
        );
      byKey.delete(`${e.schedule} ${e.scheduledStart ?? e.startedAt}`);
    }
    for (const key of byKey.keys()) problems.push(`${node}: unexpected window ${key}`);
  }
  return { problems, stored, want };
}
