import { type GroupScope, groupParam, parseGroupParam } from "@fleetwatch/core/groups";
import Link from "next/link";
import styles from "~/components/charts/charts.module.css";
import { NightlyOutcomesChart } from "~/components/charts/nightly-outcomes-chart";
import { TrendChart } from "~/components/charts/trend-chart";
import { ScopeBar } from "~/components/groups/scope-bar";
import { ScopeLabel } from "~/components/groups/scope-label";
import { DroppedFilters } from "~/components/nodes/dropped-filters";
import { AttentionList } from "~/components/overview/attention-list";
import { FleetCards } from "~/components/overview/fleet-cards";
import { LateList } from "~/components/overview/late-list";
import { formatClock } from "~/lib/format";
import { api } from "~/server/trpc";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<{ nights?: string; group?: string }> };

/** The overview's URL for a period and a group: the address a person shares or saves. */
function overviewHref(nights: 30 | 90, group: GroupScope | undefined): string {
  const q = new URLSearchParams();
  if (nights !== 30) q.set("nights", String(nights));
  if (group) q.set("group", groupParam(group));
  const s = q.toString();
  return s ? `/?${s}` : "/";
}

export default async function OverviewPage({ searchParams }: Props) {
  const params = await searchParams;
  const nights = params.nights === "90" ? 90 : 30;
  const group = parseGroupParam(params.group) ?? undefined;
  const { trpc } = await api();
  const [overview, late, groups, views] = await Promise.all([
    trpc.fleet.overview({ nights, group }),
    trpc.fleet.late({ group }),
    trpc.groups.list(),
    trpc.views.list(),
  ]);
  const now = new Date();
  const empty = !group && overview.counts.total === 0 && overview.counts.deregistered === 0;
  const path = overviewHref(nights, group);
  return (
    <>
      {params.group && !group && <DroppedFilters dropped={[`group=${params.group}`]} cleanHref={path} />}
      <div className="page-head">
        <h1>{group ? "Group overview" : "Fleet overview"}</h1>
        {group && <ScopeLabel scope={group} clearHref={overviewHref(nights, undefined)} />}
        <span className="sub" data-testid="updated">
          updated {formatClock(now)}
        </span>
      </div>
      {empty && (
        <p className="notice">
          No nodes yet. Create an enrollment token in <Link href="/settings">Settings</Link> and enroll the agent on a client machine; its
          nodes appear here after its first report.
        </p>
      )}
      <ScopeBar groups={groups} scope={group} hrefFor={(g) => overviewHref(nights, g)} path={path} views={views} />
      <FleetCards counts={overview.counts} groupQuery={group ? new URLSearchParams({ group: groupParam(group) }).toString() : ""} />
      <section className="section" aria-labelledby="attention-title">
        <h2 id="attention-title">Needs attention now</h2>
        <AttentionList items={overview.attention} now={now} />
      </section>
      {late.length > 0 && (
        <section className="section" aria-labelledby="late-title">
          <h2 id="late-title">Running late</h2>
          <LateList late={late} now={now} />
        </section>
      )}
      <section className="section" aria-labelledby="nightly-title">
        <div className={styles.head}>
          <h2 id="nightly-title">Nightly outcomes</h2>
          <NightsToggle nights={nights} group={group} />
        </div>
        {overview.nightly.length === 0 ? (
          <p className="empty">No scheduled windows in the last {nights} nights.</p>
        ) : (
          <figure className={styles.large}>
            <NightlyOutcomesChart nightly={overview.nightly} />
          </figure>
        )}
      </section>
      {overview.nightly.length > 0 && (
        <section className="section" aria-label="Trends">
          <div className={styles.pair}>
            <TrendChart
              title="Backup volume (data sent per night)"
              unit="bytes"
              color="var(--ok)"
              testId="volume-chart"
              data={overview.nightly.map((n) => ({ night: n.night, value: n.bytes }))}
            />
            <TrendChart
              title="Average backup duration"
              unit="seconds"
              color="var(--missed)"
              testId="duration-chart"
              data={overview.nightly.map((n) => ({ night: n.night, value: n.avgElapsedSeconds }))}
            />
          </div>
        </section>
      )}
    </>
  );
}

function NightsToggle({ nights, group }: { nights: 30 | 90; group: GroupScope | undefined }) {
  return (
    <nav aria-label="Period" className="segmented">
      {([30, 90] as const).map((n) => (
        <Link key={n} href={overviewHref(n, group)} aria-current={n === nights ? "page" : undefined} scroll={false}>
          {n} nights
        </Link>
      ))}
    </nav>
  );
}
