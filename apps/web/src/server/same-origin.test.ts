import { describe, expect, it } from "vitest";
import { crossSiteRefusal } from "./same-origin";

const SITE = "https://fleetwatch.example.org";
const call = (method: string, path: string, headers: Record<string, string>) =>
  crossSiteRefusal(
    { method, url: `http://10.0.0.5:3000${path}`, headers: new Headers({ host: "fleetwatch.example.org", ...headers }) },
    SITE,
  );

describe("cross-site state changes", () => {
  it("refuses a POST to the API or to next-auth from another origin, or from a page with an opaque one", () => {
    expect(call("POST", "/api/trpc/admin.createUser", { origin: "http://evil.example" })).toBe(
      'cross-site request refused: Origin "http://evil.example" is not this site',
    );
    expect(call("DELETE", "/api/trpc/x", { origin: "null" })).toMatch(/^cross-site request refused/);
    expect(call("POST", "/api/auth/signout", { referer: "http://evil.example/page" })).toBe(
      'cross-site request refused: Referer "http://evil.example" is not this site',
    );
    expect(call("POST", "/api/auth/callback/credentials", { origin: "http://evil.example" })).toMatch(/^cross-site/);
  });

  it("lets the site's own origin through: NEXTAUTH_URL's, or the one the request was addressed to", () => {
    expect(call("POST", "/api/trpc/x", { origin: SITE })).toBeNull();
    expect(call("POST", "/api/trpc/x", { origin: "http://fleetwatch.example.org" })).toBeNull();
    expect(call("POST", "/api/trpc/x", { origin: "https://fleetwatch.example.org", "x-forwarded-proto": "https" })).toBeNull();
    expect(call("POST", "/api/trpc/x", { referer: `${SITE}/nodes?page=2` })).toBeNull();
  });

  it("lets through reads, bearer-token calls, callers that are no browser page, and OAuth callbacks", () => {
    expect(call("GET", "/api/trpc/x", { origin: "http://evil.example" })).toBeNull();
    expect(call("POST", "/api/trpc/ingest.batch", { origin: "http://evil.example", authorization: "Bearer fwa_x" })).toBeNull();
    expect(call("POST", "/api/trpc/ingest.batch", {})).toBeNull();
    expect(call("POST", "/api/auth/callback/oidc", { origin: "https://idp.example" })).toBeNull();
  });
});
