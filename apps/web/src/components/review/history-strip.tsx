import type { CSSProperties } from "react";
import { formatNight } from "~/lib/format";
import { outcomeLabel } from "~/lib/labels";
import styles from "./review.module.css";

/** A node's nights as small coloured cells, oldest first: two of them side by side show which twin is alive. */
export function HistoryStrip({ history, label }: { history: { night: string; outcome: string }[]; label: string }) {
  if (history.length === 0) return <p className="muted">No windows recorded.</p>;
  const summary = Object.entries(
    history.reduce<Record<string, number>>((acc, h) => {
      acc[h.outcome] = (acc[h.outcome] ?? 0) + 1;
      return acc;
    }, {}),
  )
    .map(([o, n]) => `${n} ${outcomeLabel(o)}`)
    .join(", ");
  return (
    <div>
      <div
        className={styles.strip}
        role="img"
        aria-label={`${label}: ${summary}`}
        style={{ "--cells": Math.max(history.length, 30) } as CSSProperties}
      >
        {history.map((h) => (
          <span
            key={h.night}
            className={`${styles.cell} ${styles[h.outcome] ?? ""}`}
            title={`${formatNight(h.night)}: ${outcomeLabel(h.outcome)}`}
          />
        ))}
      </div>
      <div className={styles.stripCaption}>
        <span>{formatNight(history[0]!.night)}</span>
        <span>{summary}</span>
        <span>{formatNight(history[history.length - 1]!.night)}</span>
      </div>
    </div>
  );
}
