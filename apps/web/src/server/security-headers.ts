/**
 * The security headers of every response. The constant ones are also set by next.config.ts on
 * what the proxy does not see (static files, agents' calls); the CSP carries a fresh nonce per
 * request (proxy.ts), which Next puts on its own inline scripts (the Next 16 way: it reads the
 * nonce from the request's Content-Security-Policy header; pages must render per request).
 */
export const STATIC_SECURITY_HEADERS: ReadonlyArray<{ key: string; value: string }> = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  {
    key: "Permissions-Policy",
    value: "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()",
  },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

export const HSTS = { key: "Strict-Transport-Security", value: "max-age=31536000" };

/**
 * A strict policy: scripts only with this request's nonce (and what they load, 'strict-dynamic'),
 * no plugins, no <base>, forms and fetches to this site only, never framed. Style attributes are
 * allowed ('unsafe-inline' for style-src-attr only: the charts and skeletons size bars with
 * them; an attribute cannot run script or select anything); <style> elements need the nonce.
 */
export function contentSecurityPolicy(nonce: string, opts: { https: boolean; dev: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(opts.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** Served over https: the site's URL says so, or the proxy in front does (X-Forwarded-Proto). */
export function servedOverHttps(headers: Headers, siteUrl: string | undefined): boolean {
  if (siteUrl?.startsWith("https:")) return true;
  return headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
}
