import { cache } from "react";

/** The person's choice of time zone for this browser: an IANA name; absent, the browser's own. */
export const ZONE_COOKIE = "fleetwatch-tz";
/** The browser's own zone, as its Intl reports it (set by ZoneCookie on every page). */
export const BROWSER_ZONE_COOKIE = "fleetwatch-browser-tz";
/** Light, dark, or absent: the system's setting. */
export const THEME_COOKIE = "fleetwatch-theme";

/**
 * The zone this request's times are shown in. Request-scoped (React's `cache`): `api()` sets it
 * from the cookies before any page renders a time, and the formatters read it, so a page needs
 * not thread it through every component.
 */
export const requestZone = cache((): { zone: string } => ({ zone: "UTC" }));
