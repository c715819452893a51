import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseLogs } from "@fleetwatch/core/parse";
import { parseResult } from "@fleetwatch/core/schemas";
import { describe, expect, it } from "vitest";
import { runCli } from "../cli-main";
import { parseCommand } from "./parse";

const dir = mkdtempSync(join(tmpdir(), "fw-parse-"));
function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function run(argv: string[], viaCli = false) {
  let stdout = "";
  let stderr = "";
  const io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } };
  const code = viaCli ? await runCli(["parse", ...argv], io) : await parseCommand.run(argv, io);
  return { code, stdout, stderr };
}

// Seed 000's 30-01-2008 report (dsmsched.log) and its dsmerror.log lines.
const sched = [
  "30-01-2008 00:26:04 --- SCHEDULEREC STATUS BEGIN",
  "30-01-2008 00:26:04 Total number of objects inspected: 214,391",
  "30-01-2008 00:26:04 Total number of objects failed: 1",
  "30-01-2008 00:26:04 Total number of bytes transferred: 70.20 MB",
  "30-01-2008 00:26:04 Elapsed processing time: 00:02:02",
  "30-01-2008 00:26:04 --- SCHEDULEREC STATUS END",
  "30-01-2008 00:26:04 --- SCHEDULEREC OBJECT END WEEKDAILY_OUCS 30-01-2008 00:00:00",
  "30-01-2008 00:26:04 ANS1512E Scheduled event 'WEEKDAILY_OUCS' failed. Return code =12.",
  "30-01-2008 00:26:04 Sending results for scheduled event 'WEEKDAILY_OUCS'.",
  "30-01-2008 00:26:04 Results sent to server for scheduled event 'WEEKDAILY_OUCS'.",
  "30-01-2008 00:30:00 ANS1017E Session rejected: TCP/IP connection failure",
].join("\n");
const error = "30-01-2008 00:25:28 ANS4037E Object '/var/log/test.log' changed during processing. Object skipped.\n";
const schedPath = file("dsmsched.log", sched);
const errorPath = file("dsmerror.log", error);

describe("fleetwatch-agent parse", () => {
  it("--json prints one JSON object: the parser's result, nothing else", async () => {
    const { code, stdout, stderr } = await run(["--json", "--error-log", errorPath, schedPath]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout.trim().split("\n")).toHaveLength(1);
    const json = JSON.parse(stdout);
    expect(parseResult.parse(json)).toEqual(parseLogs({ sched, error }));
    expect(json.events[0]).toMatchObject({ status: "failed", returnCode: 12, cause: "files-changed" });
  });

  it("prints a readable table by default", async () => {
    const { code, stdout } = await run([schedPath, "--error-log", errorPath]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/START\s+SCHEDULE\s+STATUS\s+RC\s+FAILED\s+CAUSE/);
    expect(stdout).toMatch(/2008-01-30 00:26:04\s+WEEKDAILY_OUCS\s+failed\s+12\s+1\s+files-changed/);
    expect(stdout).toContain("1 events (1 failed); 1 problems outside events; 0 unparsed lines");
    expect(stdout).toContain("ANS1017E");
  });

  it("passes --date-format and --number-format to the parser", async () => {
    const dotted = file(
      "dotted.log",
      "09.06.2022 20:00:05 --- SCHEDULEREC STATUS BEGIN\n09.06.2022 20:00:05 Total number of bytes transferred: 1.024 KB\n",
    );
    const forced = JSON.parse((await run(["--json", "--number-format", "5", dotted])).stdout);
    expect(forced.events[0].stats.bytesTransferred).toBe(1024 * 1024);
    const wrongDate = JSON.parse((await run(["--json", "--date-format", "MM/DD/YYYY", dotted])).stdout);
    expect(wrongDate).toMatchObject({ events: [], unparsedLines: 2 });
  });

  it.each([
    ["a missing log", () => [join(dir, "nope.log")], /cannot read .*nope\.log: no such file/],
    ["a missing error log", () => ["--error-log", join(dir, "nope-error.log"), schedPath], /nope-error\.log: no such file/],
    ["a directory", () => [dir], /cannot read .*: is a directory/],
  ])("exits 2 with one line on stderr for %s", async (_, argv, message) => {
    const { code, stdout, stderr } = await run(argv());
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(message);
    expect(stderr.trim().split("\n")).toHaveLength(1);
  });

  it("exits 2 with one line for bad options", async () => {
    for (const argv of [["--number-format", "7", schedPath], ["--date-format", "DD/MM/YYYY", schedPath], [], ["--bogus", schedPath]]) {
      const { code, stderr } = await run(argv, true);
      expect(code, argv.join(" ")).toBe(2);
      expect(stderr.trim().split("\n"), argv.join(" ")).toHaveLength(1);
    }
  });

  it("streams a log bigger than its read buffer to the same result", async () => {
    const night = (d: number) =>
      [
        `06/${String(d).padStart(2, "0")}/2022 20:00:05 --- SCHEDULEREC OBJECT BEGIN DAILY 06/${String(d).padStart(2, "0")}/2022 20:00:00`,
        ...Array.from(
          { length: 4000 },
          (_, k) => `06/${String(d).padStart(2, "0")}/2022 20:01:00 Normal File-->   1,024 /home/ü/f${k}.txt [Sent]`,
        ),
        `06/${String(d).padStart(2, "0")}/2022 20:09:00 Scheduled event 'DAILY' completed successfully.`,
        `06/${String(d).padStart(2, "0")}/2022 20:09:00 Results sent to server for scheduled event 'DAILY'.`,
      ].join("\r\n");
    const big = Array.from({ length: 9 }, (_, d) => night(d + 1)).join("\r\n");
    const path = file("big.log", big);
    expect(Buffer.byteLength(big)).toBeGreaterThan(2 << 20);
    const json = JSON.parse((await run(["--json", path])).stdout);
    expect(json).toEqual(parseLogs({ sched: big }));
    expect(json.events).toHaveLength(9);
  });

  it("--json prints, byte for byte, JSON.stringify of the one-shot result: streamed, wrapped or not", async () => {
    const stamp = (d: number, t: string) => `06/${String(d).padStart(2, "0")}/2022 ${t}`;
    const night = (d: number) => [
      stamp(d, "19:00:00 Next operation scheduled:"),
      stamp(d, "19:00:00 Schedule Name:         DAILY"),
      stamp(d, "19:00:00 Action:                Incremental"),
      stamp(d, `19:00:00 Server Window Start:   20:00:00 on 06/${String(d).padStart(2, "0")}/2022`),
      stamp(d, `20:00:05 --- SCHEDULEREC OBJECT BEGIN DAILY 06/${String(d).padStart(2, "0")}/2022 20:00:00`),
      stamp(d, "20:01:00 ANS4037E Object '/f' changed during processing.  Object skipped."),
      stamp(d, "20:09:00 Scheduled event 'DAILY' completed successfully."),
      stamp(d, "20:09:00 Results sent to server for scheduled event 'DAILY'."),
      stamp(d, "21:00:00 ANS1017E Session rejected: TCP/IP connection failure"),
    ];
    const plain = Array.from({ length: 30 }, (_, d) => night(d + 1)).flat();
    // The error log ends without a line end: its last line still counts, as in the one-shot parse.
    const errorLog = `${stamp(3, "20:05:00 ANS1228E Sending of object '/g' failed.")}\n${stamp(4, "20:06:00 ANS1228E Sending of object '/h' failed.")}`;
    const wrapped = [...plain.slice(120), "----- END OF DATA -----", ...plain.slice(0, 120), "Continued at beginning of file"];
    for (const lines of [plain, wrapped]) {
      const text = `${lines.join("\n")}\n`;
      const { code, stdout } = await run(["--json", "--error-log", file("night-errors.log", errorLog), file("nights.log", text)]);
      expect(code).toBe(0);
      expect(stdout).toBe(`${JSON.stringify(parseLogs({ sched: text, error: errorLog }))}\n`);
    }
  });

  it("always prints valid JSON for mangled logs", async () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const bytes = new TextEncoder().encode(sched);
    for (let n = 0; n < 200; n++) {
      const mangled = Uint8Array.from(bytes);
      for (let k = 0; k < 1 + (n % 40); k++) mangled[Math.floor(random() * mangled.length)] = Math.floor(random() * 256);
      const cut = mangled.subarray(0, Math.floor(random() * mangled.length));
      const { code, stdout } = await run(["--json", file("mangled.log", cut)]);
      expect(code).toBe(0);
      expect(parseResult.safeParse(JSON.parse(stdout)).success).toBe(true);
    }
  });
});
