"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/**
 * Re-reads the page's server data every minute without a reload (client state such as an open
 * dialog or a typed reason survives). Skips while the tab is hidden and catches up when it shows.
 */
export function AutoRefresh({ everySeconds = 60 }: { everySeconds?: number }) {
  const router = useRouter();
  useEffect(() => {
    let last = Date.now();
    const tick = () => {
      if (document.visibilityState !== "visible") return;
      last = Date.now();
      router.refresh();
    };
    const timer = setInterval(tick, everySeconds * 1000);
    const onVisible = () => {
      if (document.visibilityState === "visible" && Date.now() - last > everySeconds * 1000) tick();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [router, everySeconds]);
  return null;
}
