import { DEFAULT_PG_PORT } from "@fleetwatch/db/ensure";
import { forgetPerProcess } from "@fleetwatch/db/per-process";
import { afterEach, describe, expect, it } from "vitest";
import { addressAllowed } from "../integrations/metrics-access";
import { parseServerEnv, SERVER_SETTINGS, ServerConfigError, serverConfig } from "./server-config";

afterEach(() => forgetPerProcess("api.server-config"));

describe("the server's settings", () => {
  it("has every default when nothing is set, and treats empty as unset", () => {
    const config = parseServerEnv({ PORT: "", FLEETWATCH_JUDGE_CRON: "  " });
    expect(config).toMatchObject({
      PORT: 3000,
      DATABASE_URL: null,
      FLEETWATCH_PG_PORT: DEFAULT_PG_PORT,
      FLEETWATCH_DEMO: true,
      FLEETWATCH_ADMIN_EMAIL: "admin@fleetwatch.local",
      FLEETWATCH_ADMIN_PASSWORD: null,
      NEXTAUTH_SECRET: null,
      FLEETWATCH_VERBOSE: false,
      FLEETWATCH_JOBS: true,
      FLEETWATCH_JUDGE_CRON: "*/5 * * * *",
      FLEETWATCH_AGENT_REQUESTS_PER_MINUTE: 300,
      FLEETWATCH_SIGNIN_BACKOFF_SECONDS: 60,
      FLEETWATCH_WEBHOOK_SECRET: null,
      FLEETWATCH_SMTP_PASSWORD: null,
      FLEETWATCH_METRICS_PER_NODE: true,
      FLEETWATCH_OIDC_ISSUER: null,
      FLEETWATCH_OIDC_NAME: "single sign-on",
      FLEETWATCH_OIDC_NEW_USER_ROLE: null,
    });
    expect(addressAllowed(config.FLEETWATCH_METRICS_ALLOW, "127.0.0.1")).toBe(true);
    expect(addressAllowed(config.FLEETWATCH_METRICS_ALLOW, "10.0.0.1")).toBe(false);
  });

  it("reads what is set: numbers, switches, URLs, secrets as written", () => {
    const config = parseServerEnv({
      PORT: "8080",
      DATABASE_URL: "postgresql://fw:secret@db.example.org:5432/fleetwatch",
      FLEETWATCH_DEMO: "0",
      FLEETWATCH_JOBS: "1",
      FLEETWATCH_VERBOSE: "1",
      FLEETWATCH_JUDGE_CRON: "*/15 * * * * *",
      FLEETWATCH_WEBHOOK_SECRET: " with spaces ",
      FLEETWATCH_METRICS_ALLOW: "10.0.0.0/8",
      FLEETWATCH_OIDC_ISSUER: "https://login.example.edu/realms/staff/",
      FLEETWATCH_OIDC_CLIENT_ID: "fleetwatch",
      FLEETWATCH_OIDC_CLIENT_SECRET: "s3cret",
      FLEETWATCH_OIDC_NEW_USER_ROLE: "Viewer",
    });
    expect(config).toMatchObject({
      PORT: 8080,
      DATABASE_URL: "postgresql://fw:secret@db.example.org:5432/fleetwatch",
      FLEETWATCH_DEMO: false,
      FLEETWATCH_JOBS: true,
      FLEETWATCH_VERBOSE: true,
      FLEETWATCH_JUDGE_CRON: "*/15 * * * * *",
      FLEETWATCH_WEBHOOK_SECRET: " with spaces ",
      FLEETWATCH_OIDC_ISSUER: "https://login.example.edu/realms/staff",
      FLEETWATCH_OIDC_NEW_USER_ROLE: "viewer",
    });
    expect(addressAllowed(config.FLEETWATCH_METRICS_ALLOW, "10.1.2.3")).toBe(true);
  });

  it("refuses a bad value in one line that names the variable and what is wrong", () => {
    const refusal = (env: Record<string, string>) => {
      try {
        parseServerEnv(env);
      } catch (error) {
        expect(error).toBeInstanceOf(ServerConfigError);
        return (error as Error).message;
      }
      throw new Error("accepted");
    };
    expect(refusal({ PORT: "80a" })).toBe('PORT must be a port number (1-65535), not "80a": fix or unset it');
    expect(refusal({ FLEETWATCH_PG_PORT: "70000" })).toBe(
      'FLEETWATCH_PG_PORT must be a port number (1-65535), not "70000": fix or unset it',
    );
    expect(refusal({ DATABASE_URL: "db.example.org" })).toMatch(
      /^DATABASE_URL must be a URL such as postgresql:\/\/.* \(got "db.example.org"\)$/,
    );
    expect(refusal({ FLEETWATCH_JOBS: "off" })).toBe('FLEETWATCH_JOBS must be 1 (on) or 0 (off), not "off"');
    expect(refusal({ FLEETWATCH_JUDGE_CRON: "hourly" })).toBe(
      'FLEETWATCH_JUDGE_CRON must be a cron expression such as "*/5 * * * *", not "hourly": fix or unset it',
    );
    expect(refusal({ FLEETWATCH_ADMIN_EMAIL: "admin" })).toBe('FLEETWATCH_ADMIN_EMAIL must be an e-mail address (got "admin")');
    expect(refusal({ NEXTAUTH_URL: "fleetwatch.example.org" })).toMatch(/^NEXTAUTH_URL must be a URL such as https:/);
    // Two mistakes: both named, still one line.
    const two = refusal({ PORT: "0", FLEETWATCH_SIGNIN_BACKOFF_SECONDS: "1h" });
    expect(two).toBe(
      'PORT must be a port number (1-65535), not "0": fix or unset it; FLEETWATCH_SIGNIN_BACKOFF_SECONDS must be whole seconds from 1 to 900 (got "1h")',
    );
    expect(two).not.toContain("\n");
  });

  it("is read once per process: a later change of the environment is not seen", () => {
    const env: Record<string, string> = { FLEETWATCH_AGENT_REQUESTS_PER_MINUTE: "60" };
    expect(serverConfig(env).FLEETWATCH_AGENT_REQUESTS_PER_MINUTE).toBe(60);
    env.FLEETWATCH_AGENT_REQUESTS_PER_MINUTE = "5";
    expect(serverConfig(env).FLEETWATCH_AGENT_REQUESTS_PER_MINUTE).toBe(60);
    expect(serverConfig({})).toBe(serverConfig(env));
  });

  it("describes every setting in one line, with the default it shows matching the one it has", () => {
    const defaults = parseServerEnv({}) as Record<string, unknown>;
    for (const [name, setting] of Object.entries(SERVER_SETTINGS)) {
      expect(setting.description, name).toMatch(/^[^\n]+\.$/);
      const value = defaults[name];
      const shown = typeof value === "boolean" ? (value ? "1" : "0") : value;
      if (typeof shown === "string" || typeof shown === "number") expect(setting.shownDefault, name).toBe(`\`${shown}\``);
    }
  });
});
