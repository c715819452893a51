import path from "node:path";
import { dateFormats } from "@fleetwatch/core/parse";
import cron from "node-cron";
import type { Level } from "../log";
import { type CollectorSettings, resolveCollector } from "./collector-config";
import type { DiscoveredNode } from "./discover";

/** One node to watch, after discovery and overrides: a node named in the config may have no options file. */
export type WatchedNode = Omit<DiscoveredNode, "optionsFile"> & { optionsFile: string | null };

/** fleetwatch-agent.json, every key optional; environment variables override it. */
export interface AgentConfigFile {
  server?: string;
  stateDir?: string;
  discover?: boolean;
  optionsFiles?: string[];
  nodes?: Array<Partial<WatchedNode> & { node: string }>;
  exclude?: string[];
  heartbeatCron?: string;
  pollSeconds?: number;
  spoolMaxBytes?: number;
  startupJitterSeconds?: number;
  requestTimeoutSeconds?: number;
  logLevel?: Level;
  clientVersion?: string;
  /** The TSM server collector (dsmadmc); see collector-config.ts. */
  collector?: Record<string, unknown>;
}

export interface AgentSettings {
  server: string | null;
  stateDir: string | null;
  discover: boolean;
  optionsFiles: string[];
  nodes: Array<Partial<WatchedNode> & { node: string }>;
  exclude: string[];
  heartbeatCron: string;
  pollSeconds: number;
  spoolMaxBytes: number;
  startupJitterSeconds: number;
  requestTimeoutSeconds: number;
  logLevel: Level;
  clientVersion: string | null;
  collector: CollectorSettings | null;
}

export const defaults: AgentSettings = {
  server: null,
  stateDir: null,
  discover: true,
  optionsFiles: [],
  nodes: [],
  exclude: [],
  heartbeatCron: "*/5 * * * *",
  pollSeconds: 2,
  spoolMaxBytes: 16 * 1024 * 1024,
  startupJitterSeconds: 60,
  requestTimeoutSeconds: 30,
  logLevel: "info",
  clientVersion: null,
  collector: null,
};

const ENV: Record<string, keyof AgentConfigFile> = {
  FLEETWATCH_SERVER: "server",
  FLEETWATCH_STATE_DIR: "stateDir",
  FLEETWATCH_DISCOVER: "discover",
  FLEETWATCH_OPTIONS_FILES: "optionsFiles",
  FLEETWATCH_NODES: "nodes",
  FLEETWATCH_EXCLUDE: "exclude",
  FLEETWATCH_HEARTBEAT_CRON: "heartbeatCron",
  FLEETWATCH_POLL_SECONDS: "pollSeconds",
  FLEETWATCH_SPOOL_MAX_BYTES: "spoolMaxBytes",
  FLEETWATCH_STARTUP_JITTER_SECONDS: "startupJitterSeconds",
  FLEETWATCH_REQUEST_TIMEOUT_SECONDS: "requestTimeoutSeconds",
  FLEETWATCH_LOG_LEVEL: "logLevel",
  FLEETWATCH_CLIENT_VERSION: "clientVersion",
};

/** Environment variables as config keys (lists split on the path delimiter, nodes as JSON). */
function fromEnv(env: NodeJS.ProcessEnv, problems: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(ENV)) {
    const raw = env[name];
    if (raw === undefined || raw === "") continue;
    if (key === "nodes") {
      try {
        out[key] = JSON.parse(raw);
      } catch {
        problems.push(`${name}: not JSON (expected an array of nodes)`);
      }
    } else if (key === "optionsFiles" || key === "exclude") out[key] = raw.split(key === "exclude" ? "," : path.delimiter).filter(Boolean);
    else if (key === "discover") out[key] = !/^(0|false|no|off)$/i.test(raw);
    else if (["pollSeconds", "spoolMaxBytes", "startupJitterSeconds", "requestTimeoutSeconds"].includes(key)) out[key] = Number(raw);
    else out[key] = raw;
  }
  return out;
}

const num = (v: unknown, min: number, max: number) => typeof v === "number" && Number.isFinite(v) && v >= min && v <= max;
const str = (v: unknown) => typeof v === "string" && v.trim() !== "";
const NODE_KEYS = new Set([
  "node",
  "schedLog",
  "errorLog",
  "serverAddress",
  "serverPort",
  "dateFormat",
  "numberFormat",
  "passwordAccess",
  "domains",
  "stanza",
  "optionsFile",
]);

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
  for (const key of Object.keys(fileObj)) if (!(key in defaults)) problems.push(`unknown key "${key}" (a typo?)`);
  const merged: Record<string, unknown> = { ...fileObj, ...fromEnv(env, problems) };
  const s: AgentSettings = { ...defaults };
  const take = <K extends keyof AgentSettings>(key: K, ok: (v: unknown) => boolean, why: string) => {
    const v = merged[key];
    if (v === undefined) return;
    if (ok(v)) s[key] = v as AgentSettings[K];
    else problems.push(`${key}: ${why} (got ${JSON.stringify(v)})`);
  };
  take("server", (v) => str(v) && /^https?:\/\/[^\s/]+/.test(v as string), "must be an http(s) URL");
  take("stateDir", (v) => str(v) && path.isAbsolute(v as string), "must be an absolute path");
  take("discover", (v) => typeof v === "boolean", "must be true or false");
  take("optionsFiles", (v) => Array.isArray(v) && v.every(str), "must be a list of paths");
  take("exclude", (v) => Array.isArray(v) && v.every(str), "must be a list of node names");
  take("heartbeatCron", (v) => str(v) && cron.validate(v as string), "must be a cron expression like */5 * * * *");
  take("pollSeconds", (v) => num(v, 0.05, 3600), "must be a number of seconds, 0.05 to 3600");
  take("spoolMaxBytes", (v) => num(v, 256 * 1024, 2 ** 40) && Number.isInteger(v), "must be whole bytes, at least 262144");
  take("startupJitterSeconds", (v) => num(v, 0, 86_400), "must be seconds, 0 to 86400");
  take("requestTimeoutSeconds", (v) => num(v, 0.1, 3600), "must be seconds, 0.1 to 3600");
  take("logLevel", (v) => ["debug", "info", "warn", "error"].includes(v as string), "must be debug, info, warn or error");
  take("clientVersion", str, "must be a version string");
  if (merged.collector !== undefined && merged.collector !== null) {
    const { collector, problems: bad } = resolveCollector(merged.collector);
    problems.push(...bad);
    s.collector = collector;
  }
  if (merged.nodes !== undefined) {
    if (!Array.isArray(merged.nodes)) problems.push("nodes: must be a list");
    else {
      const seen = new Set<string>();
      for (const [i, n] of (merged.nodes as unknown[]).entries()) nodeProblems(n, `nodes[${i}]`, seen, problems);
      s.nodes = merged.nodes as AgentSettings["nodes"];
    }
  }
  return problems.length ? { settings: null, problems } : { settings: s, problems };
}

function nodeProblems(n: unknown, at: string, seen: Set<string>, problems: string[]): void {
  if (typeof n !== "object" || n === null) return void problems.push(`${at}: must be an object`);
  const o = n as Record<string, unknown>;
  for (const key of Object.keys(o)) if (!NODE_KEYS.has(key)) problems.push(`${at}: unknown key "${key}"`);
  if (!str(o.node) || (o.node as string).length > 64) problems.push(`${at}.node: a TSM node name (1-64 characters) is required`);
  else if (seen.has((o.node as string).toUpperCase())) problems.push(`${at}.node: ${o.node} is listed twice`);
  else seen.add((o.node as string).toUpperCase());
  for (const key of ["schedLog", "errorLog", "optionsFile"])
    if (
      o[key] !== undefined &&
      o[key] !== null &&
      !(str(o[key]) && (path.isAbsolute(o[key] as string) || path.win32.isAbsolute(o[key] as string)))
    )
      problems.push(`${at}.${key}: must be an absolute path`);
  if (o.serverPort !== undefined && o.serverPort !== null && !(num(o.serverPort, 1, 65535) && Number.isInteger(o.serverPort)))
    problems.push(`${at}.serverPort: must be a TCP port`);
  if (o.dateFormat !== undefined && o.dateFormat !== "auto" && !(dateFormats as readonly unknown[]).includes(o.dateFormat))
    problems.push(`${at}.dateFormat: must be auto or one of ${dateFormats.join(", ")}`);
  if (o.numberFormat !== undefined && o.numberFormat !== "auto" && ![1, 2, 3, 4, 5, 6].includes(o.numberFormat as number))
    problems.push(`${at}.numberFormat: must be auto or 1-6`);
}
