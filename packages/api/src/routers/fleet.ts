import { z } from "zod";
import * as fleet from "../services/fleet";
import { health } from "../services/health";
import { publicProcedure, router, viewerProcedure } from "../trpc";

export const fleetRouter = router({
  health: publicProcedure.query(({ ctx }) => health(ctx.db, ctx.now())),
  recentWindows: viewerProcedure
    .input(z.object({ limit: z.number().int().min(1).max(500).default(50) }).default({ limit: 50 }))
    .query(({ ctx, input }) => fleet.recentWindows(ctx.db, input)),
  outcomeCounts: viewerProcedure.query(({ ctx }) => fleet.outcomeCounts(ctx.db)),
});
