import { alertCondition, alertSeverity, alertState } from "@fleetwatch/core/alerts";
import { z } from "zod";
import * as alerts from "../services/alerts/alerts";
import { operatorProcedure, router, viewerProcedure } from "../trpc";

const note = z.string().trim().max(500).nullable().default(null);

export const alertsRouter = router({
  list: viewerProcedure
    .input(
      z
        .strictObject({
          state: z.enum(["live", "all", ...alertState.options]).default("live"),
          severity: z.array(alertSeverity).max(3).optional(),
          kind: z
            .array(z.enum([...alertCondition.options, "incident", "unlock-request"]))
            .max(20)
            .optional(),
          server: z.string().max(64).optional(),
          assignee: z.union([z.uuid(), z.literal("none")]).optional(),
          nodeId: z.uuid().optional(),
          page: z.number().int().min(1).max(100_000).default(1),
          pageSize: z.number().int().min(1).max(200).default(50),
        })
        .default({ state: "live", page: 1, pageSize: 50 }),
    )
    .query(({ ctx, input }) => alerts.listAlerts(ctx.db, input)),
  counts: viewerProcedure.query(({ ctx }) => alerts.alertCounts(ctx.db)),
  history: viewerProcedure.input(z.strictObject({ alertId: z.uuid() })).query(({ ctx, input }) => alerts.alertHistory(ctx.db, input)),
  assignees: viewerProcedure.query(({ ctx }) => alerts.assignableUsers(ctx.db)),
  acknowledge: operatorProcedure
    .input(z.strictObject({ alertId: z.uuid(), note }))
    .mutation(({ ctx, input }) =>
      alerts.acknowledgeAlerts(ctx.db, ctx.caller, { alertIds: [input.alertId], note: input.note || null, now: ctx.now() }),
    ),
  acknowledgeMany: operatorProcedure
    .input(z.strictObject({ alertIds: z.array(z.uuid()).min(1).max(200), note }))
    .mutation(({ ctx, input }) => alerts.acknowledgeAlerts(ctx.db, ctx.caller, { ...input, note: input.note || null, now: ctx.now() })),
  resolve: operatorProcedure
    .input(z.strictObject({ alertId: z.uuid(), reason: z.string().trim().min(3, "say why it is resolved").max(500) }))
    .mutation(({ ctx, input }) => alerts.resolveAlert(ctx.db, ctx.caller, { ...input, now: ctx.now() })),
  assign: operatorProcedure
    .input(z.strictObject({ alertId: z.uuid(), userId: z.uuid().nullable() }))
    .mutation(({ ctx, input }) => alerts.assignAlert(ctx.db, ctx.caller, { ...input, now: ctx.now() })),
});
