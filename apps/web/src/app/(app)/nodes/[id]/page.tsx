import type { Metadata } from "next";
import Link from "next/link";
import { NodeActions } from "~/components/actions/node-actions";
import { AlertList } from "~/components/alerts/alert-list";
import { AuditTable } from "~/components/audit/audit-table";
import { NodeNightCharts } from "~/components/charts/node-night-charts";
import { FlagList } from "~/components/flag-badge";
import { NodeGroups } from "~/components/groups/node-groups";
import { CalendarStrip } from "~/components/node/calendar-strip";
import { FailureTimeline } from "~/components/node/failure-timeline";
import { NodeFacts } from "~/components/node/node-facts";
import { NodeProfile } from "~/components/node/node-profile";
import { OutcomeBadge } from "~/components/outcome-badge";
import { formatDateTime } from "~/lib/format";
import { can } from "~/lib/labels";
import { notFoundOn404, requireUuid } from "~/server/not-found";
import { api } from "~/server/trpc";

export const dynamic = "force-dynamic";
const NIGHTS = 90;

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { trpc } = await api();
  const node = await trpc.nodes.byId({ nodeId: requireUuid((await params).id), nights: 1 }).catch(() => null);
  return { title: node ? `${node.name} · Fleetwatch` : "Node · Fleetwatch" };
}

export default async function NodePage({ params }: Props) {
  const nodeId = requireUuid((await params).id);
  const { user, trpc } = await api();
  const [node, alerts, assignees, history, profile] = await Promise.all([
    trpc.nodes.byId({ nodeId, nights: NIGHTS }).catch(notFoundOn404),
    // At most one live alert per condition: a node has a handful at most.
    trpc.alerts.list({ state: "live", nodeId, page: 1, pageSize: 50 }),
    trpc.alerts.assignees(),
    can(user.role, "admin") ? trpc.admin.auditLog({ page: 1, pageSize: 20, targetId: nodeId }) : null,
    trpc.profiles.ofNode({ nodeId }).catch(notFoundOn404),
  ]);
  const now = new Date();
  // The byId flags arrive with the database's spelling (agent_silent); the pages speak the domain's.
  const flags = node.flags;
  const nodeAlerts = alerts.rows;
  const operator = can(user.role, "operator");
  const nights = [...node.windows].reverse().map((w) => ({
    night: w.localStart.slice(0, 10),
    // A night with a timeline entry (failed, missed..., or suspicious) is marked and opens it.
    windowId: w.outcome !== "completed" || w.suspicion ? w.id : null,
    mark: w.suspicion ? ("suspicious" as const) : w.outcome === "completed" || w.benign ? null : ("failed" as const),
    objects: w.objectsBackedUp,
    bytes: w.bytesTransferred,
    elapsed: w.elapsedSeconds,
  }));
  return (
    <>
      <nav aria-label="Breadcrumb" className="muted" style={{ marginBottom: "0.4rem" }}>
        <Link href="/nodes">Nodes</Link> / {node.name}
      </nav>
      <div className="page-head">
        <h1 data-testid="node-name">{node.name}</h1>
        <OutcomeBadge outcome={node.lastOutcome} />
        {flags.length > 0 && <FlagList flags={flags} now={now} />}
        {operator && <NodeActions nodeId={node.id} name={node.name} deregistered={node.deregisteredAt !== null} locked={node.lockedNow} />}
      </div>
      {node.deregisteredAt && (
        <p className="notice" data-testid="deregistered-notice">
          Deregistered {formatDateTime(node.deregisteredAt, now)}
          {node.deregisteredBy && ` by ${node.deregisteredBy}`}
          {node.deregisteredReason && `: “${node.deregisteredReason}”`}. It is off every check; its history is kept.
        </p>
      )}
      <section className="section" aria-labelledby="strip-title">
        <h2 id="strip-title">Last {NIGHTS} nights</h2>
        <CalendarStrip windows={node.windows} nights={NIGHTS} />
      </section>
      <section className="section" aria-labelledby="groups-title">
        <h2 id="groups-title">Groups</h2>
        <NodeGroups nodeId={node.id} department={node.department} departmentSet={node.departmentSet} tags={node.tags} staff={operator} />
      </section>
      <section className="section" aria-label="Facts">
        <NodeFacts node={node} flags={flags} now={now} editOwner={operator} />
      </section>
      <section className="section" aria-label="Profile">
        <NodeProfile nodeId={node.id} profile={profile} operator={operator && node.deregisteredAt === null} />
      </section>
      {nodeAlerts.length > 0 && (
        <section className="section" aria-labelledby="alerts-title">
          <h2 id="alerts-title">Open alerts</h2>
          <AlertList alerts={nodeAlerts} operator={operator} assignees={assignees} showNode={false} now={now} />
        </section>
      )}
      <section className="section" aria-labelledby="charts-title">
        <h2 id="charts-title">Per night</h2>
        <NodeNightCharts nights={nights} typical={node.typical} />
      </section>
      <section className="section" aria-labelledby="timeline-title">
        <h2 id="timeline-title">Failure timeline</h2>
        <FailureTimeline windows={node.windows} now={now} node={node} />
      </section>
      {history && history.rows.length > 0 && (
        <section className="section" aria-labelledby="history-title">
          <h2 id="history-title">What people did</h2>
          <AuditTable rows={history.rows} now={now} />
        </section>
      )}
    </>
  );
}
