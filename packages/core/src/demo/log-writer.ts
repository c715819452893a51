import { type DemoNight, type DemoNode, RETIRED_RUNS } from "./fleet";

/** Real-format dsmsched.log / dsmerror.log text for a demo node, written as the TSM client does. */
export interface DemoLogs {
  sched: string;
  error: string;
}

type Stamp = (d: Date) => string;

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

function stampFor(format: DemoNode["dateFormat"]): Stamp {
  return (d) => {
    const [Y, M, D] = [d.getUTCFullYear(), pad(d.getUTCMonth() + 1), pad(d.getUTCDate())];
    const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    const date = {
      "DD-MM-YYYY": `${D}-${M}-${Y}`,
      "MM/DD/YYYY": `${M}/${D}/${Y}`,
      "YYYY-MM-DD": `${Y}-${M}-${D}`,
      "DD.MM.YYYY": `${D}.${M}.${Y}`,
    }[format];
    return `${date} ${time}`;
  };
}

/** German-locale clients (DD.MM.YYYY) write numbers as 1.000,00 (NUMBERFORMAT 5). */
function numberFor(format: DemoNode["dateFormat"]) {
  const [group, dec] = format === "DD.MM.YYYY" ? [".", ","] : [",", "."];
  return (n: number, decimals = 0) => {
    const [int, frac] = n.toFixed(decimals).split(".");
    const grouped = (int as string).replace(/\B(?=(\d{3})+(?!\d))/g, group);
    return frac ? `${grouped}${dec}${frac}` : grouped;
  };
}

export function renderDemoLogs(node: DemoNode, lastNight: string): DemoLogs {
  const stamp = stampFor(node.dateFormat);
  const num = numberFor(node.dateFormat);
  const sched: string[] = [];
  const error: string[] = [];
  const last = Date.parse(`${lastNight}T00:00:00Z`);
  const windowAt = (n: number) => new Date(last - (node.nights.length - 1 - n) * 86_400_000 + node.startHour * 3_600_000);
  if (node.retiredDaysAgo !== null) {
    // The retired machine's last backups, long before the nights shown.
    const before = (n: number) =>
      new Date(last - (node.retiredDaysAgo as number) * 86_400_000 + node.startHour * 3_600_000 - (RETIRED_RUNS - 1 - n) * 86_400_000);
    for (let n = 0; n < RETIRED_RUNS; n++) {
      const start = before(n);
      writeRun(sched, error, { node, night: { kind: "completed", failedObjects: 0 }, start, seed: (n * 7919) % 997, stamp, num });
      writeNextQuery(sched, node, before(n + 1), new Date(start.getTime() + 3_600_000), stamp);
    }
  }
  for (let n = node.activeFrom; n < node.nights.length; n++) {
    const night = node.nights[n] as DemoNight;
    const start = windowAt(n);
    const seed = (n * 7919 + node.name.length * 104729) % 997;
    if (night.kind === "missed") continue;
    writeRun(sched, error, { node, night, start, seed, stamp, num });
    // After the run (which ends within 29 min) and inside the hour's window: a night's lines all lie
    // before the window closes, so a demo loaded right after it has nothing in the future.
    if (night.kind !== "in-progress")
      writeNextQuery(sched, node, windowAt(n + 1), new Date(start.getTime() + 1_800_000 + seed * 1000), stamp);
  }
  return { sched: sched.join("\n") + (sched.length ? "\n" : ""), error: error.join("\n") + (error.length ? "\n" : "") };
}

interface RunContext {
  node: DemoNode;
  night: DemoNight;
  start: Date;
  seed: number;
  stamp: Stamp;
  num: (n: number, decimals?: number) => string;
}

function writeNextQuery(out: string[], node: DemoNode, next: Date, at: Date, stamp: Stamp) {
  const s = stamp(at);
  const [date] = stamp(next).split(" ");
  out.push(
    `${s} Querying server for next scheduled event.`,
    `${s} Node Name: ${node.name}`,
    `${s} Session established with server TSM1: Linux/x86_64`,
    `${s} Next operation scheduled:`,
    `${s} ------------------------------------------------------------`,
    `${s} Schedule Name:         ${node.schedule}`,
    `${s} Action:                Incremental`,
    `${s} Objects:`,
    `${s} Options:`,
    `${s} Server Window Start:   ${pad(node.startHour)}:00:00 on ${date}`,
    `${s} ------------------------------------------------------------`,
    `${s} Waiting to be contacted by the server.`,
  );
}

function writeRun(out: string[], err: string[], ctx: RunContext) {
  const { node, night, start, seed, stamp, num } = ctx;
  const at = (seconds: number) => stamp(new Date(start.getTime() + (seed % 600) * 1000 + seconds * 1000));
  const windowStamp = stamp(start);
  const volume = node.os === "win32" ? `\\\\${node.hostname}\\c$` : "/";
  out.push(
    `${at(0)} Executing scheduled command now.`,
    `${at(1)} --- SCHEDULEREC OBJECT BEGIN ${node.schedule} ${windowStamp}`,
    `${at(2)} Incremental backup of volume '${volume}'`,
  );
  const both = (seconds: number, line: string) => {
    out.push(`${at(seconds)} ${line}`);
    err.push(`${at(seconds)} ${line}`);
  };
  if (night.kind === "in-progress") return;
  if (night.kind === "aborted") return void out.push(`${at(300)} ANS1898I ***** Processed     4,500 files *****`);
  if (night.kind === "severed") {
    both(400, "ANS1809W A session with the TSM server has been disconnected. An attempt will be made to reestablish the connection.");
    both(460, "ANS1811S TSM session could not be reestablished.");
    both(461, "ANS1029E Communication with the TSM server is lost.");
    return;
  }
  let failed = night.kind === "completed" ? night.failedObjects : 0;
  if (night.kind === "failed") {
    switch (night.reason) {
      case "node-locked":
        both(3, "ANS1361E Session Rejected: The specified node name is currently locked.");
        return void finish(out, ctx, at(4), 12, null);
      case "invalid-domain":
        both(3, `ANS1071E Invalid domain name entered: '/data/fred'`);
        failed = 0;
        break;
      case "out-of-memory":
        both(500, "ANS1030E The operating system refused a TSM request for memory allocation.");
        break;
      case "corrupt-files":
        both(600, `ANS4046E There is an error processing '${volume}home/user/thesis.doc': the object is corrupted and unreadable.`);
        failed = 1;
        break;
      case "files-changed":
        both(700, `ANS1228E Sending of object '${volume}var/log/test.log' failed`);
        both(700, `ANS4037E Object '${volume}var/log/test.log' changed during processing.  Object skipped.`);
        both(703, `ANS1802E Incremental backup of '${volume}' finished with 1 failure`);
        failed = 1;
        break;
      case "sign-off-only":
        failed = 0;
        break;
    }
  } else if (failed > 0) {
    for (let f = 0; f < failed; f++) both(650 + f, `ANS4005E Error processing '${volume}tmp/scratch${f}.tmp': file not found`);
  }
  const inspected = 20_000 + seed * 211;
  const elapsed = 120 + seed;
  out.push(
    `${at(elapsed)} --- SCHEDULEREC STATUS BEGIN`,
    `${at(elapsed)} Total number of objects inspected: ${num(inspected)}`,
    `${at(elapsed)} Total number of objects backed up: ${num(10 + (seed % 90))}`,
    `${at(elapsed)} Total number of objects updated: 0`,
    `${at(elapsed)} Total number of objects rebound: 0`,
    `${at(elapsed)} Total number of objects deleted: 0`,
    `${at(elapsed)} Total number of objects expired: ${seed % 5}`,
    `${at(elapsed)} Total number of objects failed: ${failed}`,
    `${at(elapsed)} Total number of bytes transferred: ${num(10 + seed / 7, 2)} MB`,
    `${at(elapsed)} Data transfer time: ${num(5 + seed / 100, 2)} sec`,
    `${at(elapsed)} Network data transfer rate: ${num(14151.96, 2)} KB/sec`,
    `${at(elapsed)} Aggregate data transfer rate: ${num(588.2, 2)} KB/sec`,
    `${at(elapsed)} Objects compressed by: 0%`,
    `${at(elapsed)} Elapsed processing time: 00:${pad(Math.floor(elapsed / 60))}:${pad(elapsed % 60)}`,
    `${at(elapsed)} --- SCHEDULEREC STATUS END`,
  );
  const rc = night.kind === "failed" ? 12 : failed > 0 ? 4 : 0;
  finish(out, ctx, at(elapsed), rc, windowStamp);
}

function finish(out: string[], ctx: RunContext, s: string, rc: number, windowStamp: string | null) {
  const { node } = ctx;
  out.push(`${s} --- SCHEDULEREC OBJECT END ${node.schedule} ${windowStamp ?? ctx.stamp(ctx.start)}`);
  // TSM logs ANS1512E for any non-zero result, 4 (files skipped) included; the server still
  // calls a 4 Completed, and so does the parser: the return code decides.
  if (rc === 0) out.push(`${s} Scheduled event '${node.schedule}' completed successfully.`);
  else out.push(`${s} ANS1512E Scheduled event '${node.schedule}' failed.  Return code = ${rc}.`);
  out.push(
    `${s} Sending results for scheduled event '${node.schedule}'.`,
    `${s} Results sent to server for scheduled event '${node.schedule}'.`,
  );
}
