import { execFile } from "node:child_process";

/** Set in the copy of the agent that machineTimeZone() starts: it prints Intl's zone and exits (cli.ts). */
export const PRINT_TIME_ZONE = "FLEETWATCH_AGENT_PRINT_TIME_ZONE";

/** The machine's IANA time zone as this process's Intl names it. */
export function intlTimeZone(): string | null {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
}

declare const FLEETWATCH_VERSION: string | undefined;

/**
 * The machine's IANA time zone as Intl names it, read once by a short-lived copy of the agent. The
 * first Intl.DateTimeFormat maps ICU's zone and locale data, about 6 MiB of RSS that a daemon
 * running for years would then hold for nothing: it reads local time through Date only (see
 * daemon/heartbeat-schedule.ts). V8 reads the zone once per process anyway, so once at start gives
 * what Intl gave. Outside the bundle (tests, tsx), or when the copy cannot run, Intl is asked here.
 */
export function machineTimeZone(command: readonly string[] | null = bundledSelf(), timeoutMs = 15_000): Promise<string | null> {
  if (command === null) return Promise.resolve(intlTimeZone());
  return new Promise((resolve) => {
    execFile(
      command[0]!,
      command.slice(1),
      { env: { ...process.env, [PRINT_TIME_ZONE]: "1" }, timeout: timeoutMs, windowsHide: true },
      (error, stdout) => {
        if (error) resolve(intlTimeZone());
        else resolve(String(stdout).trim() || null);
      },
    );
  });
}

/**
 * This agent again: node with the bundle, or the single executable (whose argv[1] is its own path,
 * an argument the printing copy ignores). Null when not running from the build.
 */
function bundledSelf(): string[] | null {
  if (typeof FLEETWATCH_VERSION !== "string") return null;
  return [process.execPath, ...process.argv.slice(1, 2)];
}
