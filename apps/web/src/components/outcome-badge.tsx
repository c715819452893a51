export function OutcomeBadge({ outcome, benign }: { outcome: string; benign?: boolean }) {
  return (
    <span className={`badge o-${benign ? "completed" : outcome}`} title={benign ? "failed at sign-off only: data was saved" : undefined}>
      {benign ? "failed (benign)" : outcome}
    </span>
  );
}
