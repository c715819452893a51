import { serveBadge } from "@fleetwatch/api/http";

export const dynamic = "force-dynamic";

/** A status badge at its unguessable URL, /badge/<token>.svg or .json (packages/api/src/http/badges.ts). */
export async function GET(_request: Request, { params }: { params: Promise<{ file: string }> }) {
  return serveBadge((await params).file);
}
