/**
 * Parser throughput, against a baseline measured in the same run on the same file.
 *
 *   pnpm --filter @fleetwatch/core bench:parse            # 200 MiB, then 64 MiB vs 1 GiB and 1 GiB RSS
 *   pnpm --filter @fleetwatch/core bench:parse --quick    # 32 MiB only (CI)
 *   ... --profile=dense                                   # one profile only (files or dense)
 *
 * Two profiles, both to meet the targets: "files" (a file server's nightly runs, mostly per-file
 * lines the parser skims by their first bytes) and "dense" (a QUIET client running every few
 * minutes: no per-file lines, so every line is one the parser reads closely).
 *
 * Each measurement runs in its own child process so its peak RSS is its own and one run's JIT
 * warm-up or garbage does not leak into the next. The child runs plain JavaScript (this file and
 * the parser transpiled by TypeScript into bench-data/js/), as the bundled agent does: under tsx,
 * the loader alone costs ~45 MiB of RSS and its module interop slows property reads.
 * Logs are generated once into bench-data/
 * (git-ignored) and reused. The baseline is "read the file and split it into lines in Node,
 * nothing else": the same 1 MiB reads, a streaming TextDecoder, and split(/\r?\n/).
 * This is a benchmark, not a test: it prints figures and verdicts and always exits 0.
 */
import { spawnSync } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { createLogParser } from "../src/parse/index";

const MiB = 1 << 20;
const CHUNK = MiB;
const dataDir = join(import.meta.dirname, "..", "bench-data");

/** seconds: wall clock; cpuSeconds: the child's own user+system time (honest on a busy machine). */
type Measure = { kind: "parser" | "baseline"; bytes: number; seconds: number; cpuSeconds: number; maxRssMiB: number; count: number };

// ---- child: one measurement ---------------------------------------------------------------
/**
 * Both kinds first run once over the file's first 8 MiB, untimed, so the JIT has compiled the hot
 * code: the figures are the steady state a long-running agent sees, not one cold start.
 */
function measure(kind: Measure["kind"], file: string): Measure {
  run1(kind, file, WARM_UP);
  return run1(kind, file, Number.POSITIVE_INFINITY);
}

const WARM_UP = 8 * MiB;

function run1(kind: Measure["kind"], file: string, limit: number): Measure {
  const fd = openSync(file, "r");
  const buffer = new Uint8Array(CHUNK);
  let bytes = 0;
  let count = 0;
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  if (kind === "parser") {
    const parser = createLogParser();
    for (let n = readSync(fd, buffer, 0, CHUNK, null); n > 0 && bytes < limit; n = readSync(fd, buffer, 0, CHUNK, null)) {
      bytes += n;
      parser.push(buffer.subarray(0, n));
      count += parser.takeCompleted().events.length; // as the daemon does: nothing piles up
    }
    count += parser.finish().events.length;
  } else {
    const decoder = new TextDecoder();
    let carry = "";
    for (let n = readSync(fd, buffer, 0, CHUNK, null); n > 0 && bytes < limit; n = readSync(fd, buffer, 0, CHUNK, null)) {
      bytes += n;
      const lines = (carry + decoder.decode(buffer.subarray(0, n), { stream: true })).split(/\r?\n/);
      carry = lines.pop() ?? "";
      count += lines.length;
    }
    if (carry.length > 0) count++;
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  closeSync(fd);
  return { kind, bytes, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMiB: process.resourceUsage().maxRSS / 1024, count };
}

// ---- generator: a realistic dsmsched.log -------------------------------------------------
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number) => String(n).padStart(2, "0");
const group = (n: number) => n.toLocaleString("en-US");

/** A bench log being written: lines stamped MM/DD/YYYY by the generator's clock, written in chunks. */
function logSink(file: string, clock: () => number) {
  const fd = openSync(file, "w");
  let written = 0;
  let out: string[] = [];
  const stamp = () => {
    const d = new Date(clock());
    return `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  };
  const flush = () => {
    written += writeSync(fd, `${out.join("\n")}\n`);
    out = [];
  };
  return {
    stamp,
    add: (text: string) => void out.push(`${stamp()} ${text}`),
    flush,
    written: () => written,
    pending: () => out.length,
    close: () => {
      flush();
      closeSync(fd);
    },
  };
}

/** Many nights of many schedules (one per node the machine hosts): file lines, ANS lines, status blocks. */
function generate(file: string, target: number): void {
  const random = rng(42);
  const int = (n: number) => Math.floor(random() * n);
  let clock = Date.UTC(2021, 0, 1, 20, 0, 0);
  const log = logSink(file, () => clock);
  const { stamp, add } = log;
  const schedules = ["DAILY_INCR", "NIGHTLY_FS1", "NIGHTLY_DB", "WEEKDAILY_OUCS", "FILESERVER_02"];
  const dirs = ["home/anna/projects/fleet", "srv/data/exports/2021", "var/lib/mysql", "home/jürgen/Dokumente", "opt/app/logs"];
  while (log.written() < target) {
    const name = schedules[int(schedules.length)]!;
    const window = new Date(clock + 3600_000);
    const win = `${pad(window.getUTCHours())}:00:00 on ${pad(window.getUTCMonth() + 1)}/${pad(window.getUTCDate())}/${window.getUTCFullYear()}`;
    for (const t of [
      "Querying server for next scheduled event.",
      `Node Name: NODE${int(40)}`,
      "Session established with server TSMSRV1: Linux/x86_64",
      "  Server Version 8, Release 1, Level 14.000",
      "--- SCHEDULEREC QUERY BEGIN",
      "--- SCHEDULEREC QUERY END",
      "Next operation scheduled:",
      "-".repeat(60),
      `Schedule Name:         ${name}`,
      "Action:                Incremental",
      `Server Window Start:   ${win}`,
      "-".repeat(60),
      "Schedule will be refreshed in 1 hour.",
    ])
      add(t);
    clock = window.getTime() + int(600) * 1000;
    add("Executing scheduled command now.");
    add(`--- SCHEDULEREC OBJECT BEGIN ${name} ${win.slice(12)} ${win.slice(0, 8)}`);
    const files = 500 + int(5000);
    let failed = 0;
    const fate = random();
    const stopsAt = fate < 0.03 ? int(files) : files;
    for (let k = 0; k < stopsAt; k++) {
      if (k % 7 === 0) clock += 1000;
      const path = `/${dirs[int(dirs.length)]}/sub${int(300)}/file_${int(100000)}.dat`;
      const r = random();
      if (r < 0.8) add(`Normal File-->       ${group(int(5_000_000)).padStart(13)} ${path} [Sent]`);
      else if (r < 0.9) add(`Directory-->                   0 ${path.slice(0, path.lastIndexOf("/"))} [Sent]`);
      else if (r < 0.96) add(`Expiring-->            ${group(int(90_000)).padStart(9)} ${path} [Sent]`);
      else if (r < 0.99) add(`Updating-->            ${group(int(90_000)).padStart(9)} ${path} [Sent]`);
      else if (r < 0.996) {
        add(`ANS4037E Object '${path}' changed during processing.  Object skipped.`);
        add(`ANS1228E Sending of object '${path}' failed.`);
        failed++;
      } else add(`Retry # 1  Normal File-->       ${group(int(90_000))} ${path} [Sent]`);
      if (k > 0 && k % 500 === 0) add(`ANS1898I ***** Processed ${group(k).padStart(9)} files *****`);
    }
    if (stopsAt < files) {
      add("ANS1029E Communication with the IBM Storage Protect server is lost.");
    } else {
      add(`Successful incremental backup of '/*'`);
      const stats = [
        ["inspected", group(files * 40)],
        ["backed up", group(files - failed)],
        ["updated", "0"],
        ["rebound", "0"],
        ["deleted", "0"],
        ["expired", group(int(50))],
        ["failed", group(failed)],
      ];
      add("--- SCHEDULEREC STATUS BEGIN");
      for (const [label, value] of stats) add(`Total number of objects ${label}:${value!.padStart(14)}`);
      add(`Total number of bytes transferred:  ${(random() * 900).toFixed(2)} MB`);
      add("Data transfer time:                5.07 sec");
      add("Network data transfer rate:   14,151.96 KB/sec");
      add(`Elapsed processing time:           00:${pad(int(60))}:${pad(int(60))}`);
      add("--- SCHEDULEREC STATUS END");
      add(`--- SCHEDULEREC OBJECT END ${name} ${win.slice(12)} ${win.slice(0, 8)}`);
      if (failed > 0) add(`ANS1512E Scheduled event '${name}' failed.  Return code = 12.`);
      else add(`Scheduled event '${name}' completed successfully.`);
      add(`Sending results for scheduled event '${name}'.`);
      add(`Results sent to server for scheduled event '${name}'.`);
    }
    clock += 3600_000 * (1 + int(6));
    if (log.pending() > 20_000) log.flush();
  }
  log.close();
}

/**
 * A QUIET client (dsm.opt QUIET: no per-file lines) that runs often: every line is one the parser
 * must read closely (scheduler chatter, a status block, messages), about 4,800 runs per 16 MiB.
 */
function generateDense(file: string, target: number): void {
  const random = rng(7);
  const int = (n: number) => Math.floor(random() * n);
  let clock = Date.UTC(2021, 0, 1, 0, 0, 0);
  const log = logSink(file, () => clock);
  const { stamp, add } = log;
  const schedules = ["HOURLY_INCR", "DB_LOGS_15MIN", "ARCHLOG_Q", "FILESERVER_HOURLY"];
  while (log.written() < target) {
    const name = schedules[int(schedules.length)]!;
    const window = new Date(clock + 60_000 * (5 + int(10)));
    const win = `${pad(window.getUTCHours())}:${pad(window.getUTCMinutes())}:00 on ${pad(window.getUTCMonth() + 1)}/${pad(window.getUTCDate())}/${window.getUTCFullYear()}`;
    for (const t of [
      "Querying server for next scheduled event.",
      `Node Name: DBHOST${int(20)}`,
      "Session established with server TSMSRV1: Linux/x86_64",
      "  Server Version 8, Release 1, Level 14.000",
      `  Server date/time: ${stamp()}  Last access: ${stamp()}`,
      "--- SCHEDULEREC QUERY BEGIN",
      "--- SCHEDULEREC QUERY END",
      "Next operation scheduled:",
      "-".repeat(60),
      `Schedule Name:         ${name}`,
      "Action:                Incremental",
      "Objects:               ",
      "Options:               -subdir=yes",
      `Server Window Start:   ${win}`,
      "-".repeat(60),
      "Schedule will be refreshed in 1 hour.",
      "Time remaining until execution: 00:09:12",
    ])
      add(t);
    clock = window.getTime() + int(60) * 1000;
    add("Executing scheduled command now.");
    add(`--- SCHEDULEREC OBJECT BEGIN ${name} ${win.slice(12)} ${win.slice(0, 8)}`);
    add("Incremental backup of volume '/var/lib/db/archive'");
    clock += (5 + int(60)) * 1000;
    const files = 20 + int(400);
    let failed = 0;
    if (random() < 0.05) {
      add(`ANS4037E Object '/var/lib/db/archive/log_${int(99999)}.arc' changed during processing.  Object skipped.`);
      failed++;
    }
    if (random() < 0.01) {
      add("ANS1029E Communication with the IBM Storage Protect server is lost.");
      clock += 3600_000;
      continue;
    }
    add("Successful incremental backup of '/var/lib/db/archive'");
    add("--- SCHEDULEREC STATUS BEGIN");
    const stats: Array<[string, string]> = [
      ["Total number of objects inspected", group(files * 3)],
      ["Total number of objects backed up", group(files - failed)],
      ["Total number of objects updated", "0"],
      ["Total number of objects rebound", "0"],
      ["Total number of objects deleted", "0"],
      ["Total number of objects expired", group(int(20))],
      ["Total number of objects failed", group(failed)],
      ["Total number of objects encrypted", "0"],
      ["Total number of objects grew", "0"],
      ["Total number of retries", "0"],
      ["Total number of bytes inspected", `${(random() * 90).toFixed(2)} GB`],
      ["Total number of bytes transferred", `${(random() * 900).toFixed(2)} MB`],
      ["Data transfer time", `${(random() * 60).toFixed(2)} sec`],
      ["Network data transfer rate", `${group(int(90_000))}.96 KB/sec`],
      ["Aggregate data transfer rate", `${group(int(9_000))}.12 KB/sec`],
      ["Objects compressed by", "0%"],
      ["Total data reduction ratio", `${(random() * 99).toFixed(2)}%`],
      ["Total number of subfile objects", "0"],
      ["Total objects deduplicated", "0"],
      ["Total number of bytes processed", `${(random() * 900).toFixed(2)} MB`],
      ["Deduplication reduction", "0.00%"],
      ["Elapsed processing time", `00:${pad(int(5))}:${pad(int(60))}`],
    ];
    for (const [label, value] of stats) add(`${`${label}:`.padEnd(38)}${value.padStart(14)}`);
    add("--- SCHEDULEREC STATUS END");
    add(`--- SCHEDULEREC OBJECT END ${name} ${win.slice(12)} ${win.slice(0, 8)}`);
    if (failed > 0) add(`ANS1512E Scheduled event '${name}' failed.  Return code = 4.`);
    else add(`Scheduled event '${name}' completed successfully.`);
    add(`Sending results for scheduled event '${name}'.`);
    add(`Results sent to server for scheduled event '${name}'.`);
    clock += 60_000 * (2 + int(8));
    if (log.pending() > 20_000) log.flush();
  }
  log.close();
}

type Profile = "files" | "dense";
const PROFILES: Record<Profile, { name: string; make: (file: string, target: number) => void; about: string }> = {
  files: { name: "dsmsched", make: generate, about: "a file server: nightly runs, thousands of per-file lines each" },
  dense: { name: "dsmsched-dense", make: generateDense, about: "a QUIET client: frequent runs, no per-file lines" },
};

function logOf(mib: number, profile: Profile = "files"): string {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, `${PROFILES[profile].name}-${mib}MiB.log`);
  if (!existsSync(file) || statSync(file).size < mib * MiB) {
    process.stdout.write(`generating ${file} ...\n`);
    PROFILES[profile].make(file, mib * MiB);
  }
  return file;
}

// ---- parent: run children, print figures -------------------------------------------------
/** Transpiles this file and the parser's sources to .mjs under bench-data/js/; returns the child. */
async function compileChild(): Promise<string> {
  const ts = (await import("typescript")).default; // the parent only: the child never loads it
  const root = join(import.meta.dirname, "..");
  const out = join(dataDir, "js");
  for (const dir of ["src/parse", "src/catalogue", "src/schemas", "bench"]) {
    for (const name of readdirSync(join(root, dir)).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))) {
      const { outputText } = ts.transpileModule(readFileSync(join(root, dir, name), "utf8"), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      });
      const target = join(out, dir, name.replace(/\.ts$/, ".mjs"));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, outputText.replace(/(from\s*["'])(\.{1,2}\/[^"']+)(["'])/g, "$1$2.mjs$3"));
    }
  }
  return join(out, "bench", "parse.bench.mjs");
}

let child = "";

function run(kind: Measure["kind"], file: string): Measure {
  const result = spawnSync(process.execPath, [child, "--measure", kind, file], { encoding: "utf8", maxBuffer: MiB });
  if (result.status !== 0) throw new Error(`measuring ${kind} failed: ${result.stderr.trim().split("\n").slice(-3).join(" ")}`);
  return JSON.parse(result.stdout.trim().split("\n").at(-1)!) as Measure;
}

const speed = (m: Measure) => m.bytes / MiB / m.seconds;
const cpuSpeed = (m: Measure) => m.bytes / MiB / m.cpuSeconds;
const best = (runs: Measure[]) => runs.reduce((a, b) => (speed(b) > speed(a) ? b : a));
const bestCpu = (runs: Measure[]) => runs.reduce((a, b) => (cpuSpeed(b) > cpuSpeed(a) ? b : a));
const fmt = (n: number) => n.toFixed(1);
const verdict = (ok: boolean) => (ok ? "met" : "MISSED");

/** One profile's log: the parser against the baseline, best of a few rounds. */
function profileRun(profile: Profile, quick: boolean): void {
  const mainFile = logOf(quick ? 32 : 200, profile);
  const rounds = quick ? 2 : 3;
  const baseline: Measure[] = [];
  const parser: Measure[] = [];
  for (let r = 0; r < rounds; r++) {
    baseline.push(run("baseline", mainFile));
    parser.push(run("parser", mainFile));
  }
  const [b, p, bc, pc] = [best(baseline), best(parser), bestCpu(baseline), bestCpu(parser)];
  const ratio = speed(p) / speed(b);
  const cpuRatio = cpuSpeed(pc) / cpuSpeed(bc);
  console.log(`\n${profile}: ${PROFILES[profile].about}`);
  console.log(`log: ${mainFile} (${fmt(p.bytes / MiB)} MiB, ${p.count} events, ${b.count} lines), best of ${rounds}`);
  console.log(
    `load average: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")} on ${availableParallelism()} CPUs (wall-clock figures suffer on a busy machine; CPU-time ones much less)`,
  );
  console.log("              wall MiB/s   CPU MiB/s   peak RSS");
  console.log(`parser:       ${fmt(speed(p)).padStart(10)}  ${fmt(cpuSpeed(pc)).padStart(10)}   ${fmt(p.maxRssMiB)} MiB`);
  console.log(
    `baseline:     ${fmt(speed(b)).padStart(10)}  ${fmt(cpuSpeed(bc)).padStart(10)}   ${fmt(b.maxRssMiB)} MiB   (read + split into lines)`,
  );
  console.log(`ratio:        ${ratio.toFixed(2).padStart(10)}  ${cpuRatio.toFixed(2).padStart(10)}`);
  console.log(
    `targets:  >= 100 MiB/s ${verdict(speed(p) >= 100)} (CPU time: ${verdict(cpuSpeed(pc) >= 100)}); ratio >= 0.5 ${verdict(ratio >= 0.5)} (CPU time: ${verdict(cpuRatio >= 0.5)})`,
  );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === "--measure") {
    process.stdout.write(`${JSON.stringify(measure(args[1] as Measure["kind"], args[2]!))}\n`);
    return;
  }
  child = await compileChild();
  const quick = args.includes("--quick");
  const only = args.find((a) => a.startsWith("--profile="))?.slice("--profile=".length);
  for (const profile of Object.keys(PROFILES) as Profile[]) if (!only || only === profile) profileRun(profile, quick);
  if (quick) return;

  const smallRuns = [run("parser", logOf(64)), run("parser", logOf(64))];
  const large = run("parser", logOf(1024));
  const [small, smallCpu] = [best(smallRuns), bestCpu(smallRuns)];
  const flat = speed(large) / speed(small);
  const cpuFlat = cpuSpeed(large) / cpuSpeed(smallCpu);
  console.log(
    `\nflatness: 64 MiB ${fmt(speed(small))} MiB/s wall, ${fmt(cpuSpeed(smallCpu))} CPU; 1 GiB ${fmt(speed(large))} wall, ${fmt(cpuSpeed(large))} CPU`,
  );
  console.log(`          1 GiB / 64 MiB = ${flat.toFixed(2)} wall, ${cpuFlat.toFixed(2)} CPU`);
  console.log(`1 GiB:    peak RSS ${fmt(large.maxRssMiB)} MiB, ${large.count} events`);
  console.log(
    `targets:  flat within 10% ${verdict(flat >= 0.9)} (CPU time: ${verdict(cpuFlat >= 0.9)}); RSS < 128 MiB ${verdict(large.maxRssMiB < 128)}`,
  );
}

await main();
