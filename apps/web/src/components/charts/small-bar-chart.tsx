"use client";

import { Bar, BarChart, type BarShapeProps, CartesianGrid, ReferenceArea, Tooltip, XAxis, YAxis } from "recharts";
import { formatNight } from "~/lib/format";
import styles from "./charts.module.css";
import { tooltipStyle } from "./tooltip-style";
import { formatTick, formatValue, type ValueUnit } from "./value-format";

export interface NightValue {
  night: string;
  value: number | null;
  /** The night's timeline entry, for a night that has one. */
  windowId?: string | null;
  mark?: "failed" | "suspicious" | null;
}

export interface Range {
  low: number;
  high: number;
}

const markColor = { failed: "var(--bad)", suspicious: "var(--warn)" } as const;

/** Unfolds a night's timeline entry as its link scrolls to it. */
function openNight(windowId: string) {
  const details = document.getElementById(`w-${windowId}`)?.querySelector("details");
  if (details) details.open = true;
}

/**
 * A compact per-night bar chart (objects, bytes or elapsed of one node). Fixed height: no layout
 * shift. The usual range is shaded; a failed or suspicious night's bar is drawn in its warning
 * colour, and a click on it opens that night's timeline entry.
 */
export function SmallBarChart({
  title,
  data,
  unit,
  color,
  typical = null,
}: {
  title: string;
  data: NightValue[];
  unit: ValueUnit;
  color: string;
  typical?: Range | null;
}) {
  const bar = (props: BarShapeProps) => {
    const night = props.payload as NightValue;
    const mark = night.mark ?? null;
    const rect = (
      <rect
        x={props.x}
        y={props.y}
        width={props.width}
        height={props.height}
        fill={mark ? markColor[mark] : color}
        data-mark={mark ?? undefined}
        data-night={night.night}
      >
        {mark && <title>{`${formatNight(night.night)}: ${mark === "failed" ? "did not complete" : "suspicious run"}, open it`}</title>}
      </rect>
    );
    const id = night.windowId;
    // An SVG link: reachable by keyboard, and the night's anchor even without JavaScript.
    return id ? (
      <a href={`#w-${id}`} onClick={() => openNight(id)}>
        {rect}
      </a>
    ) : (
      rect
    );
  };

  return (
    <figure className={styles.small} data-testid="night-chart">
      <figcaption className={styles.title}>
        {title}
        {typical && <span className="muted"> · shaded: the usual range</span>}
      </figcaption>
      <div className={styles.smallBox}>
        <BarChart responsive data={data} style={{ width: "100%", height: "100%" }} margin={{ top: 4, right: 4, bottom: 0, left: 0 }}>
          <CartesianGrid vertical={false} stroke="var(--line-soft)" />
          <XAxis dataKey="night" tickFormatter={formatNight} tick={{ fontSize: 10 }} minTickGap={24} tickLine={false} />
          <YAxis width={52} tick={{ fontSize: 10 }} tickFormatter={(v: number) => formatTick(unit, v)} tickLine={false} axisLine={false} />
          <Tooltip
            contentStyle={tooltipStyle}
            formatter={(v) => [formatValue(unit, Number(v)), title]}
            labelFormatter={(n) => formatNight(String(n))}
            cursor={{ fill: "rgba(9,105,218,0.08)" }}
          />
          {typical && (
            <ReferenceArea
              y1={typical.low}
              y2={typical.high}
              fill="var(--info)"
              fillOpacity={0.1}
              stroke="none"
              ifOverflow="extendDomain"
              className="typical-range"
            />
          )}
          <Bar dataKey="value" fill={color} isAnimationActive={false} shape={bar} />
        </BarChart>
      </div>
    </figure>
  );
}
