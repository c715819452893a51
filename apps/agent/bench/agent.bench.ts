/**
 * `pnpm --filter @fleetwatch/agent bench [--quick]`: what the agent costs its host. Runs the bundled
 * agent against a stub ingest server and reports RSS and CPU share idle, while tailing a log that
 * grows at 1 MB/s (a live backup's per-file lines), and during a full resync of a 512 MiB log
 * (64 MiB with --quick). Targets (issue 5): RSS <= 60 MiB steady, <= 128 MiB during the resync,
 * <= 1% of a core while tailing, no busy polling when idle; and `parse --json`'s peak RSS on a
 * dense log of two sizes (issue 14: flat in the log's size). Linux only (reads /proc, GNU time).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { appendFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildAgent } from "../build";

const quick = process.argv.includes("--quick");
const TICKS = 100; // USER_HZ on Linux
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pad = (n: number) => String(n).padStart(2, "0");
const stamp = (t: number) => {
  const d = new Date(t);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
};

async function proc(pid: number) {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  const fields = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]!.split(" ");
  return { rss: kb("VmRSS"), hwm: kb("VmHWM"), cpuTicks: Number(fields[11]) + Number(fields[12]) };
}

/** RSS max and CPU share of `pid` over `seconds`. */
async function sample(pid: number, seconds: number) {
  const a = await proc(pid);
  const started = Date.now();
  let rssMax = a.rss;
  while (Date.now() - started < seconds * 1000) {
    await sleep(250);
    rssMax = Math.max(rssMax, (await proc(pid)).rss);
  }
  const b = await proc(pid);
  return { rssMax, rss: b.rss, cpu: (100 * (b.cpuTicks - a.cpuTicks)) / TICKS / ((Date.now() - started) / 1000) };
}

function event(t: number, files: number, out: (s: string) => void) {
  const s = stamp(t);
  out(`${s} Executing scheduled command now.\n${s} --- SCHEDULEREC OBJECT BEGIN DAILY_INCR ${s}\n${s} Incremental backup of volume '/'\n`);
  for (let i = 0; i < files; i++)
    out(`${s} Normal File-->         12,345 /home/staff/projects/report-${i % 9973}/chapter-${i}.docx [Sent]\n`);
  out(
    [
      "--- SCHEDULEREC STATUS BEGIN",
      `Total number of objects inspected: ${files}`,
      `Total number of objects backed up: ${files}`,
      "Total number of objects failed: 0",
      "Total number of bytes transferred: 1.20 GB",
      "Elapsed processing time: 00:40:00",
      "--- SCHEDULEREC STATUS END",
      "--- SCHEDULEREC OBJECT END DAILY_INCR",
      "Scheduled event 'DAILY_INCR' completed successfully.",
      "Sending results for scheduled event 'DAILY_INCR'.",
      "Results sent to server for scheduled event 'DAILY_INCR'.",
      "Querying server for next scheduled event.",
    ]
      .map((l) => `${s} ${l}\n`)
      .join(""),
  );
}

/**
 * A QUIET client's log of `mib` MiB: a run every few minutes, each announced by the scheduler's
 * query block, no per-file lines (the shape where `parse --json` has the most events to print).
 */
async function denseLog(file: string, mib: number): Promise<void> {
  const out = createWriteStream(file);
  let t = Date.parse("2024-03-01T00:00:00Z");
  let bytes = 0;
  while (bytes < mib * 1048576) {
    let text = "";
    const window = stamp(t + 600_000);
    for (const line of [
      "Querying server for next scheduled event.",
      "Node Name: DBHOST",
      "Session established with server TSMSRV1: Linux/x86_64",
      "Next operation scheduled:",
      "------------------------------------------------------------",
      "Schedule Name:         DAILY_INCR",
      "Action:                Incremental",
      `Server Window Start:   ${window.slice(11)} on ${window.slice(0, 10)}`,
      "------------------------------------------------------------",
      "Schedule will be refreshed in 1 hour.",
    ])
      text += `${stamp(t)} ${line}\n`;
    event(t + 600_000, 0, (s) => {
      text += s;
    });
    t += 900_000;
    bytes += text.length;
    if (!out.write(text)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

/** `parse --json` on a log: seconds and peak RSS (the child's own high-water mark, read by GNU time's %M). */
async function parseJson(bundle: string, log: string): Promise<{ seconds: number; peakMiB: number }> {
  const started = Date.now();
  const child = spawn("/usr/bin/time", ["-f", "%M", process.execPath, bundle, "parse", "--json", log], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  child.stderr!.on("data", (d) => {
    err += d;
  });
  await once(child, "exit");
  const kib = Number(err.trim().split("\n").at(-1));
  return { seconds: (Date.now() - started) / 1000, peakMiB: kib / 1024 };
}

async function main() {
  if (process.platform !== "linux") throw new Error("the agent benchmark reads /proc: run it on Linux");
  const root = await mkdtemp(join(tmpdir(), "fw-bench-agent-"));
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.end('{"result":{"data":{"json":{"acceptedEvents":0,"acceptedProblems":0,"acceptedHeartbeats":0}}}}'));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const bundle = await buildAgent(join(root, "fleetwatch-agent.mjs"));
  const log = join(root, "dsmsched.log");
  const config = join(root, "agent.json");
  const run = (state: string): ChildProcess =>
    spawn(process.execPath, [bundle, "run", "--config", config], {
      stdio: "ignore",
      env: { ...process.env, FLEETWATCH_AGENT_TOKEN: "fwa_bench_token", FLEETWATCH_SERVER: url, FLEETWATCH_STATE_DIR: state },
    });
  const results: string[] = [];
  try {
    await writeFile(
      config,
      JSON.stringify({ discover: false, nodes: [{ node: "BENCH", schedLog: log }], startupJitterSeconds: 0, logLevel: "warn" }),
    );
    let t = Date.parse("2024-03-01T20:00:00Z");
    const nextNight = () => {
      t += 86_400_000;
      return t;
    };
    let text = "";
    for (let n = 0; n < 5; n++)
      event(nextNight(), 1000, (s) => {
        text += s;
      });
    await writeFile(log, text);

    // Idle and tailing.
    const state = join(root, "state");
    await mkdir(state);
    const agent = run(state);
    // Settle: start-up (compiling, the first read, the first beat and shipment) is not idle.
    await sleep(10_000);
    const idle = await sample(agent.pid!, quick ? 10 : 30);
    results.push(`idle:      RSS ${idle.rss.toFixed(1)} MiB, CPU ${idle.cpu.toFixed(2)}% of a core (target: RSS <= 60 MiB, ~0% CPU)`);
    const seconds = quick ? 8 : 30;
    let writing = true;
    const writer = (async () => {
      const s = stamp(nextNight());
      await appendFile(log, `${s} Executing scheduled command now.\n${s} --- SCHEDULEREC OBJECT BEGIN DAILY_INCR ${s}\n`);
      let i = 0;
      while (writing) {
        // 1 MB per second, written 10 times a second as the client flushes.
        let chunk = "";
        while (chunk.length < 100_000)
          chunk += `${s} Normal File-->         12,345 /srv/data/dept/project-${i % 97}/file-${i++}.dat [Sent]\n`;
        await appendFile(log, chunk);
        await sleep(100);
      }
    })();
    const tail = await sample(agent.pid!, seconds);
    writing = false;
    await writer;
    results.push(
      `tailing:   RSS max ${tail.rssMax.toFixed(1)} MiB, CPU ${tail.cpu.toFixed(2)}% of a core at 1 MB/s (target: <= 60 MiB, <= 1%)`,
    );
    agent.kill("SIGTERM");
    await once(agent, "exit");

    // Full resync of a big log.
    const mib = quick ? 64 : 512;
    const big = createWriteStream(log);
    const perNight = 200_000;
    let bytes = 0;
    while (bytes < mib * 1048576) {
      let night = "";
      event(nextNight(), perNight, (s) => {
        night += s;
      });
      bytes += night.length;
      if (!big.write(night)) await once(big, "drain");
    }
    big.end();
    await once(big, "finish");
    const size = (await stat(log)).size;
    const fresh = join(root, "state-resync");
    await mkdir(fresh);
    const started = Date.now();
    const resync = run(fresh);
    let hwm = 0;
    let done = false;
    while (!done && Date.now() - started < 600_000) {
      await sleep(250);
      hwm = Math.max(hwm, (await proc(resync.pid!)).hwm);
      const status = await readFile(join(fresh, "status.json"), "utf8").then(JSON.parse, () => null);
      done = (status?.nodes?.[0]?.cursor?.sched ?? 0) >= size - 4096 && status?.spool?.records === 0;
    }
    const secs = (Date.now() - started) / 1000;
    results.push(
      `resync:    ${(size / 1048576).toFixed(0)} MiB log in ${secs.toFixed(1)} s (${(size / 1048576 / secs).toFixed(0)} MiB/s), peak RSS ${hwm.toFixed(1)} MiB (target: <= 128 MiB)`,
    );
    resync.kill("SIGTERM");
    await once(resync, "exit");

    // parse --json: memory flat in the log's size (its events are printed as they end).
    const sizes = quick ? [16, 64] : [32, 128];
    const measured: string[] = [];
    for (const mib of sizes) {
      const dense = join(root, `dense-${mib}.log`);
      await denseLog(dense, mib);
      const { seconds, peakMiB } = await parseJson(bundle, dense);
      measured.push(`${mib} MiB: ${seconds.toFixed(1)} s, peak RSS ${peakMiB.toFixed(1)} MiB`);
      await rm(dense);
    }
    results.push(`parse:     --json on a dense log (a run every 15 minutes): ${measured.join("; ")}`);
  } finally {
    server.close();
    await rm(root, { recursive: true, force: true });
  }
  console.log([`fleetwatch-agent benchmark (bundled agent, Node ${process.version})`, ...results].join("\n"));
}

await main();
