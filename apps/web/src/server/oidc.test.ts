import { parseServerEnv } from "@fleetwatch/api/config";
import { describe, expect, it } from "vitest";
import { ssoSettings } from "./oidc";

/** As the web server reads it: the environment through the api's settings schema. */
const ssoFromEnv = (env: Record<string, string>) => ssoSettings(parseServerEnv(env));

const full = {
  FLEETWATCH_OIDC_ISSUER: "https://login.example.edu/realms/staff/",
  FLEETWATCH_OIDC_CLIENT_ID: "fleetwatch",
  FLEETWATCH_OIDC_CLIENT_SECRET: "s3cret",
};

describe("single sign-on from the environment", () => {
  it("is off when nothing is set", () => {
    expect(ssoFromEnv({})).toBeNull();
  });

  it("builds an OpenID Connect provider from the issuer's discovery document, with PKCE", () => {
    const sso = ssoFromEnv({ ...full, FLEETWATCH_OIDC_NAME: "University login" });
    expect(sso?.button).toEqual({ id: "oidc", label: "University login" });
    expect(sso?.provider).toMatchObject({
      id: "oidc",
      type: "oauth",
      wellKnown: "https://login.example.edu/realms/staff/.well-known/openid-configuration",
      clientId: "fleetwatch",
      idToken: true,
      checks: ["pkce", "state"],
    });
  });

  it("trusts only a verified email", () => {
    const profile = ssoFromEnv(full)?.provider.profile;
    expect(profile?.({ sub: "1", email: "a@example.edu", name: "A" }, {})).toEqual({ id: "1", email: "a@example.edu", name: "A" });
    expect(profile?.({ sub: "2", email: "b@example.edu", email_verified: false }, {})).toEqual({ id: "2", email: null, name: null });
  });

  it("refuses half a configuration or a bad value in one line", () => {
    expect(() => ssoFromEnv({ FLEETWATCH_OIDC_ISSUER: full.FLEETWATCH_OIDC_ISSUER })).toThrow(
      "single sign-on is half configured: set FLEETWATCH_OIDC_CLIENT_ID, FLEETWATCH_OIDC_CLIENT_SECRET too, or none of them",
    );
    expect(() => ssoFromEnv({ ...full, FLEETWATCH_OIDC_NEW_USER_ROLE: "root" })).toThrow(
      'FLEETWATCH_OIDC_NEW_USER_ROLE must be one of viewer, operator, admin (got "root")',
    );
    expect(() => ssoFromEnv({ ...full, FLEETWATCH_OIDC_ISSUER: "login.example.edu" })).toThrow(/must be the issuer's URL/);
  });
});
