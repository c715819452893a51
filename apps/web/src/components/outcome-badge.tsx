import { outcomeLabel } from "~/lib/labels";

export function OutcomeBadge({ outcome, benign }: { outcome: string | null; benign?: boolean }) {
  if (benign) {
    return (
      <span className="badge o-benign" title="Failed at sign-off only: the data was saved">
        failed (benign)
      </span>
    );
  }
  return <span className={`badge o-${outcome ?? "none"}`}>{outcomeLabel(outcome)}</span>;
}
