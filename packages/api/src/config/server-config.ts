import type { BlockList } from "node:net";
import { staffRole } from "@fleetwatch/core/schemas";
import { perProcess } from "@fleetwatch/db/per-process";
import cron from "node-cron";
import { z } from "zod";
import { DEFAULT_METRICS_ALLOW, MetricsConfigError, parseAllowList } from "../integrations/metrics-access";

/**
 * Every setting of the server side (`pnpm start`, the web server, its jobs) from the environment,
 * in one zod schema: what each means, its default, and what a bad value is told. The README's
 * settings table is generated from SERVER_SETTINGS (scripts/settings-table.ts) and a test keeps
 * the two equal. The agent has its own schema (apps/agent/src/config).
 *
 * It lives in the api, not in core, because checking a value needs node-cron (the judge's own
 * cron syntax) and node:net (the metrics allow-list's CIDR blocks), and core is pure; db imports
 * nothing of ours, so it is handed DATABASE_URL (getDb(url)).
 */

type Raw = string | undefined;
type Parse<T> = (raw: string) => T | Problem;

/** What is wrong with a value, said after the variable's name ("PORT must be ..."). */
class Problem {
  constructor(readonly message: string) {}
}
const bad = (message: string) => new Problem(message);

/** Unset and empty are the same: the default. Values are trimmed, except secrets. */
function setting<T>(
  description: string,
  shownDefault: string,
  fallback: T,
  parse: Parse<T>,
  opts: { trim?: boolean } = {},
): { schema: z.ZodType<T, Raw>; description: string; shownDefault: string } {
  const schema = z
    .string()
    .optional()
    .transform((raw, ctx): T => {
      const value = raw === undefined ? "" : opts.trim === false ? raw : raw.trim();
      if (value.trim() === "") return fallback;
      const result = parse(value);
      if (result instanceof Problem) {
        ctx.addIssue({ code: "custom", message: result.message });
        return z.NEVER;
      }
      return result;
    });
  return { schema, description, shownDefault };
}

const text: Parse<string> = (raw) => raw;

function port(raw: string): number | Problem {
  const value = Number(raw);
  return Number.isInteger(value) && value >= 1 && value <= 65535
    ? value
    : bad(`must be a port number (1-65535), not "${raw}": fix or unset it`);
}

/** A switch: 1 on, 0 off (anything else is a mistake, not silently "on"). */
function onOff(raw: string): boolean | Problem {
  if (raw === "1") return true;
  if (raw === "0") return false;
  return bad(`must be 1 (on) or 0 (off), not "${raw}"`);
}

function url(protocols: string[], example: string): Parse<string> {
  return (raw) => {
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      return bad(`must be a URL such as ${example} (got "${raw}")`);
    }
    return protocols.includes(parsed.protocol) ? raw : bad(`must be a URL such as ${example} (got "${raw}")`);
  };
}

const OIDC_REQUIRED = ["FLEETWATCH_OIDC_ISSUER", "FLEETWATCH_OIDC_CLIENT_ID", "FLEETWATCH_OIDC_CLIENT_SECRET"] as const;

/** The settings, in the order the README lists them. */
export const SERVER_SETTINGS = {
  PORT: setting("The web server's port.", "`3000`", 3000, port),
  DATABASE_URL: setting(
    "An external PostgreSQL (`postgresql://user:password@host:5432/fleetwatch`); migrations are applied on start. Unset: `pnpm start` runs an embedded one and hands its URL to the web server.",
    "embedded PostgreSQL",
    null as string | null,
    url(["postgres:", "postgresql:"], "postgresql://user:password@host:5432/fleetwatch"),
  ),
  FLEETWATCH_PG_PORT: setting("The embedded PostgreSQL's port.", "`54329`", 54329, port),
  FLEETWATCH_PG_DIR: setting("The embedded PostgreSQL's data folder.", "`<FLEETWATCH_HOME>/pg`", null as string | null, text),
  FLEETWATCH_HOME: setting(
    "The state folder: the admin password, the session secret, the embedded database, the build log.",
    "`.fleetwatch/` in the clone",
    null as string | null,
    text,
  ),
  FLEETWATCH_DEMO: setting("`0`: no demo fleet is loaded into an empty database.", "`1`", true, onOff),
  FLEETWATCH_ADMIN_EMAIL: setting("The first admin's e-mail.", "`admin@fleetwatch.local`", "admin@fleetwatch.local", (raw) =>
    z.email().safeParse(raw).success ? raw : bad(`must be an e-mail address (got "${raw}")`),
  ),
  FLEETWATCH_ADMIN_PASSWORD: setting(
    "The first admin's password.",
    "generated once, kept in `.fleetwatch/admin-password`",
    null as string | null,
    text,
    { trim: false },
  ),
  NEXTAUTH_SECRET: setting(
    "The key sign-in sessions are signed with.",
    "generated once, kept in `.fleetwatch/session-secret`",
    null as string | null,
    text,
    { trim: false },
  ),
  NEXTAUTH_URL: setting(
    "The site's address as browsers reach it: its origin is the one state changes are accepted from, and https turns HSTS on. `pnpm start` sets `http://localhost:<PORT>`.",
    "the request's `Host`",
    null as string | null,
    url(["http:", "https:"], "https://fleetwatch.example.org"),
  ),
  FLEETWATCH_VERBOSE: setting("`1`: `pnpm start` shows all of the web server's output, not only the jobs' lines.", "`0`", false, onOff),
  FLEETWATCH_JOBS: setting("`0`: a web replica that runs no background jobs (judge, deliveries).", "`1`", true, onOff),
  FLEETWATCH_JUDGE_CRON: setting(
    "When the judge runs: node-cron syntax, a sixth leading field for seconds.",
    "`*/5 * * * *`",
    "*/5 * * * *",
    (raw) => (cron.validate(raw) ? raw : bad(`must be a cron expression such as "*/5 * * * *", not "${raw}": fix or unset it`)),
  ),
  FLEETWATCH_AGENT_REQUESTS_PER_MINUTE: setting(
    "Each agent's request limit per web replica, `0` for none; past it an agent gets 429 and retries later from its spool.",
    "`300`",
    300,
    (raw) => {
      const value = Number(raw);
      return Number.isFinite(value) && value >= 0 ? value : bad(`must be a number of requests, 0 for no limit (got "${raw}")`);
    },
  ),
  FLEETWATCH_SIGNIN_BACKOFF_SECONDS: setting(
    "The first back-off of a throttled password sign-in (doubling with each further failure, up to 15 minutes).",
    "`60`",
    60,
    (raw) => {
      const value = Number(raw);
      return Number.isInteger(value) && value >= 1 && value <= 900 ? value : bad(`must be whole seconds from 1 to 900 (got "${raw}")`);
    },
  ),
  FLEETWATCH_WEBHOOK_SECRET: setting(
    "The HMAC key alert webhooks are signed with; without it none is sent (never unsigned).",
    "none",
    null as string | null,
    text,
    { trim: false },
  ),
  FLEETWATCH_SMTP_PASSWORD: setting("The password for the daily digest's SMTP URL.", "none", null as string | null, text, { trim: false }),
  FLEETWATCH_METRICS_ALLOW: setting(
    "Who may read `/metrics` without an API key: addresses and CIDR blocks, comma-separated; `none` for no one.",
    `\`${DEFAULT_METRICS_ALLOW}\``,
    parseAllowList(undefined) as BlockList,
    (raw) => {
      try {
        return parseAllowList(raw);
      } catch (error) {
        if (error instanceof MetricsConfigError) return bad(error.message);
        throw error;
      }
    },
  ),
  FLEETWATCH_METRICS_PER_NODE: setting("`0`: `/metrics` has fleet totals only, no series per node or agent.", "`1`", true, onOff),
  FLEETWATCH_OIDC_ISSUER: setting(
    "Single sign-on: the OpenID Connect issuer's URL (its `/.well-known/openid-configuration` is read).",
    "none (no single sign-on)",
    null as string | null,
    (raw) => {
      const issuer = raw.replace(/\/+$/, "");
      return /^https?:\/\//.test(issuer) ? issuer : bad(`must be the issuer's URL (got "${issuer}")`);
    },
  ),
  FLEETWATCH_OIDC_CLIENT_ID: setting("Single sign-on: the client id registered with the issuer.", "none", null as string | null, text),
  FLEETWATCH_OIDC_CLIENT_SECRET: setting("Single sign-on: the client's secret.", "none", null as string | null, text),
  FLEETWATCH_OIDC_NAME: setting("Single sign-on: the sign-in button's label.", "`single sign-on`", "single sign-on", text),
  FLEETWATCH_OIDC_NEW_USER_ROLE: setting(
    "Single sign-on: the role (`viewer`, `operator`, `admin`) someone Fleetwatch does not know gets.",
    "none (they are refused)",
    null as z.infer<typeof staffRole> | null,
    (raw) => {
      const role = staffRole.safeParse(raw.toLowerCase());
      return role.success ? role.data : bad(`must be one of ${staffRole.options.join(", ")} (got "${raw.toLowerCase()}")`);
    },
  ),
};

type Settings = typeof SERVER_SETTINGS;
export type ServerSetting = keyof Settings;
export type ServerConfig = { readonly [K in ServerSetting]: z.output<Settings[K]["schema"]> };

const shape = Object.fromEntries(Object.entries(SERVER_SETTINGS).map(([name, s]) => [name, s.schema])) as {
  [K in ServerSetting]: Settings[K]["schema"];
};

/** The schema of the whole environment: each setting, then the rules between them. */
export const serverEnvSchema = z.object(shape).superRefine((config, ctx) => {
  // Half a single sign-on is refused, never silently ignored.
  const set = OIDC_REQUIRED.filter((k) => config[k] !== null);
  const missing = OIDC_REQUIRED.filter((k) => config[k] === null);
  if (set.length > 0 && missing.length > 0) {
    ctx.addIssue({
      code: "custom",
      path: [],
      message: `single sign-on is half configured: set ${missing.join(", ")} too, or none of them`,
    });
  }
});

/** A bad setting, in one line that names it and what is wrong (printed as-is, no stack trace). */
export class ServerConfigError extends Error {
  override readonly name = "ServerConfigError";
}

/** The settings in `env`, checked; throws ServerConfigError naming every bad one. */
export function parseServerEnv(env: Record<string, string | undefined>): ServerConfig {
  const result = serverEnvSchema.safeParse(env);
  if (result.success) return result.data as ServerConfig;
  const lines = result.error.issues.map((issue) => (issue.path.length ? `${String(issue.path[0])} ${issue.message}` : issue.message));
  throw new ServerConfigError(lines.join("; "));
}

/**
 * The process's settings, read from the environment once (the first call) and kept for the
 * process's life, however many bundled copies of this module ask (db/per-process.ts).
 */
export function serverConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  return perProcess("api.server-config", () => parseServerEnv(env));
}

/** DATABASE_URL, which the web server cannot do without (`pnpm start` sets it). */
export function databaseUrl(config: ServerConfig): string {
  if (!config.DATABASE_URL) {
    throw new ServerConfigError("DATABASE_URL is not set: start through `pnpm start` (it sets it) or export DATABASE_URL=postgresql://...");
  }
  return config.DATABASE_URL;
}
