import path from "node:path";
import { defaultClientDirs } from "./discover";

/**
 * The `collector` section of fleetwatch-agent.json: how this machine reads the TSM server's own
 * tables with dsmadmc. The admin password never lives in the config: it names a file or an
 * environment variable that holds it.
 */
export interface CollectorSettings {
  /** dsmadmc to run; null: the client's usual install path for the OS, else `dsmadmc` on PATH. */
  dsmadmc: string | null;
  /** dsmadmc -SERVERName: the dsm.sys stanza (Unix) naming the TSM server; null for the default. */
  stanza: string | null;
  adminId: string;
  passwordFile: string | null;
  passwordEnv: string | null;
  intervalMinutes: number;
  /** Which TSM server, as Fleetwatch names nodes' servers: "" for a site's only server. */
  serverLabel: string;
  /** The TSM server's local time as minutes east of UTC; null: this machine's offset at collection time. */
  utcOffsetMinutes: number | null;
  /** Deadline for one dsmadmc run. */
  timeoutSeconds: number;
}

export const collectorDefaults = {
  dsmadmc: null,
  stanza: null,
  passwordFile: null,
  passwordEnv: null,
  intervalMinutes: 60,
  serverLabel: "",
  utcOffsetMinutes: null,
  timeoutSeconds: 120,
} satisfies Partial<CollectorSettings>;

const KEYS = new Set([
  "dsmadmc",
  "stanza",
  "adminId",
  "passwordFile",
  "passwordEnv",
  "intervalMinutes",
  "serverLabel",
  "utcOffsetMinutes",
  "timeoutSeconds",
]);

const str = (v: unknown): v is string => typeof v === "string" && v.trim() !== "";
const absolute = (v: unknown) => str(v) && (path.isAbsolute(v) || path.win32.isAbsolute(v));
const whole = (v: unknown, min: number, max: number): v is number => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;

/** Checks the section and lists every problem (prefixed `collector.`); settings only when there is none. */
export function resolveCollector(raw: unknown): { collector: CollectorSettings | null; problems: string[] } {
  const problems: string[] = [];
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return { collector: null, problems: ["collector: must be an object"] };
  const o = raw as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (/^pass(word)?$/i.test(key))
      problems.push(`collector.${key}: never put the admin password in the config; use passwordFile or passwordEnv`);
    else if (!KEYS.has(key)) problems.push(`collector: unknown key "${key}" (a typo?)`);
  }
  const c: CollectorSettings = { ...collectorDefaults, adminId: "" };
  const bad = (key: string, why: string) => problems.push(`collector.${key}: ${why} (got ${JSON.stringify(o[key])})`);

  if (o.dsmadmc !== undefined && o.dsmadmc !== null) {
    // A bare name is looked up on PATH; anything with a folder in it must be absolute.
    if (str(o.dsmadmc) && (absolute(o.dsmadmc) || !/[\\/]/.test(o.dsmadmc))) c.dsmadmc = o.dsmadmc;
    else bad("dsmadmc", "must be an absolute path or a program name on PATH");
  }
  if (o.stanza !== undefined && o.stanza !== null) {
    // Passed as one -SERVERName=... argument: no spaces, as dsm.sys stanza names have none.
    if (str(o.stanza) && /^\S{1,64}$/.test(o.stanza)) c.stanza = o.stanza;
    else bad("stanza", "must be a dsm.sys server stanza name (no spaces)");
  }
  if (str(o.adminId) && /^[^\s=]{1,64}$/.test(o.adminId)) c.adminId = o.adminId;
  else if (o.adminId === undefined) problems.push("collector.adminId: the TSM administrator id is required");
  else bad("adminId", "must be a TSM administrator id (1-64 characters, no spaces)");

  if (o.passwordFile !== undefined && o.passwordFile !== null) {
    if (absolute(o.passwordFile)) c.passwordFile = o.passwordFile as string;
    else bad("passwordFile", "must be an absolute path");
  }
  if (o.passwordEnv !== undefined && o.passwordEnv !== null) {
    if (str(o.passwordEnv) && /^[A-Za-z_][A-Za-z0-9_]*$/.test(o.passwordEnv)) c.passwordEnv = o.passwordEnv;
    else bad("passwordEnv", "must be the name of an environment variable");
  }
  if (o.passwordFile == null && o.passwordEnv == null)
    problems.push("collector: name where the admin password is kept: passwordFile (a file only the agent can read) or passwordEnv");
  else if (o.passwordFile != null && o.passwordEnv != null) problems.push("collector: give passwordFile or passwordEnv, not both");

  if (o.intervalMinutes !== undefined) {
    if (whole(o.intervalMinutes, 5, 7 * 24 * 60)) c.intervalMinutes = o.intervalMinutes;
    else bad("intervalMinutes", "must be whole minutes, 5 to 10080");
  }
  if (o.serverLabel !== undefined) {
    if (typeof o.serverLabel === "string" && o.serverLabel.length <= 64) c.serverLabel = o.serverLabel;
    else bad("serverLabel", 'must be a label of up to 64 characters ("" for a site\'s only TSM server)');
  }
  if (o.utcOffsetMinutes !== undefined && o.utcOffsetMinutes !== null) {
    if (whole(o.utcOffsetMinutes, -14 * 60, 14 * 60)) c.utcOffsetMinutes = o.utcOffsetMinutes;
    else bad("utcOffsetMinutes", "must be whole minutes east of UTC, -840 to 840 (e.g. 60 for CET)");
  }
  if (o.timeoutSeconds !== undefined) {
    if (whole(o.timeoutSeconds, 5, 3600)) c.timeoutSeconds = o.timeoutSeconds;
    else bad("timeoutSeconds", "must be whole seconds, 5 to 3600");
  }
  return problems.length ? { collector: null, problems } : { collector: c, problems };
}

/**
 * Where the backup-archive client installs dsmadmc, per OS: its client folders (the ones
 * discover.ts reads options from), then where the installer links it onto PATH.
 */
export function dsmadmcCandidates(platform: NodeJS.Platform): string[] {
  const p = platform === "win32" ? path.win32 : path.posix;
  const program = platform === "win32" ? "dsmadmc.exe" : "dsmadmc";
  const linked = platform === "win32" ? [] : platform === "darwin" ? ["/usr/local/bin/dsmadmc"] : ["/usr/bin/dsmadmc"];
  return [...defaultClientDirs(platform).map((d) => p.join(d, program)), ...linked];
}
