import { formatDateTime, formatNodeTime, formatTime } from "~/lib/format";

export interface NodeClock {
  timeZone: string | null;
  utcOffsetMinutes: number;
}

/**
 * An instant in the viewer's zone, zone shown; with a node, the node's own wall clock on hover
 * (its windows and logs are in that time).
 */
export function When({ at, now, node, timeOnly = false }: { at: Date | string | null; now: Date; node?: NodeClock; timeOnly?: boolean }) {
  if (!at) return <>–</>;
  const iso = (at instanceof Date ? at : new Date(at)).toISOString();
  return (
    <time dateTime={iso} title={node ? `On the node: ${formatNodeTime(at, node, now)}` : undefined} data-testid="when">
      {timeOnly ? formatTime(at) : formatDateTime(at, now)}
    </time>
  );
}
