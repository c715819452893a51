import { groupScope } from "@fleetwatch/core/groups";
import { z } from "zod";
import { health } from "../services/admin/health";
import { duplicatePairs } from "../services/fleet/duplicates";
import * as fleet from "../services/fleet/fleet";
import { staleNodes } from "../services/fleet/nodes";
import * as overview from "../services/fleet/overview";
import { lateNow } from "../services/judge/late-windows";
import { publicProcedure, router, viewerProcedure } from "../trpc";

export const fleetRouter = router({
  health: publicProcedure.query(({ ctx }) => health(ctx.db, ctx.now())),
  /** Windows open now with no run yet: late, not alerted. */
  late: viewerProcedure
    .input(z.object({ group: groupScope.optional() }).default({}))
    .query(({ ctx, input }) => lateNow(ctx.db, ctx.now(), input.group)),
  /** The fleet's overview, or one group's (department, contact, TSM server, tag). */
  overview: viewerProcedure
    .input(z.object({ nights: z.union([z.literal(30), z.literal(90)]).default(30), group: groupScope.optional() }).default({ nights: 30 }))
    .query(({ ctx, input }) => overview.overviewOf(ctx.db, { ...input, now: ctx.now() })),
  recentWindows: viewerProcedure
    .input(z.object({ limit: z.number().int().min(1).max(500).default(50) }).default({ limit: 50 }))
    .query(({ ctx, input }) => fleet.recentWindows(ctx.db, input)),
  outcomeCounts: viewerProcedure.query(({ ctx }) => fleet.outcomeCounts(ctx.db)),
  duplicates: viewerProcedure
    .input(z.object({ nights: z.number().int().min(7).max(90).default(30) }).default({ nights: 30 }))
    .query(({ ctx, input }) => duplicatePairs(ctx.db, input)),
  stale: viewerProcedure.query(({ ctx }) => staleNodes(ctx.db, { now: ctx.now() })),
});
