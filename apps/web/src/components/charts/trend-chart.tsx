"use client";

import { Area, AreaChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { formatNight } from "~/lib/format";
import styles from "./charts.module.css";
import { tooltipStyle } from "./tooltip-style";
import { formatTick, formatValue, type ValueUnit } from "./value-format";

/** One fleet-wide figure per night (data sent, average duration) as a filled line. */
export function TrendChart({
  title,
  data,
  unit,
  color,
  testId,
}: {
  title: string;
  data: { night: string; value: number | null }[];
  unit: ValueUnit;
  color: string;
  testId: string;
}) {
  return (
    <figure className={styles.large} data-testid={testId}>
      <figcaption className={styles.title}>{title}</figcaption>
      <div className={styles.mediumBox}>
        <AreaChart responsive data={data} style={{ width: "100%", height: "100%" }} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid vertical={false} stroke="var(--line-soft)" />
          <XAxis dataKey="night" tickFormatter={formatNight} tick={{ fontSize: 11 }} minTickGap={24} tickLine={false} />
          <YAxis width={52} tick={{ fontSize: 11 }} tickFormatter={(v: number) => formatTick(unit, v)} tickLine={false} axisLine={false} />
          <Tooltip
            contentStyle={tooltipStyle}
            formatter={(v) => [formatValue(unit, Number(v)), title]}
            labelFormatter={(n) => formatNight(String(n))}
          />
          <Area
            type="monotone"
            dataKey="value"
            stroke={color}
            fill={color}
            fillOpacity={0.15}
            strokeWidth={2}
            connectNulls
            isAnimationActive={false}
          />
        </AreaChart>
      </div>
    </figure>
  );
}
