import { formatAgo, formatDateTime, readableInstants } from "~/lib/format";
import { flagLabel, flagTone } from "~/lib/labels";

export interface FlagView {
  kind: string;
  raisedAt: Date;
  detail?: string | null;
}

/** One standing condition on a node, with how long it has stood. */
export function FlagBadge({ flag, now }: { flag: FlagView; now: Date }) {
  const title = `${flagLabel(flag.kind)} since ${formatDateTime(flag.raisedAt, now)}${flag.detail ? `: ${readableInstants(flag.detail, now)}` : ""}`;
  return (
    <span className={`flag tone-${flagTone(flag.kind)}`} title={title} data-flag={flag.kind}>
      {flagLabel(flag.kind)}
      <span className="since">{formatAgo(flag.raisedAt, now).replace(" ago", "")}</span>
    </span>
  );
}

export function FlagList({ flags, now }: { flags: FlagView[]; now: Date }) {
  if (flags.length === 0) return <span className="muted">–</span>;
  return (
    <span className="flags">
      {flags.map((f) => (
        <FlagBadge key={f.kind} flag={f} now={now} />
      ))}
    </span>
  );
}
