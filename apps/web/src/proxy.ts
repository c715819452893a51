import { serverConfig } from "@fleetwatch/api/config";
import { type NextRequest, NextResponse } from "next/server";
import { crossSiteRefusal, refusalResponse } from "~/server/same-origin";
import { contentSecurityPolicy, HSTS, STATIC_SECURITY_HEADERS, servedOverHttps } from "~/server/security-headers";

/**
 * Every request but static files and bearer-token calls (agents) comes through here (Next 16's
 * proxy, the former middleware): cross-site state changes are refused (server/same-origin.ts),
 * and each response gets the security headers with a fresh CSP nonce.
 */
export function proxy(request: NextRequest) {
  const siteUrl = serverConfig().NEXTAUTH_URL ?? undefined;
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = contentSecurityPolicy(nonce, {
    https: servedOverHttps(request.headers, siteUrl),
    // Next's own build mode (inlined when it compiles), not a setting of ours.
    dev: process.env.NODE_ENV === "development",
  });
  const headers: Record<string, string> = { "Content-Security-Policy": csp };
  if (servedOverHttps(request.headers, siteUrl)) headers[HSTS.key] = HSTS.value;

  const refusal = crossSiteRefusal(request, siteUrl);
  if (refusal) {
    for (const h of STATIC_SECURITY_HEADERS) headers[h.key] = h.value;
    return refusalResponse(refusal, headers);
  }
  // Next reads the nonce for its own scripts from the request's CSP header.
  const forwarded = new Headers(request.headers);
  forwarded.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: forwarded } });
  for (const [key, value] of Object.entries(headers)) response.headers.set(key, value);
  return response;
}

export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image).*)", missing: [{ type: "header", key: "authorization" }] }],
};
