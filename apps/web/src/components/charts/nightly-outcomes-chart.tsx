"use client";

import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import type { Outputs } from "~/lib/api-types";
import { outcomeColors } from "~/lib/colors";
import { formatNight } from "~/lib/format";
import { outcomeLabel, outcomes } from "~/lib/labels";
import styles from "./charts.module.css";
import { tooltipStyle } from "./tooltip-style";

type Night = Outputs["fleet"]["overview"]["nightly"][number];

/** Windows per night, stacked by outcome: a bad night stands out as a tall red or purple band. */
export function NightlyOutcomesChart({ nightly }: { nightly: Night[] }) {
  const data = nightly.map((n) => ({ night: n.night, ...n.counts }));
  return (
    <div className={styles.largeBox} data-testid="nightly-chart">
      <BarChart responsive data={data} style={{ width: "100%", height: "100%" }} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid vertical={false} stroke="var(--line-soft)" />
        <XAxis dataKey="night" tickFormatter={formatNight} tick={{ fontSize: 11 }} minTickGap={20} tickLine={false} />
        <YAxis width={40} allowDecimals={false} tick={{ fontSize: 11 }} tickLine={false} axisLine={false} />
        <Tooltip contentStyle={tooltipStyle} labelFormatter={(n) => formatNight(String(n))} cursor={{ fill: "rgba(9,105,218,0.08)" }} />
        <Legend iconType="square" itemSorter={null} wrapperStyle={{ fontSize: 12 }} />
        {outcomes.map((o) => (
          <Bar key={o} dataKey={o} name={outcomeLabel(o)} stackId="outcome" fill={outcomeColors[o]} isAnimationActive={false} />
        ))}
      </BarChart>
    </div>
  );
}
