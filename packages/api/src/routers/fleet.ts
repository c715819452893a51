import { z } from "zod";
import { attentionList } from "../services/attention";
import { duplicatePairs } from "../services/duplicates";
import * as fleet from "../services/fleet";
import { health } from "../services/health";
import { lateNow } from "../services/late-windows";
import { staleNodes } from "../services/nodes";
import * as overview from "../services/overview";
import { getSiteSettings } from "../services/settings";
import { publicProcedure, router, viewerProcedure } from "../trpc";

export const fleetRouter = router({
  health: publicProcedure.query(({ ctx }) => health(ctx.db, ctx.now())),
  /** Windows open now with no run yet: late, not alerted. */
  late: viewerProcedure.query(({ ctx }) => lateNow(ctx.db, ctx.now())),
  overview: viewerProcedure
    .input(z.object({ nights: z.union([z.literal(30), z.literal(90)]).default(30) }).default({ nights: 30 }))
    .query(async ({ ctx, input }) => {
      const settings = await getSiteSettings(ctx.db);
      const now = ctx.now();
      const [counts, nightly, attention] = await Promise.all([
        overview.fleetCounts(ctx.db, { atRiskHours: settings.atRiskHours, now }),
        overview.nightlyOutcomes(ctx.db, { nights: input.nights, now }),
        attentionList(ctx.db, { limit: 25 }),
      ]);
      return { counts, nightly, attention };
    }),
  recentWindows: viewerProcedure
    .input(z.object({ limit: z.number().int().min(1).max(500).default(50) }).default({ limit: 50 }))
    .query(({ ctx, input }) => fleet.recentWindows(ctx.db, input)),
  outcomeCounts: viewerProcedure.query(({ ctx }) => fleet.outcomeCounts(ctx.db)),
  duplicates: viewerProcedure
    .input(z.object({ nights: z.number().int().min(7).max(90).default(30) }).default({ nights: 30 }))
    .query(({ ctx, input }) => duplicatePairs(ctx.db, input)),
  stale: viewerProcedure.query(({ ctx }) => staleNodes(ctx.db, { now: ctx.now() })),
});
