import type { OAuthConfig } from "next-auth/providers/oauth";
import { type Role, roles } from "~/lib/labels";

interface OidcProfile {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

export interface SsoSettings {
  provider: OAuthConfig<OidcProfile>;
  /** The sign-in page's button. */
  button: { id: string; label: string };
  /** FLEETWATCH_OIDC_NEW_USER_ROLE: the role someone Fleetwatch does not know gets; null refuses them. */
  newUserRole: Role | null;
}

const REQUIRED = ["FLEETWATCH_OIDC_ISSUER", "FLEETWATCH_OIDC_CLIENT_ID", "FLEETWATCH_OIDC_CLIENT_SECRET"] as const;

/**
 * The site's single sign-on from the environment, or null when none is configured. A half
 * configuration is refused in one line at start, never silently ignored.
 */
export function ssoFromEnv(env: Record<string, string | undefined>): SsoSettings | null {
  const set = REQUIRED.filter((k) => env[k]?.trim());
  if (set.length === 0) return null;
  const missing = REQUIRED.filter((k) => !env[k]?.trim());
  if (missing.length) throw new Error(`single sign-on is half configured: set ${missing.join(", ")} too, or none of them`);
  const issuer = (env.FLEETWATCH_OIDC_ISSUER as string).trim().replace(/\/+$/, "");
  if (!/^https?:\/\//.test(issuer)) throw new Error(`FLEETWATCH_OIDC_ISSUER must be the issuer's URL (got "${issuer}")`);
  const role = env.FLEETWATCH_OIDC_NEW_USER_ROLE?.trim().toLowerCase() || null;
  if (role && !roles.includes(role as Role)) {
    throw new Error(`FLEETWATCH_OIDC_NEW_USER_ROLE must be one of ${roles.join(", ")} (got "${role}")`);
  }
  const label = env.FLEETWATCH_OIDC_NAME?.trim() || "single sign-on";
  return {
    button: { id: "oidc", label },
    newUserRole: role as Role | null,
    provider: {
      id: "oidc",
      name: label,
      type: "oauth",
      wellKnown: `${issuer}/.well-known/openid-configuration`,
      clientId: (env.FLEETWATCH_OIDC_CLIENT_ID as string).trim(),
      clientSecret: (env.FLEETWATCH_OIDC_CLIENT_SECRET as string).trim(),
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      profile(profile) {
        // An address the provider has not verified is no proof of who signs in.
        const email = profile.email_verified === false ? null : (profile.email ?? null);
        return { id: profile.sub, email, name: profile.name ?? email };
      },
    },
  };
}
