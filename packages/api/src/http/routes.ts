import { alertCondition, alertSeverity, alertState } from "@fleetwatch/core/alerts";
import { flagKind } from "@fleetwatch/core/flags";
import { groupKinds, parseGroupParam } from "@fleetwatch/core/groups";
import { windowOutcome } from "@fleetwatch/core/schemas";
import { z } from "zod";
import { runJudge } from "../jobs/judge";
import { audit } from "../services/admin/audit";
import * as alerts from "../services/alerts/alerts";
import { listOpenFlags } from "../services/fleet/flag-list";
import { listNodes, nodeListInput } from "../services/fleet/node-list";
import * as nodes from "../services/fleet/nodes";
import * as overview from "../services/fleet/overview";
import { listWindows } from "../services/fleet/window-list";
import { keyCursor, pageCursor } from "./cursor";
import { type Operation, operation } from "./operation";
import * as s from "./schemas";

const id = z.object({ id: z.uuid().meta({ description: "The record's id (a UUID)." }) });
const limit = (max: number, fallback: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback).meta({ description: "Items per page; a cursor keeps its own." });
const cursor = z.string().max(500).optional().meta({ description: "`nextCursor` of the previous page." });
/** Query strings carry text: `true` / `false`, as a person types them in a URL. */
const flag = z.enum(["true", "false"]).transform((v) => v === "true");

const reason = z.string().trim().min(3, "say why, in a few words").max(500);

/** One group's nodes only, as the dashboard's URLs carry it: `department:CHEM`, `server:TSM1`, `tag:lab`. */
const groupQuery = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    if (raw === undefined) return undefined;
    const scope = parseGroupParam(raw);
    if (!scope) ctx.addIssue({ code: "custom", message: `expected kind:value, the kind one of ${groupKinds.join(", ")}` });
    return scope ?? undefined;
  })
  .meta({ description: `One group's nodes only: \`kind:value\`, the kind one of ${groupKinds.join(", ")} (e.g. \`department:CHEM\`).` });

export const operations: Operation[] = [
  operation({
    method: "get",
    path: "/nodes",
    operationId: "listNodes",
    tag: "nodes",
    summary: "List nodes, with the node list's filters",
    description:
      "The dashboard's node list: search, filters and sort; each row with its open flags. `?flag=locked` lists the locked nodes.",
    role: "viewer",
    query: nodeListInput
      .pick({ search: true, flag: true, outcome: true, os: true, server: true, owner: true, sort: true, dir: true })
      .extend({
        group: groupQuery,
        deregistered: flag.optional().meta({ description: "`true` lists the deregistered nodes instead of the active ones." }),
        limit: limit(500, 50),
        cursor,
      }),
    response: s.nodePage,
    async handle({ db, query }) {
      const { limit: size, cursor: after, deregistered, ...filters } = query;
      const { page, pageSize } = pageCursor.decode(after, size);
      const list = await listNodes(db, nodeListInput.parse({ ...filters, deregistered: deregistered ?? false, page, pageSize }));
      return { items: list.rows, total: list.total, nextCursor: pageCursor.next(page, pageSize, list.total) };
    },
  }),
  operation({
    method: "get",
    path: "/nodes/{id}",
    operationId: "getNode",
    tag: "nodes",
    summary: "One node with its windows, open flags and alerts",
    role: "viewer",
    params: id,
    query: z.object({
      nights: z.coerce.number().int().min(1).max(400).default(30).meta({ description: "How many windows, newest first." }),
    }),
    response: s.nodeDetail,
    async handle({ db, params, query, now }) {
      const node = await nodes.nodeById(db, { nodeId: params.id, nights: query.nights, now });
      const latest = await alerts.listAlerts(db, { state: "all", page: 1, pageSize: 50, nodeId: params.id });
      return { ...node, alerts: latest.rows };
    },
  }),
  operation({
    method: "post",
    path: "/nodes/{id}/deregister",
    operationId: "deregisterNode",
    tag: "nodes",
    summary: "Take a node off every check (its history is kept)",
    description: "Needs a read-write key. Its open flags close; audited with the key as the actor.",
    role: "operator",
    params: id,
    body: z.object({ reason }),
    response: s.deregistered,
    conflict: "The node is already deregistered.",
    handle: ({ db, caller, params, body, now }) => nodes.deregisterNode(db, caller, { nodeId: params.id, reason: body.reason, now }),
  }),
  operation({
    method: "post",
    path: "/nodes/{id}/restore",
    operationId: "restoreNode",
    tag: "nodes",
    summary: "Put a deregistered node back on every check",
    role: "operator",
    params: id,
    body: z.object({ reason: z.string().trim().max(500).nullable().default(null) }),
    response: s.restored,
    conflict: "The node is not deregistered.",
    handle: ({ db, caller, params, body }) => nodes.restoreNode(db, caller, { nodeId: params.id, reason: body.reason }),
  }),
  operation({
    method: "get",
    path: "/windows",
    operationId: "listWindows",
    tag: "windows",
    summary: "Backup windows of active nodes, newest first",
    role: "viewer",
    query: z.object({
      nodeId: z.uuid().optional(),
      outcome: windowOutcome.optional(),
      since: z.iso.datetime().optional().meta({ description: "Only windows scheduled at or after this instant." }),
      limit: limit(500, 100),
      cursor,
    }),
    response: s.windowPage,
    async handle({ db, query }) {
      const { rows, next } = await listWindows(db, {
        nodeId: query.nodeId,
        outcome: query.outcome,
        since: query.since ? new Date(query.since) : undefined,
        limit: query.limit,
        after: keyCursor.decode(query.cursor),
      });
      return { items: rows, nextCursor: keyCursor.encode(next) };
    },
  }),
  operation({
    method: "get",
    path: "/flags",
    operationId: "listFlags",
    tag: "flags",
    summary: "Open flags on active nodes, newest first",
    role: "viewer",
    query: z.object({ kind: flagKind.optional(), nodeId: z.uuid().optional(), limit: limit(500, 100), cursor }),
    response: s.flagPage,
    async handle({ db, query }) {
      const { rows, next } = await listOpenFlags(db, {
        kind: query.kind,
        nodeId: query.nodeId,
        limit: query.limit,
        after: keyCursor.decode(query.cursor),
      });
      return { items: rows, nextCursor: keyCursor.encode(next) };
    },
  }),
  operation({
    method: "get",
    path: "/alerts",
    operationId: "listAlerts",
    tag: "alerts",
    summary: "Alerts, worst first, then the longest-standing",
    description: "`state=live` (the default) lists the open and acknowledged ones.",
    role: "viewer",
    query: z.object({
      state: z.enum(["live", "all", ...alertState.options]).default("live"),
      severity: alertSeverity.optional(),
      kind: z.enum([...alertCondition.options, "incident", "unlock-request"]).optional(),
      server: z.string().max(64).optional().meta({ description: "The node's TSM server." }),
      nodeId: z.uuid().optional(),
      limit: limit(200, 50),
      cursor,
    }),
    response: s.alertPage,
    async handle({ db, query }) {
      const { page, pageSize } = pageCursor.decode(query.cursor, query.limit);
      const list = await alerts.listAlerts(db, {
        state: query.state,
        severity: query.severity ? [query.severity] : undefined,
        kind: query.kind ? [query.kind] : undefined,
        server: query.server,
        nodeId: query.nodeId,
        page,
        pageSize,
      });
      return { items: list.rows, total: list.total, nextCursor: pageCursor.next(page, pageSize, list.total) };
    },
  }),
  operation({
    method: "post",
    path: "/alerts/{id}/acknowledge",
    operationId: "acknowledgeAlert",
    tag: "alerts",
    summary: "Acknowledge an alert: someone is on it",
    description: "Needs a read-write key; audited with the key as the actor.",
    role: "operator",
    params: id,
    body: z.object({ note: z.string().trim().max(500).nullable().default(null) }),
    response: s.acknowledged,
    conflict: "The alert is already acknowledged, or resolved.",
    handle: ({ db, caller, params, body, now }) =>
      alerts.acknowledgeAlerts(db, caller, { alertIds: [params.id], note: body.note || null, now }),
  }),
  operation({
    method: "post",
    path: "/alerts/{id}/resolve",
    operationId: "resolveAlert",
    tag: "alerts",
    summary: "Resolve an alert by hand, saying why",
    description: "Needs a read-write key; audited. It stays resolved while the same condition goes on, and re-opens on new evidence.",
    role: "operator",
    params: id,
    body: z.object({ reason: z.string().trim().min(3, "say why it is resolved").max(500) }),
    response: s.resolved,
    conflict: "The alert is already resolved.",
    handle: ({ db, caller, params, body, now }) => alerts.resolveAlert(db, caller, { alertId: params.id, reason: body.reason, now }),
  }),
  operation({
    method: "get",
    path: "/fleet/overview",
    operationId: "fleetOverview",
    tag: "fleet",
    summary: "The fleet overview: counts, nightly outcomes, nodes to act on",
    role: "viewer",
    query: z.object({
      nights: z.enum(["30", "90"]).default("30").meta({ description: "Nights of history: 30 or 90." }),
      group: groupQuery,
    }),
    response: s.overview,
    handle: ({ db, query, now }) => overview.overviewOf(db, { nights: Number(query.nights), group: query.group, now }),
  }),
  operation({
    method: "post",
    path: "/judge/run",
    operationId: "runJudge",
    tag: "fleet",
    summary: "Run the judge now (admin keys)",
    description: "Closes passed windows as missed, diagnoses them, reconciles flags and raises alerts, as the scheduled run does. Audited.",
    role: "admin",
    response: s.judgeReport,
    async handle({ db, caller, now }) {
      const report = await runJudge(db, now);
      await audit(db, caller, { action: "judge.run", targetType: "judge", targetId: null, detail: report });
      return report;
    },
  }),
];
