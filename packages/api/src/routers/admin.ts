import { z } from "zod";
import { actorLabel } from "../caller";
import * as agents from "../services/agents";
import { adminProcedure, router } from "../trpc";

export const adminRouter = router({
  createEnrollmentToken: adminProcedure
    .input(
      z.object({
        note: z.string().max(200).nullable().default(null),
        ttlHours: z
          .number()
          .int()
          .min(1)
          .max(24 * 30)
          .default(72),
      }),
    )
    .mutation(({ ctx, input }) => agents.createEnrollmentToken(ctx.db, { ...input, createdBy: actorLabel(ctx.caller), now: ctx.now() })),
});
