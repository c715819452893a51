import path from "node:path";
import type { DateFormat, NumberFormat } from "@fleetwatch/core/parse";
import { domains, type OptionName, type Options, option, parseOptionsFile } from "./options-file";

/** One TSM node configured on this machine, as its options files describe it. */
export interface DiscoveredNode {
  node: string;
  schedLog: string;
  errorLog: string | null;
  serverAddress: string | null;
  serverPort: number | null;
  dateFormat: DateFormat;
  numberFormat: NumberFormat;
  passwordAccess: string | null;
  domains: string[];
  /** The dsm.sys stanza (`dsmc sched -se=NAME` names it), null on Windows. */
  stanza: string | null;
  optionsFile: string;
}

export interface DiscoverHost {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  hostname: string;
  /** File text, or null when it does not exist. */
  read(file: string): Promise<string | null>;
  list(dir: string): Promise<string[]>;
}

/** IBM's DATEFORMAT numbers; 6 and up (YYYY/MM/DD, DD/MM/YYYY on newer clients) are left to detection. */
const DATE_FORMATS: Record<string, DateFormat> = {
  "1": "MM/DD/YYYY",
  "2": "DD-MM-YYYY",
  "3": "YYYY-MM-DD",
  "4": "DD.MM.YYYY",
  "5": "YYYY.MM.DD",
};

/** Where the backup-archive client keeps its options by default, per OS. */
export function defaultClientDirs(platform: NodeJS.Platform): string[] {
  if (platform === "win32") return ["C:\\Program Files\\Tivoli\\TSM\\baclient", "C:\\Program Files\\Tivoli\\TSM\\baclient64"];
  if (platform === "darwin") return ["/Library/Application Support/tivoli/tsm/client/ba/bin"];
  if (platform === "aix") return ["/usr/tivoli/tsm/client/ba/bin64", "/usr/tivoli/tsm/client/ba/bin"];
  return ["/opt/tivoli/tsm/client/ba/bin", "/opt/tivoli/tsm/client/ba/bin64"];
}

/** Default log folder when SCHEDLOGNAME/ERRORLOGNAME are not set: DSM_LOG, else the client's own. */
function logDir(host: DiscoverHost, clientDir: string): string {
  if (host.env.DSM_LOG) return host.env.DSM_LOG;
  return host.platform === "darwin" ? "/Library/Logs/tivoli/tsm" : clientDir;
}

/**
 * Finds the nodes configured on this machine. `files` (from the agent config) replaces the search
 * of the default places. Unix: every dsm.sys stanza is a node (dsm.opt adds client options and
 * names the default stanza). Windows: every *.opt file in the client folder is a node.
 */
export async function discoverNodes(host: DiscoverHost, files: string[] = []): Promise<{ nodes: DiscoveredNode[]; read: string[] }> {
  const p = host.platform === "win32" ? path.win32 : path.posix;
  const dirs = host.env.DSM_DIR ? [host.env.DSM_DIR] : defaultClientDirs(host.platform);
  const read: string[] = [];
  const load = async (file: string) => {
    const text = await host.read(file);
    if (text !== null) read.push(file);
    return text;
  };
  const candidates = files.length
    ? files
    : host.platform === "win32"
      ? (await Promise.all(dirs.map(async (d) => (await host.list(d)).filter((n) => /\.opt$/i.test(n)).map((n) => p.join(d, n))))).flat()
      : [host.env.DSM_CONFIG, ...dirs.flatMap((d) => [p.join(d, "dsm.sys"), p.join(d, "dsm.opt")])].filter((f): f is string => !!f);
  if (host.platform === "win32" && host.env.DSM_CONFIG && !files.length) candidates.unshift(host.env.DSM_CONFIG);

  const nodes: DiscoveredNode[] = [];
  const add = (options: Options, file: string, stanza: string | null) => {
    const clientDir = p.dirname(file);
    const resolve = (name: OptionName, fallback: string) => {
      const value = option(options, name);
      if (!value) return p.join(logDir(host, clientDir), fallback);
      return p.isAbsolute(value) ? value : p.join(logDir(host, clientDir), value);
    };
    const node = (option(options, "NODENAME") ?? host.hostname).toUpperCase();
    if (nodes.some((n) => n.node === node)) return; // one node on two servers: the first stanza wins
    const port = Number(option(options, "TCPPORT") ?? "1500");
    const num = Number(option(options, "NUMBERFORMAT"));
    nodes.push({
      node,
      schedLog: resolve("SCHEDLOGNAME", "dsmsched.log"),
      errorLog: resolve("ERRORLOGNAME", "dsmerror.log"),
      serverAddress: option(options, "TCPSERVERADDRESS"),
      serverPort: Number.isInteger(port) && port > 0 && port < 65536 ? port : 1500,
      dateFormat: DATE_FORMATS[option(options, "DATEFORMAT") ?? ""] ?? "auto",
      numberFormat: Number.isInteger(num) && num >= 1 && num <= 6 ? (num as NumberFormat) : "auto",
      passwordAccess: option(options, "PASSWORDACCESS")?.toLowerCase() ?? null,
      domains: domains(options),
      stanza,
      optionsFile: file,
    });
  };

  const sysFiles = candidates.filter((f) => /\.sys$/i.test(f));
  const optFiles = candidates.filter((f) => !/\.sys$/i.test(f));
  if (host.platform === "win32" || sysFiles.length === 0) {
    for (const file of optFiles) {
      const text = await load(file);
      if (text !== null) add(parseOptionsFile(text, "opt")[0]!.options, file, null);
    }
    return { nodes, read };
  }
  // Unix: dsm.opt's client options apply to every stanza; its SErvername picks the default one.
  let clientOptions: Options = {};
  for (const file of optFiles) {
    const text = await load(file);
    if (text !== null) {
      clientOptions = parseOptionsFile(text, "opt")[0]!.options;
      break;
    }
  }
  for (const file of sysFiles) {
    const text = await load(file);
    if (text === null) continue;
    const [global, ...stanzas] = parseOptionsFile(text, "sys");
    const preferred = option(clientOptions, "SERVERNAME") ?? option(global!.options, "DEFAULTSERVER");
    stanzas.sort((a, b) => Number(b.server === preferred) - Number(a.server === preferred));
    for (const s of stanzas) add({ ...global!.options, ...clientOptions, ...s.options }, file, s.server);
    break;
  }
  return { nodes, read };
}
