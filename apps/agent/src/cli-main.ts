import { UsageError } from "./args";
import { ServerError } from "./http";
import type { CliIo, Command } from "./io";

declare const FLEETWATCH_VERSION: string | undefined;
const version = typeof FLEETWATCH_VERSION === "string" ? FLEETWATCH_VERSION : "0.0.0-dev";

/**
 * Each command's module loads only when it runs: the daemon (`run`, for years on a client) never
 * holds what enroll, parse, ship, collect, status, validate and service need.
 */
const commands: Array<{ name: string; summary: string; load: () => Promise<Command> }> = [
  {
    name: "enroll",
    summary: "trade a one-time enrollment token for this agent's own credential",
    load: async () => (await import("./commands/enroll")).enrollCommand,
  },
  { name: "run", summary: "run the daemon: tail, spool, ship, beat", load: async () => (await import("./commands/run")).runCommand },
  {
    name: "status",
    summary: "show what the agent watches, its cursors, spool and last shipment",
    load: async () => (await import("./commands/status")).statusCommand,
  },
  {
    name: "validate",
    summary: "check the config and list every problem",
    load: async () => (await import("./commands/validate")).validateCommand,
  },
  {
    name: "parse",
    summary: "parse a dsmsched.log (and dsmerror.log) and print its events",
    load: async () => (await import("./commands/parse")).parseCommand,
  },
  {
    name: "ship",
    summary: "send a dsmsched.log's events (and recorded heartbeats) to the server once",
    load: async () => (await import("./commands/ship")).shipCommand,
  },
  {
    name: "collect",
    summary: "read the TSM server's nodes, schedules and associations with dsmadmc and send them",
    load: async () => (await import("./commands/collect")).collectCommand,
  },
  {
    name: "service",
    summary: "install, uninstall or show the agent as a system service",
    load: async () => (await import("./commands/service")).serviceCommand,
  },
];

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `fleetwatch-agent ${version}: watches IBM Storage Protect scheduler logs and reports every scheduled backup`,
    "",
    "usage: fleetwatch-agent <command> [options]",
    "",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `fleetwatch-agent <command> --help` for a command's options.",
    "",
  ].join("\n");
}

/** Dispatch a command; every failure becomes one line on stderr and an exit code, never a stack. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(help());
    return 0;
  }
  if (name === "--version" || name === "-v") {
    io.stdout.write(`${version}\n`);
    return 0;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.stderr.write(`fleetwatch-agent: unknown command '${name}'; run fleetwatch-agent --help\n`);
    return 2;
  }
  const command = await entry.load();
  // Every command answers --help and --version the same way, whatever its own options.
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout.write(`usage: ${command.usage}\n`);
    return 0;
  }
  if (rest.includes("--version")) {
    io.stdout.write(`${version}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    io.stderr.write(`fleetwatch-agent ${name}: ${oneLine(error)}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}

function oneLine(error: unknown): string {
  if (error instanceof UsageError || error instanceof ServerError) return error.message;
  const err = error as NodeJS.ErrnoException;
  if (err?.code === "ENOENT") return `no such file: ${err.path ?? "?"}`;
  if (err?.code === "EACCES") return `permission denied: ${err.path ?? "?"}`;
  return err instanceof Error ? (err.message.split("\n")[0] ?? "failed") : String(error);
}
