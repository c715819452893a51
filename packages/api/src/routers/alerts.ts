import { z } from "zod";
import * as alerts from "../services/alerts";
import { operatorProcedure, router, viewerProcedure } from "../trpc";

export const alertsRouter = router({
  list: viewerProcedure
    .input(
      z
        .object({
          status: z.enum(["open", "all"]).default("open"),
          page: z.number().int().min(1).default(1),
          pageSize: z.number().int().min(1).max(200).default(50),
          nodeId: z.uuid().optional(),
        })
        .default({ status: "open", page: 1, pageSize: 50 }),
    )
    .query(({ ctx, input }) => alerts.listAlerts(ctx.db, input)),
  acknowledge: operatorProcedure
    .input(z.object({ alertId: z.uuid() }))
    .mutation(({ ctx, input }) => alerts.acknowledgeAlert(ctx.db, ctx.caller, { ...input, now: ctx.now() })),
});
