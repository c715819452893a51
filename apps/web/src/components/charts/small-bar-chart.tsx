"use client";

import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { formatNight } from "~/lib/format";
import styles from "./charts.module.css";
import { formatTick, formatValue, type ValueUnit } from "./value-format";

export interface NightValue {
  night: string;
  value: number | null;
}

/** A compact per-night bar chart (objects, bytes or elapsed of one node). Fixed height: no layout shift. */
export function SmallBarChart({ title, data, unit, color }: { title: string; data: NightValue[]; unit: ValueUnit; color: string }) {
  return (
    <figure className={styles.small}>
      <figcaption className={styles.title}>{title}</figcaption>
      <div className={styles.smallBox}>
        <BarChart responsive data={data} style={{ width: "100%", height: "100%" }} margin={{ top: 4, right: 4, bottom: 0, left: 0 }}>
          <CartesianGrid vertical={false} stroke="#eaeef2" />
          <XAxis dataKey="night" tickFormatter={formatNight} tick={{ fontSize: 10 }} minTickGap={24} tickLine={false} />
          <YAxis width={52} tick={{ fontSize: 10 }} tickFormatter={(v: number) => formatTick(unit, v)} tickLine={false} axisLine={false} />
          <Tooltip
            formatter={(v) => [formatValue(unit, Number(v)), title]}
            labelFormatter={(n) => formatNight(String(n))}
            cursor={{ fill: "rgba(9,105,218,0.08)" }}
          />
          <Bar dataKey="value" fill={color} isAnimationActive={false} />
        </BarChart>
      </div>
    </figure>
  );
}
