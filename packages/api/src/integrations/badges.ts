import type { Db } from "../context";
import { badgeJson, badgeSvg } from "../services/integrations/badge-render";
import { badgeView } from "../services/integrations/badges";

/** A badge's file name: the token as newToken("fwb") makes it, then its format. */
const FILE = /^(fwb_[A-Za-z0-9_-]{32})\.(svg|json)$/;

const notFound = () =>
  new Response("badge not found\n", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });

/**
 * GET /badge/<token>.svg|.json for anyone with the URL (status pages, READMEs, shields.io). Cached
 * a minute by browsers and proxies, so a revoked badge disappears within a minute; unknown and
 * revoked tokens are the same 404.
 */
export async function badgeResponse(db: Db, req: { file: string; now: Date }): Promise<Response> {
  const match = FILE.exec(req.file);
  if (!match) return notFound();
  const [, token, format] = match as unknown as [string, string, "svg" | "json"];
  const view = await badgeView(db, { token, now: req.now });
  if (!view) return notFound();
  const cache = { "Cache-Control": "public, max-age=60" };
  if (format === "svg") {
    return new Response(badgeSvg(view), { headers: { "Content-Type": "image/svg+xml; charset=utf-8", ...cache } });
  }
  return new Response(JSON.stringify(badgeJson(view)), {
    // Status pages may fetch it from their own origin's script.
    headers: { "Content-Type": "application/json; charset=utf-8", "Access-Control-Allow-Origin": "*", ...cache },
  });
}
