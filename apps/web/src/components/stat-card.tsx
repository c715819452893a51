import Link from "next/link";
import { formatCount } from "~/lib/format";

export type Tone = "ok" | "bad" | "warn" | "missed" | "sev" | "info" | "plain";

/** A headline number; with `href` it opens the nodes behind it. A zero reads quietly. */
export function StatCard({
  label,
  value,
  href,
  tone = "plain",
  testId,
}: {
  label: string;
  value: number;
  href?: string;
  tone?: Tone;
  testId: string;
}) {
  const className = `card tone-${value === 0 && tone !== "ok" ? "zero" : tone}`;
  const body = (
    <>
      <div className="n" data-testid={testId}>
        {formatCount(value)}
      </div>
      <div className="l">{label}</div>
    </>
  );
  return href ? (
    <Link href={href} className={className}>
      {body}
    </Link>
  ) : (
    <div className={className}>{body}</div>
  );
}
