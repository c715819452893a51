import { hostname as osHostname, platform as osPlatform } from "node:os";
import path from "node:path";
import { defaultStateDir } from "../credential";
import { type Fsys, isErrno, nodeFsys } from "../fsys";
import { type AgentSettings, resolveSettings, type WatchedNode } from "./agent-config";
import { collectorFindings } from "./collector-check";
import { type DiscoverHost, discoverNodes } from "./discover";

export interface AgentConfig {
  settings: AgentSettings;
  stateDir: string;
  nodes: WatchedNode[];
  /** The fleetwatch-agent.json read, if any. */
  file: string | null;
  /** The TSM options files read. */
  optionsFiles: string[];
}

export interface LoadResult {
  config: AgentConfig | null;
  problems: string[];
  warnings: string[];
}

export interface LoadOptions {
  configPath?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  hostname?: string;
  fs?: Fsys;
}

/** Where fleetwatch-agent.json is looked for when no --config / FLEETWATCH_CONFIG names one. */
export function configCandidates(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
  const inState = path.join(env.FLEETWATCH_STATE_DIR ?? defaultStateDir(env), "fleetwatch-agent.json");
  const system =
    platform === "win32"
      ? path.win32.join(env.ProgramData ?? "C:\\ProgramData", "Fleetwatch", "fleetwatch-agent.json")
      : "/etc/fleetwatch-agent.json";
  return [inState, system];
}

/**
 * The agent's whole configuration: fleetwatch-agent.json (+ environment) over what the TSM
 * options files say. Every problem is listed; `config` is null when there is any.
 */
export async function loadConfig(opts: LoadOptions = {}): Promise<LoadResult> {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? osPlatform();
  const fs = opts.fs ?? nodeFsys;
  const problems: string[] = [];
  const warnings: string[] = [];
  const read = async (file: string) => {
    try {
      return await fs.readFile(file, "utf8");
    } catch (error) {
      if (isErrno(error, "ENOENT", "ENOTDIR")) return null;
      throw error;
    }
  };

  const named = opts.configPath ?? env.FLEETWATCH_CONFIG;
  let file: string | null = null;
  let json: unknown;
  for (const candidate of named ? [named] : configCandidates(env, platform)) {
    const text = await read(candidate).catch((e: Error) => {
      problems.push(`${candidate}: ${e.message}`);
      return null;
    });
    if (text === null) continue;
    file = candidate;
    try {
      json = JSON.parse(text);
    } catch (e) {
      problems.push(`${candidate}: not valid JSON (${(e as Error).message})`);
    }
    break;
  }
  if (named && file === null && problems.length === 0) problems.push(`${named}: no such config file`);

  const { settings, problems: bad } = resolveSettings(json, env);
  problems.push(...bad.map((p) => (file ? `${file}: ${p}` : p)));
  if (!settings) return { config: null, problems, warnings };

  const host: DiscoverHost = {
    platform,
    env,
    hostname: opts.hostname ?? env.FLEETWATCH_HOSTNAME ?? osHostname(),
    read: (f) => read(f).catch(() => null),
    list: (d) => fs.readdir(d).catch(() => []),
  };
  const found = settings.discover ? await discoverNodes(host, settings.optionsFiles) : { nodes: [], read: [] };
  const exclude = new Set(settings.exclude.map((n) => n.toUpperCase()));
  const nodes: WatchedNode[] = found.nodes.map((n) => ({ ...n }));
  for (const over of settings.nodes) {
    const name = over.node.toUpperCase();
    const base = nodes.find((n) => n.node === name);
    if (base) Object.assign(base, { ...over, node: name });
    else if (!over.schedLog) problems.push(`node ${name}: not in any options file, so the config must give its schedLog`);
    else
      nodes.push({
        serverAddress: null,
        serverPort: null,
        dateFormat: "auto",
        numberFormat: "auto",
        passwordAccess: null,
        domains: [],
        stanza: null,
        optionsFile: null,
        errorLog: null,
        ...over,
        schedLog: over.schedLog,
        node: name,
      });
  }
  const watched = nodes.filter((n) => !exclude.has(n.node));
  // A machine that only reads the TSM server (its admin client, no backup node of its own) is fine.
  if (watched.length === 0 && problems.length === 0 && !settings.collector) {
    const where = settings.optionsFiles.length ? settings.optionsFiles : found.read.length ? found.read : ["the default places"];
    problems.push(`nothing to watch: no TSM node found (looked in ${where.join(", ")}); list nodes in the config or set optionsFiles`);
  }
  for (const n of watched) {
    if (
      !(await fs.stat(n.schedLog).then(
        () => true,
        () => false,
      ))
    )
      warnings.push(`${n.node}: ${n.schedLog} does not exist yet (watched for when it appears)`);
    if (!n.serverAddress) warnings.push(`${n.node}: no TCPSERVERADDRESS, so heartbeats cannot say whether the TSM server answers`);
  }
  if (settings.collector) {
    const found = await collectorFindings(settings.collector, { env, platform, fs });
    problems.push(...found.problems);
    warnings.push(...found.warnings);
  }
  if (problems.length) return { config: null, problems, warnings };
  return {
    config: { settings, stateDir: settings.stateDir ?? defaultStateDir(env), nodes: watched, file, optionsFiles: found.read },
    problems,
    warnings,
  };
}
