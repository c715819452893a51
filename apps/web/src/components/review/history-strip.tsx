import type { CSSProperties } from "react";
import colors from "~/components/outcome-colors.module.css";
import { formatNight } from "~/lib/format";
import { outcomeLabel } from "~/lib/labels";
import styles from "./review.module.css";

/**
 * A node's nights as small coloured cells on a shared axis (`nights`, oldest first), so two twins
 * side by side line up by date; a night without a window of this node is hatched.
 */
export function HistoryStrip({
  history,
  nights,
  label,
}: {
  history: { night: string; outcome: string }[];
  nights: string[];
  label: string;
}) {
  if (history.length === 0 || nights.length === 0) return <p className="muted">No windows recorded.</p>;
  const byNight = new Map(history.map((h) => [h.night, h.outcome]));
  const counts = new Map<string, number>();
  for (const h of history) counts.set(h.outcome, (counts.get(h.outcome) ?? 0) + 1);
  const summary = [...counts].map(([o, n]) => `${n} ${outcomeLabel(o)}`).join(", ");
  return (
    <div>
      <div className={styles.strip} role="img" aria-label={`${label}: ${summary}`} style={{ "--cells": nights.length } as CSSProperties}>
        {nights.map((night) => {
          const outcome = byNight.get(night);
          return (
            <span
              key={night}
              className={`${styles.cell} ${outcome ? (colors[outcome] ?? "") : styles.none}`}
              title={`${formatNight(night)}: ${outcome ? outcomeLabel(outcome) : "no window"}`}
            />
          );
        })}
      </div>
      <div className={styles.stripCaption}>
        <span>{formatNight(nights[0]!)}</span>
        <span>{summary}</span>
        <span>{formatNight(nights[nights.length - 1]!)}</span>
      </div>
    </div>
  );
}
