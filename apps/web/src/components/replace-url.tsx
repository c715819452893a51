"use client";

import { useEffect } from "react";

/** Puts the cleaned URL in the address bar (no new history entry), so a dropped filter is gone from it too. */
export function ReplaceUrl({ href }: { href: string }) {
  useEffect(() => {
    window.history.replaceState(null, "", href);
  }, [href]);
  return null;
}
