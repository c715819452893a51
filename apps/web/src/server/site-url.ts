/**
 * The address people reach this site at, as the request came in (behind a proxy, its forwarded
 * scheme and host): what a command, a curl line or a badge shown on a page should point at.
 */
export function siteUrl(headers: Pick<Headers, "get">): string {
  return `${headers.get("x-forwarded-proto") ?? "http"}://${headers.get("x-forwarded-host") ?? headers.get("host") ?? "localhost"}`;
}
