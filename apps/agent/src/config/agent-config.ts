import path from "node:path";
import { dateFormats } from "@fleetwatch/core/parse";
import cron from "node-cron";
import { z } from "zod";
import type { Level } from "../log";
import { type CollectorSettings, resolveCollector } from "./collector-config";
import type { DiscoveredNode } from "./discover";

/** One node to watch, after discovery and overrides: a node named in the config may have no options file. */
export type WatchedNode = Omit<DiscoveredNode, "optionsFile"> & { optionsFile: string | null };

/** How an environment variable's text becomes the setting's value. */
type FromEnv = "text" | "number" | "switch" | "paths" | "names" | "json";

/** Each setting once: its check, its default, its environment variable, and the line a person reads when it is wrong. */
const setting = <T extends z.ZodType>(schema: T, why: string, env?: { name: string; from: FromEnv }) => schema.meta({ why, env });

const text = (v: string) => v.trim() !== "";
/** A text setting whose default is "not set" (null); a null in the file is a mistake, as it always was. */
const optionalText = (check: (v: string) => boolean) =>
  z
    .string()
    .refine(check)
    .optional()
    .transform((v) => v ?? null);
const absolutePath = (v: string) => text(v) && (path.isAbsolute(v) || path.win32.isAbsolute(v));
const formatsWhy = `must be auto or one of ${dateFormats.join(", ")}`;

/** One node in the config's `nodes`: overrides for a discovered node, or a node no options file names. */
const nodeOverride = z.strictObject({
  node: setting(z.string().refine(text).max(64), "a TSM node name (1-64 characters) is required"),
  schedLog: setting(z.string().refine(absolutePath).nullish(), "must be an absolute path"),
  errorLog: setting(z.string().refine(absolutePath).nullish(), "must be an absolute path"),
  optionsFile: setting(z.string().refine(absolutePath).nullish(), "must be an absolute path"),
  // Not checked (as ever): what discovery would have read from an options file.
  serverAddress: z.custom<string | null>().optional(),
  serverPort: setting(z.number().int().min(1).max(65535).nullish(), "must be a TCP port"),
  dateFormat: setting(z.union([z.literal("auto"), z.enum(dateFormats)]).optional(), formatsWhy),
  numberFormat: setting(z.union([z.literal("auto"), z.literal([1, 2, 3, 4, 5, 6])]).optional(), "must be auto or 1-6"),
  passwordAccess: z.custom<string | null>().optional(),
  domains: z.custom<string[]>().optional(),
  stanza: z.custom<string | null>().optional(),
});

/**
 * fleetwatch-agent.json and its environment variables, in one place: the file's shape
 * (AgentConfigFile), the settings with their defaults (AgentSettings, `defaults`), which variable
 * sets which key, and each key's problem line all follow from it.
 */
export const agentSettings = z.object({
  server: setting(
    optionalText((v) => text(v) && /^https?:\/\/[^\s/]+/.test(v)),
    "must be an http(s) URL",
    { name: "FLEETWATCH_SERVER", from: "text" },
  ),
  stateDir: setting(
    optionalText((v) => text(v) && path.isAbsolute(v)),
    "must be an absolute path",
    {
      name: "FLEETWATCH_STATE_DIR",
      from: "text",
    },
  ),
  discover: setting(z.boolean().default(true), "must be true or false", { name: "FLEETWATCH_DISCOVER", from: "switch" }),
  optionsFiles: setting(z.array(z.string().refine(text)).default([]), "must be a list of paths", {
    name: "FLEETWATCH_OPTIONS_FILES",
    from: "paths",
  }),
  exclude: setting(z.array(z.string().refine(text)).default([]), "must be a list of node names", {
    name: "FLEETWATCH_EXCLUDE",
    from: "names",
  }),
  heartbeatCron: setting(
    z
      .string()
      .refine((v) => text(v) && cron.validate(v))
      .default("*/5 * * * *"),
    "must be a cron expression like */5 * * * *",
    { name: "FLEETWATCH_HEARTBEAT_CRON", from: "text" },
  ),
  pollSeconds: setting(z.number().min(0.05).max(3600).default(2), "must be a number of seconds, 0.05 to 3600", {
    name: "FLEETWATCH_POLL_SECONDS",
    from: "number",
  }),
  spoolMaxBytes: setting(
    z
      .number()
      .int()
      .min(256 * 1024)
      .max(2 ** 40)
      .default(16 * 1024 * 1024),
    "must be whole bytes, at least 262144",
    {
      name: "FLEETWATCH_SPOOL_MAX_BYTES",
      from: "number",
    },
  ),
  startupJitterSeconds: setting(z.number().min(0).max(86_400).default(60), "must be seconds, 0 to 86400", {
    name: "FLEETWATCH_STARTUP_JITTER_SECONDS",
    from: "number",
  }),
  requestTimeoutSeconds: setting(z.number().min(0.1).max(3600).default(30), "must be seconds, 0.1 to 3600", {
    name: "FLEETWATCH_REQUEST_TIMEOUT_SECONDS",
    from: "number",
  }),
  logLevel: setting(z.enum(["debug", "info", "warn", "error"]).default("info"), "must be debug, info, warn or error", {
    name: "FLEETWATCH_LOG_LEVEL",
    from: "text",
  }),
  clientVersion: setting(optionalText(text), "must be a version string", {
    name: "FLEETWATCH_CLIENT_VERSION",
    from: "text",
  }),
  /** The TSM server collector (dsmadmc): checked by collector-config.ts, which keeps the password out of every message. */
  collector: z.unknown().optional(),
  nodes: setting(z.array(z.unknown()).default([]), "must be a list", { name: "FLEETWATCH_NODES", from: "json" }),
});

/** fleetwatch-agent.json, every key optional; environment variables override it. */
export type AgentConfigFile = z.input<typeof agentSettings>;
export type NodeOverride = z.output<typeof nodeOverride> & { node: string };
export type AgentSettings = Omit<z.output<typeof agentSettings>, "nodes" | "collector" | "logLevel"> & {
  logLevel: Level;
  nodes: NodeOverride[];
  collector: CollectorSettings | null;
};

export const defaults: AgentSettings = { ...agentSettings.parse({}), nodes: [], collector: null };

type Meta = { why?: string; env?: { name: string; from: FromEnv } };
const metaOf = (schema: z.ZodType) => (schema.meta() ?? {}) as Meta;
const SETTINGS = Object.entries(agentSettings.shape) as Array<[keyof AgentSettings, z.ZodType]>;

/** Environment variables as config keys, as each setting's `env` says to read them. */
function fromEnv(env: NodeJS.ProcessEnv, problems: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, schema] of SETTINGS) {
    const from = metaOf(schema).env;
    const raw = from && env[from.name];
    if (!from || raw === undefined || raw === "") continue;
    if (from.from === "json") {
      try {
        out[key] = JSON.parse(raw);
      } catch {
        problems.push(`${from.name}: not JSON (expected an array of nodes)`);
      }
    } else if (from.from === "paths" || from.from === "names")
      out[key] = raw.split(from.from === "names" ? "," : path.delimiter).filter(Boolean);
    else if (from.from === "switch") out[key] = !/^(0|false|no|off)$/i.test(raw);
    else if (from.from === "number") out[key] = Number(raw);
    else out[key] = raw;
  }
  return out;
}

/** The keys of `shape` that `issues` find fault with, in the shape's order. */
function faulty(shape: Record<string, z.ZodType>, issues: readonly z.core.$ZodIssue[]): string[] {
  const bad = new Set(issues.map((i) => String(i.path[0])));
  return Object.keys(shape).filter((k) => bad.has(k));
}

/**
 * Validates the file's JSON and the environment together and lists every problem at once (a
 * person fixing a config wants them all, not one per try). Nothing is half-applied: problems
 * mean no settings.
 */
export function resolveSettings(file: unknown, env: NodeJS.ProcessEnv): { settings: AgentSettings | null; problems: string[] } {
  const problems: string[] = [];
  if (file !== undefined && (typeof file !== "object" || file === null || Array.isArray(file))) {
    return { settings: null, problems: ["the config file must hold one JSON object"] };
  }
  const fileObj = (file ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(fileObj)) if (!(key in agentSettings.shape)) problems.push(`unknown key "${key}" (a typo?)`);
  const merged: Record<string, unknown> = { ...fileObj, ...fromEnv(env, problems) };
  const parsed = agentSettings.safeParse(merged);
  const shape = agentSettings.shape as Record<string, z.ZodType>;
  const wrong = parsed.success ? [] : faulty(shape, parsed.error.issues);
  for (const key of wrong) if (key !== "nodes") problems.push(`${key}: ${metaOf(shape[key]!).why} (got ${JSON.stringify(merged[key])})`);
  let collector: CollectorSettings | null = null;
  if (merged.collector !== undefined && merged.collector !== null) {
    const resolved = resolveCollector(merged.collector);
    problems.push(...resolved.problems);
    collector = resolved.collector;
  }
  if (wrong.includes("nodes")) problems.push("nodes: must be a list");
  else if (Array.isArray(merged.nodes)) {
    const seen = new Set<string>();
    for (const [i, n] of (merged.nodes as unknown[]).entries()) nodeProblems(n, `nodes[${i}]`, seen, problems);
  }
  if (problems.length || !parsed.success) return { settings: null, problems };
  return { settings: { ...parsed.data, logLevel: parsed.data.logLevel, nodes: parsed.data.nodes as NodeOverride[], collector }, problems };
}

/** One node's problems, each key's line from nodeOverride, in its order; a name listed twice too. */
function nodeProblems(n: unknown, at: string, seen: Set<string>, problems: string[]): void {
  if (typeof n !== "object" || n === null) return void problems.push(`${at}: must be an object`);
  const o = n as Record<string, unknown>;
  const shape = nodeOverride.shape as Record<string, z.ZodType>;
  for (const key of Object.keys(o)) if (!(key in shape)) problems.push(`${at}: unknown key "${key}"`);
  const parsed = nodeOverride.safeParse(Object.fromEntries(Object.entries(o).filter(([k]) => k in shape)));
  const wrong = new Set(parsed.success ? [] : faulty(shape, parsed.error.issues));
  for (const key of Object.keys(shape)) {
    if (wrong.has(key)) problems.push(`${at}.${key}: ${metaOf(shape[key]!).why}`);
    else if (key === "node") {
      const name = (o.node as string).toUpperCase();
      if (seen.has(name)) problems.push(`${at}.node: ${o.node} is listed twice`);
      else seen.add(name);
    }
  }
}
