import { appendFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseLogs } from "@fleetwatch/core/parse";
import type { EventReport } from "@fleetwatch/core/schemas";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { WatchedNode } from "../config/agent-config";
import { silentLogger } from "../log";
import { Spool } from "../spool/spool";
import { emptyState, StateStore } from "../state/state-store";
import { demoNodeLines, joinLines, type LogLine } from "../testing/demo-logs";
import { faultyFsys } from "../testing/faulty-fs";
import { ServerModel } from "../testing/server-model";
import { Tailer } from "./tailer";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "fw-tailer-"));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

it("a full disk never moves a cursor past what is not spooled; when space returns, nothing is missing", async () => {
  let full = false;
  const fs = faultyFsys((op, path) => (full && path.includes("spool") && op !== "truncate" ? "ENOSPC" : null));
  const state = join(dir, "state");
  const store = new StateStore(state, fs);
  const { spool } = await Spool.open(state, fs, { maxBytes: 16 << 20 });
  const tailer = new Tailer(fs, spool, store, emptyState(), silentLogger, () => {});
  const { node, lines } = demoNodeLines({ nights: 20, seed: 31, node: 1 });
  const logs = { sched: join(dir, "dsmsched.log"), error: join(dir, "dsmerror.log") };
  const write = async (part: LogLine[]) => {
    await appendFile(logs.error, joinLines(part, "error"));
    await appendFile(logs.sched, joinLines(part, "sched"));
  };
  const watched: WatchedNode = {
    node,
    schedLog: logs.sched,
    errorLog: logs.error,
    serverAddress: null,
    serverPort: null,
    dateFormat: "auto",
    numberFormat: "auto",
    passwordAccess: null,
    domains: [],
    stanza: null,
    optionsFile: null,
  };
  const pollAll = async () => {
    for (let i = 0; i < 200 && (await tailer.poll(() => false)); i++);
  };
  const stored = async () => JSON.stringify((JSON.parse(await readFile(join(state, "state.json"), "utf8")) as { body: unknown }).body);

  await write(lines.slice(0, lines.length / 2));
  await tailer.add(watched);
  await pollAll();
  const before = await stored();
  const spooledBefore = spool.count;

  full = true;
  await write(lines.slice(lines.length / 2));
  for (let i = 0; i < 5; i++) await pollAll();
  expect(tailer.failing).toBe(true);
  expect(tailer.lastError).toMatch(/ENOSPC/);
  expect(spool.count).toBe(spooledBefore);
  expect(await stored()).toBe(before); // the cursor on disk did not move

  full = false;
  await pollAll();
  expect(tailer.failing).toBe(false);
  const server = new ServerModel();
  for (const r of await spool.peek(100_000, 1 << 30)) if (r.kind === "event") server.addEvents([(r.data as EventReport).event]);
  expect(server.diff(parseLogs({ sched: joinLines(lines, "sched"), error: joinLines(lines, "error") }).events)).toEqual([]);
  await tailer.remove(node);
});
