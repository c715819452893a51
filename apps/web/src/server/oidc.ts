import type { ServerConfig } from "@fleetwatch/api/config";
import type { OAuthConfig } from "next-auth/providers/oauth";
import type { Role } from "~/lib/labels";

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

type SsoConfig = Pick<
  ServerConfig,
  | "FLEETWATCH_OIDC_ISSUER"
  | "FLEETWATCH_OIDC_CLIENT_ID"
  | "FLEETWATCH_OIDC_CLIENT_SECRET"
  | "FLEETWATCH_OIDC_NAME"
  | "FLEETWATCH_OIDC_NEW_USER_ROLE"
>;

/**
 * The site's single sign-on from its settings (FLEETWATCH_OIDC_*, checked by the api's config
 * schema, which refuses half a configuration at start), or null when none is configured.
 */
export function ssoSettings(config: SsoConfig): SsoSettings | null {
  const { FLEETWATCH_OIDC_ISSUER: issuer, FLEETWATCH_OIDC_CLIENT_ID: clientId, FLEETWATCH_OIDC_CLIENT_SECRET: clientSecret } = config;
  if (!issuer || !clientId || !clientSecret) return null;
  const label = config.FLEETWATCH_OIDC_NAME;
  return {
    button: { id: "oidc", label },
    newUserRole: config.FLEETWATCH_OIDC_NEW_USER_ROLE,
    provider: {
      id: "oidc",
      name: label,
      type: "oauth",
      wellKnown: `${issuer}/.well-known/openid-configuration`,
      clientId,
      clientSecret,
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
