import { savedViewName, savedViewPath } from "@fleetwatch/core/groups";
import { z } from "zod";
import * as views from "../services/fleet/views";
import { router, viewerProcedure } from "../trpc";

/** Each person's own saved views: a name for an overview or node list URL. */
export const viewsRouter = router({
  list: viewerProcedure.query(({ ctx }) => views.listViews(ctx.db, ctx.caller)),
  save: viewerProcedure
    .input(z.object({ name: savedViewName, path: savedViewPath }))
    .mutation(({ ctx, input }) => views.saveView(ctx.db, ctx.caller, input)),
  rename: viewerProcedure
    .input(z.object({ id: z.uuid(), name: savedViewName }))
    .mutation(({ ctx, input }) => views.renameView(ctx.db, ctx.caller, input)),
  delete: viewerProcedure.input(z.object({ id: z.uuid() })).mutation(({ ctx, input }) => views.deleteView(ctx.db, ctx.caller, input)),
});
