import { isTimeZone } from "@fleetwatch/core/schemas";
import { cookies } from "next/headers";
import { BROWSER_ZONE_COOKIE, requestZone, ZONE_COOKIE } from "~/lib/zone";

export interface ViewerZone {
  /** The zone times are shown in. */
  zone: string;
  /** The person's choice, or null for the browser's zone. */
  chosen: string | null;
  /** The browser's zone, once it has told us. */
  browser: string | null;
}

const valid = (v: string | undefined) => (v && isTimeZone(v) ? v : null);

/** The viewer's time zone: their choice, else their browser's, else UTC (until the browser says). */
export async function viewerZone(): Promise<ViewerZone> {
  const jar = await cookies();
  const chosen = valid(jar.get(ZONE_COOKIE)?.value);
  const browser = valid(jar.get(BROWSER_ZONE_COOKIE)?.value);
  const zone = chosen ?? browser ?? "UTC";
  requestZone().zone = zone;
  return { zone, chosen, browser };
}
