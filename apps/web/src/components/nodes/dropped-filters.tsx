"use client";

import { useEffect } from "react";

/**
 * Says which filters of the URL the list did not know, and takes them out of the address bar
 * (replaced, not pushed: Back does not return to the broken URL). Without JavaScript the message
 * still shows.
 */
export function DroppedFilters({ dropped, cleanHref }: { dropped: string[]; cleanHref: string }) {
  useEffect(() => {
    window.history.replaceState(window.history.state, "", cleanHref);
  }, [cleanHref]);
  return (
    <p className="notice" role="status" data-testid="dropped-filters">
      Not a filter this list knows, so it was left out: {dropped.map((d) => `“${d}”`).join(", ")}. Showing the list without{" "}
      {dropped.length === 1 ? "it" : "them"}.
    </p>
  );
}
