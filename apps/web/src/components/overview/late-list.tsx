import Link from "next/link";
import type { Outputs } from "~/lib/api-types";
import { formatAgo, formatTime } from "~/lib/format";

type Late = Outputs["fleet"]["late"][number];

/** Windows open with no run yet: not a problem until the grace has passed, so shown, never alerted. */
export function LateList({ late, now }: { late: Late[]; now: Date }) {
  return (
    <>
      <p className="muted" style={{ margin: "0 0 0.4rem" }}>
        Their window is open and no run is reported yet. Not alerted: each is held MISSED only if nothing arrives by the time shown.
      </p>
      <ul data-testid="late-list">
        {late.map((w) => (
          <li key={`${w.nodeId}:${w.schedule}:${w.localStart}`}>
            <Link href={`/nodes/${w.nodeId}`}>{w.name}</Link>: {w.schedule} opened {formatAgo(w.opensAt, now)} (local{" "}
            {w.localStart.slice(11, 16)}); MISSED after {formatTime(w.missedAfter).slice(0, 5)} if nothing comes
          </li>
        ))}
      </ul>
    </>
  );
}
