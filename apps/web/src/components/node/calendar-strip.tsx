import { suspiciousReasonWords } from "@fleetwatch/core/words";
import type { CSSProperties } from "react";
import colors from "~/components/outcome-colors.module.css";
import { formatLocalStart, formatNight } from "~/lib/format";
import { causeLabel, outcomeLabel, outcomes } from "~/lib/labels";
import styles from "./calendar-strip.module.css";
import type { NodeWindow } from "./types";

type Cell = Pick<NodeWindow, "id" | "localStart" | "outcome" | "cause" | "benign" | "suspicion">;

/**
 * One cell per window, oldest on the left, coloured by outcome; a trouble cell, or a completed run
 * the judge found suspicious (marked), links to its timeline entry.
 */
export function CalendarStrip({ windows, nights }: { windows: Cell[]; nights: number }) {
  const cells = [...windows].reverse();
  if (cells.length === 0) return <p className="empty">No scheduled windows recorded for this node yet.</p>;
  const first = cells[0]!;
  const last = cells[cells.length - 1]!;
  return (
    <figure className={styles.figure}>
      <ol
        className={styles.strip}
        aria-label={`Last ${nights} nights, oldest first`}
        style={{ "--cells": Math.max(cells.length, 30) } as CSSProperties}
      >
        {cells.map((w) => {
          const kind = w.benign ? "benign" : w.outcome;
          const label = `${formatLocalStart(w.localStart)}: ${w.benign ? "failed at sign-off only (data saved)" : outcomeLabel(w.outcome)}${
            w.cause && !w.benign ? ` (${causeLabel(w.cause)})` : ""
          }${w.suspicion ? `, suspicious: ${w.suspicion.text.join("; ")}` : ""}`;
          return (
            <li key={w.id} className={styles.item}>
              {w.outcome === "completed" && !w.suspicion ? (
                <span className={`${styles.cell} ${colors[kind]}`} title={label}>
                  <span className="visually-hidden">{label}</span>
                </span>
              ) : (
                <a
                  href={`#w-${w.id}`}
                  className={`${styles.cell} ${colors[kind]} ${w.suspicion ? styles.suspicious : ""}`}
                  title={label}
                  data-outcome={w.outcome}
                  data-suspicious={w.suspicion ? w.suspicion.reasons.join(" ") : undefined}
                >
                  <span className="visually-hidden">{label}</span>
                </a>
              )}
            </li>
          );
        })}
      </ol>
      <figcaption className={styles.caption}>
        <span>{formatNight(first.localStart.slice(0, 10))}</span>
        <span className={styles.legend} aria-hidden="true">
          {outcomes.map((o) => (
            <span key={o}>
              <i className={`${styles.swatch} ${colors[o]}`} />
              {outcomeLabel(o)}
            </span>
          ))}
          <span>
            <i className={`${styles.swatch} ${styles.suspicious} ${colors.completed}`} />
            suspicious run ({Object.values(suspiciousReasonWords).join(", ")})
          </span>
        </span>
        <span>{formatNight(last.localStart.slice(0, 10))}</span>
      </figcaption>
    </figure>
  );
}
