import { StatCard, type Tone } from "~/components/stat-card";
import type { Outputs } from "~/lib/api-types";

type Counts = Outputs["fleet"]["overview"]["counts"];

const cards: { key: keyof Counts; label: string; href: string; tone: Tone }[] = [
  { key: "total", label: "nodes watched", href: "/nodes", tone: "info" },
  { key: "protected", label: "protected (backed up recently)", href: "/nodes?sort=lastCompletedAt&dir=desc", tone: "ok" },
  { key: "atRisk", label: "at risk (no recent backup)", href: "/nodes?flag=at-risk", tone: "bad" },
  { key: "needsManualBackup", label: "need a manual backup", href: "/nodes?flag=needs-manual-backup", tone: "bad" },
  { key: "missed", label: "last night missed", href: "/nodes?outcome=missed", tone: "missed" },
  { key: "failed", label: "last night failed", href: "/nodes?outcome=failed", tone: "bad" },
  { key: "severed", label: "last night severed", href: "/nodes?outcome=severed", tone: "sev" },
  { key: "aborted", label: "last night aborted", href: "/nodes?outcome=aborted", tone: "warn" },
  { key: "inProgress", label: "running now", href: "/nodes?outcome=in-progress", tone: "info" },
  { key: "locked", label: "locked", href: "/nodes?flag=locked", tone: "bad" },
  { key: "passwordExpired", label: "password expired", href: "/nodes?flag=password-expired", tone: "bad" },
  { key: "stale", label: "stale (no contact)", href: "/nodes?flag=stale", tone: "warn" },
  { key: "duplicateSuspects", label: "duplicate suspects", href: "/review", tone: "warn" },
  { key: "deregistered", label: "deregistered", href: "/nodes?deregistered=1", tone: "plain" },
];

/** `href` with the group's query added: a scoped overview's card opens the same group's list. */
const scoped = (href: string, groupQuery: string) =>
  !groupQuery || !href.startsWith("/nodes") ? href : `${href}${href.includes("?") ? "&" : "?"}${groupQuery}`;

/** The fleet's (or one group's) headline counts; each opens the node list filtered to those nodes. */
export function FleetCards({ counts, groupQuery = "" }: { counts: Counts; groupQuery?: string }) {
  return (
    <section className="cards" aria-label="Nodes by state">
      {cards.map((c) => (
        <StatCard
          key={c.key}
          label={c.label}
          value={Number(counts[c.key])}
          href={scoped(c.href, groupQuery)}
          tone={c.tone}
          testId={`count-${c.key}`}
        />
      ))}
    </section>
  );
}
