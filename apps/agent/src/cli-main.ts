import { UsageError } from "./args";
import { collectCommand } from "./commands/collect";
import { enrollCommand } from "./commands/enroll";
import { parseCommand } from "./commands/parse";
import { runCommand } from "./commands/run";
import { serviceCommand } from "./commands/service";
import { shipCommand } from "./commands/ship";
import { statusCommand } from "./commands/status";
import { validateCommand } from "./commands/validate";
import { ServerError } from "./http";
import type { CliIo, Command } from "./io";

declare const FLEETWATCH_VERSION: string | undefined;
const version = typeof FLEETWATCH_VERSION === "string" ? FLEETWATCH_VERSION : "0.0.0-dev";

const commands: Command[] = [
  enrollCommand,
  runCommand,
  statusCommand,
  validateCommand,
  parseCommand,
  shipCommand,
  collectCommand,
  serviceCommand,
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
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`fleetwatch-agent: unknown command '${name}'; run fleetwatch-agent --help\n`);
    return 2;
  }
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
