import type { NodeClock } from "~/components/when";
import styles from "./timeline.module.css";
import { TimelineEntry } from "./timeline-entry";
import type { NodeWindow } from "./types";

/** Every window that did not complete cleanly, or completed suspiciously, newest first; the newest few open. */
export function FailureTimeline({ windows, now, node }: { windows: NodeWindow[]; now: Date; node: NodeClock }) {
  const trouble = windows.filter((w) => w.outcome !== "completed" || w.suspicion);
  if (trouble.length === 0) return <p className="empty">Every window in this period completed. Nothing to explain.</p>;
  return (
    <ol className={styles.timeline}>
      {trouble.map((w, i) => (
        <TimelineEntry key={w.id} window={w} open={i < 3 && !w.benign} now={now} node={node} />
      ))}
    </ol>
  );
}
