import { serveBadge } from "@fleetwatch/api/integrations";

export const dynamic = "force-dynamic";

/** A status badge at its unguessable URL, /badge/<token>.svg or .json (packages/api/src/integrations/badges.ts). */
export async function GET(_request: Request, { params }: { params: Promise<{ file: string }> }) {
  return serveBadge((await params).file);
}
