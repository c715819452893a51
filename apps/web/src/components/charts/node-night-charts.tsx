import styles from "./charts.module.css";
import { type Range, SmallBarChart } from "./small-bar-chart";

export interface NightFigures {
  night: string;
  windowId: string | null;
  mark: "failed" | "suspicious" | null;
  objects: number | null;
  bytes: number | null;
  elapsed: number | null;
}

/**
 * A node's status-block figures per night: objects backed up, data sent, elapsed time; each with
 * its usual range shaded and the failed or suspicious nights marked (a click opens the night).
 */
export function NodeNightCharts({
  nights,
  typical,
}: {
  nights: NightFigures[];
  typical: { objects: Range | null; bytes: Range | null; elapsed: Range | null };
}) {
  const series = (value: (n: NightFigures) => number | null) =>
    nights.map((n) => ({ night: n.night, value: value(n), windowId: n.windowId, mark: n.mark }));
  return (
    <div className={styles.row}>
      <SmallBarChart title="Objects backed up" unit="count" color="var(--info)" typical={typical.objects} data={series((n) => n.objects)} />
      <SmallBarChart title="Data sent" unit="bytes" color="var(--ok)" typical={typical.bytes} data={series((n) => n.bytes)} />
      <SmallBarChart title="Elapsed" unit="seconds" color="var(--missed)" typical={typical.elapsed} data={series((n) => n.elapsed)} />
    </div>
  );
}
