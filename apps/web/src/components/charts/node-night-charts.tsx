import styles from "./charts.module.css";
import { SmallBarChart } from "./small-bar-chart";

export interface NightFigures {
  night: string;
  objects: number | null;
  bytes: number | null;
  elapsed: number | null;
}

/** A node's status-block figures per night: objects backed up, data sent, elapsed time. */
export function NodeNightCharts({ nights }: { nights: NightFigures[] }) {
  return (
    <div className={styles.row}>
      <SmallBarChart
        title="Objects backed up"
        unit="count"
        color="#0969da"
        data={nights.map((n) => ({ night: n.night, value: n.objects }))}
      />
      <SmallBarChart title="Data sent" unit="bytes" color="#1a7f37" data={nights.map((n) => ({ night: n.night, value: n.bytes }))} />
      <SmallBarChart title="Elapsed" unit="seconds" color="#8250df" data={nights.map((n) => ({ night: n.night, value: n.elapsed }))} />
    </div>
  );
}
