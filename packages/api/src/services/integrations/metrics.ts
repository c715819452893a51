import { flagKind } from "@fleetwatch/core/flags";
import { protectionState, protectionStates } from "@fleetwatch/core/fleet";
import { windowOutcome } from "@fleetwatch/core/schemas";
import { Prisma } from "@fleetwatch/db/client";
import { sqlQuery } from "@fleetwatch/db/sql";
import { Counter, Gauge, Registry } from "prom-client";
import type { Db } from "../../context";
import { getSiteSettings } from "../admin/settings";
import { lastJudgeRun } from "../judge/judge-runs";
import { readCounters } from "./metric-counters";

export interface MetricsOptions {
  now: Date;
  /** false: fleet totals only, no series per node or agent (FLEETWATCH_METRICS_PER_NODE=0). */
  perNode: boolean;
}

const seconds = (d: Date) => d.getTime() / 1000;

/**
 * The Prometheus exposition of the fleet, read from PostgreSQL at each scrape into a registry of
 * its own: nothing lives in prom-client's global registry, which Next's bundling would copy per
 * chunk (db/per-process.ts), and any replica answers the same.
 */
export async function metricsExposition(db: Db, opts: MetricsOptions): Promise<{ contentType: string; body: string }> {
  const [settings, nodes, deregistered, agents, judge, counters] = await Promise.all([
    getSiteSettings(db),
    nodeRows(db),
    db.node.count({ where: { deregisteredAt: { not: null } } }),
    opts.perNode ? agentRows(db) : [],
    lastJudgeRun(db),
    readCounters(db),
  ]);
  const agentCount = opts.perNode ? agents.length : await db.agent.count({ where: { revokedAt: null } });
  const registry = new Registry();
  const registers = [registry];

  // The fleet.
  const byState = new Gauge({
    name: "fleetwatch_nodes",
    help: "Nodes by protection state (protected, at-risk, failing; deregistered nodes apart).",
    labelNames: ["state"],
    registers,
  });
  const byOutcome = new Gauge({
    name: "fleetwatch_nodes_by_last_outcome",
    help: "Registered nodes by the outcome of their last window (none: no window yet).",
    labelNames: ["outcome"],
    registers,
  });
  const openFlags = new Gauge({
    name: "fleetwatch_open_flags",
    help: "Open flags on registered nodes, by kind.",
    labelNames: ["kind"],
    registers,
  });
  for (const state of protectionStates) byState.set({ state }, 0);
  byState.set({ state: "deregistered" }, deregistered);
  for (const outcome of [...windowOutcome.options, "none"]) byOutcome.set({ outcome }, 0);
  for (const kind of flagKind.options) openFlags.set({ kind }, 0);
  for (const n of nodes) {
    byState.inc({ state: protectionState(n, opts.now, settings.atRiskHours) });
    byOutcome.inc({ outcome: n.lastOutcome ?? "none" });
    for (const kind of n.flags) openFlags.inc({ kind });
  }
  new Gauge({ name: "fleetwatch_agents", help: "Agents not revoked.", registers }).set(agentCount);

  // The judge, as the leader last recorded it.
  if (judge) {
    new Gauge({
      name: "fleetwatch_judge_last_run_timestamp_seconds",
      help: "When the judge last ran (its clock), Unix time.",
      registers,
    }).set(seconds(judge.at));
    new Gauge({ name: "fleetwatch_judge_last_run_duration_seconds", help: "How long the judge's last run took.", registers }).set(
      judge.durationSeconds,
    );
  }

  // Ingest, counted in PostgreSQL (services/metric-counters.ts): the fleet's totals, the same from every replica.
  const counter = (name: string, help: string, value: number) => new Counter({ name, help, registers }).inc(value);
  counter("fleetwatch_ingest_batches_total", "Agent batches that reached storing, from every replica.", counters["ingest.batches"]);
  counter("fleetwatch_ingest_events_total", "Backup events stored from agents' batches.", counters["ingest.events"]);
  counter(
    "fleetwatch_ingest_rejected_records_total",
    "Records of agents' batches refused by name (422) and kept for staff.",
    counters["ingest.rejected_records"],
  );
  counter("fleetwatch_ingest_errors_total", "Agent batches refused in whole or in part (422, 403, 500).", counters["ingest.errors"]);

  if (opts.perNode) addPerNode(registry, nodes, agents, opts.now, settings.atRiskHours);
  return { contentType: registry.contentType, body: await registry.metrics() };
}

interface NodeRow {
  name: string;
  server: string;
  policyDomain: string | null;
  /** The enum's database labels are core's words ('in-progress', 'password-expired'). */
  lastOutcome: string | null;
  lastCompletedAt: Date | null;
  lastContactAt: Date | null;
  missedStreak: number;
  failedStreak: number;
  flags: string[];
}
type AgentRow = { id: string; name: string; lastSeenAt: Date | null; hostname: string | null };

/** Every registered node with its open flags' kinds: one statement, whatever the fleet's size. */
function nodeRows(db: Db) {
  return sqlQuery<NodeRow>(
    db,
    Prisma.sql`SELECT n.name, n.server, n."policyDomain", n."lastOutcome"::text AS "lastOutcome", n."lastCompletedAt",
        n."lastContactAt", n."missedStreak", n."failedStreak",
        coalesce(array_agg(f.kind::text) FILTER (WHERE f.id IS NOT NULL), '{}') AS flags
      FROM "Node" n LEFT JOIN "Flag" f ON f."nodeId" = n.id AND f."clearedAt" IS NULL
      WHERE n."deregisteredAt" IS NULL
      GROUP BY n.id`,
  );
}

function agentRows(db: Db) {
  return sqlQuery<AgentRow>(
    db,
    Prisma.sql`SELECT a.id, a.name, a."lastSeenAt", m.hostname FROM "Agent" a LEFT JOIN "Machine" m ON m.id = a."machineRef"
      WHERE a."revokedAt" IS NULL`,
  );
}

/**
 * Series per node (about 15 each: the outcome and state sets, streaks, times, open flags) and per
 * agent. `domain` is the node's TSM policy domain, the only grouping there is until profiles exist.
 */
function addPerNode(registry: Registry, nodes: NodeRow[], agents: AgentRow[], now: Date, atRiskHours: number) {
  const registers = [registry];
  const labelNames = ["node", "server", "domain"] as const;
  const gauge = (name: string, help: string, extra: string[] = []) =>
    new Gauge({ name, help, labelNames: [...labelNames, ...extra], registers });
  const lastSuccess = gauge(
    "fleetwatch_node_last_success_timestamp_seconds",
    "The node's last successful backup (completed, or a benign sign-off-only failure), Unix time; absent if none.",
  );
  const lastOutcome = gauge(
    "fleetwatch_node_last_outcome",
    "1 for the outcome of the node's last window, 0 for the others (a state set; none: no window yet).",
    ["outcome"],
  );
  const state = gauge("fleetwatch_node_state", "1 for the node's protection state, 0 for the others (a state set).", ["state"]);
  const flag = gauge("fleetwatch_node_open_flag", "1 for each open flag on the node, by kind; a closed flag has no series.", ["kind"]);
  const missed = gauge("fleetwatch_node_missed_streak", "Missed windows in a row, newest first.");
  const failed = gauge("fleetwatch_node_failed_streak", "Failed, severed or aborted windows in a row, newest first.");
  const contact = gauge(
    "fleetwatch_node_last_contact_timestamp_seconds",
    "The node's last contact of any kind (agent, TSM server access, event), Unix time; absent if none.",
  );
  for (const n of nodes) {
    const labels = { node: n.name, server: n.server, domain: n.policyDomain ?? "" };
    if (n.lastCompletedAt) lastSuccess.set(labels, seconds(n.lastCompletedAt));
    const outcome = n.lastOutcome ?? "none";
    for (const o of [...windowOutcome.options, "none"]) lastOutcome.set({ ...labels, outcome: o }, o === outcome ? 1 : 0);
    const current = protectionState(n, now, atRiskHours);
    for (const s of protectionStates) state.set({ ...labels, state: s }, s === current ? 1 : 0);
    for (const kind of n.flags) flag.set({ ...labels, kind }, 1);
    missed.set(labels, n.missedStreak);
    failed.set(labels, n.failedStreak);
    if (n.lastContactAt) contact.set(labels, seconds(n.lastContactAt));
  }
  const agentContact = new Gauge({
    name: "fleetwatch_agent_last_contact_timestamp_seconds",
    help: "When the agent last called the server (any batch or heartbeat), Unix time; absent if never.",
    labelNames: ["agent", "agent_id", "hostname"],
    registers,
  });
  for (const a of agents) {
    if (a.lastSeenAt) agentContact.set({ agent: a.name, agent_id: a.id, hostname: a.hostname ?? "" }, seconds(a.lastSeenAt));
  }
}
