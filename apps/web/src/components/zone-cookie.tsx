"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { BROWSER_ZONE_COOKIE } from "~/lib/zone";

/**
 * Tells the server the browser's time zone (a cookie), and re-renders once when it was unknown or
 * changed, so every time on the page is in the viewer's zone, not the server's.
 */
export function ZoneCookie({ known }: { known: string | null }) {
  const router = useRouter();
  useEffect(() => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone || zone === known) return;
    // biome-ignore lint/suspicious/noDocumentCookie: an IANA zone name needs no escaping, and the Cookie Store API is not in every browser.
    document.cookie = `${BROWSER_ZONE_COOKIE}=${zone}; path=/; max-age=31536000; samesite=lax`;
    router.refresh();
  }, [known, router]);
  return null;
}
