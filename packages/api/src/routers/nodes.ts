import { z } from "zod";
import * as nodeOwner from "../services/alerts/node-owner";
import * as nodeList from "../services/fleet/node-list";
import * as nodes from "../services/fleet/nodes";
import { operatorProcedure, router, viewerProcedure } from "../trpc";

const nodeId = z.uuid();

export const nodesRouter = router({
  list: viewerProcedure.input(nodeList.nodeListInput).query(({ ctx, input }) => nodeList.listNodes(ctx.db, input, ctx.now())),
  exportCsv: viewerProcedure.input(nodeList.exportInput).query(({ ctx, input }) => nodeList.exportNodesCsv(ctx.db, input, ctx.now())),
  byId: viewerProcedure
    .input(z.object({ nodeId, nights: z.number().int().min(1).max(400).default(90) }))
    .query(({ ctx, input }) => nodes.nodeById(ctx.db, { ...input, now: ctx.now() })),
  deregister: operatorProcedure
    .input(z.object({ nodeId, reason: z.string().trim().min(3, "say why, in a few words").max(500) }))
    .mutation(({ ctx, input }) => nodes.deregisterNode(ctx.db, ctx.caller, { ...input, now: ctx.now() })),
  restore: operatorProcedure
    .input(z.object({ nodeId, reason: z.string().trim().max(500).nullable().default(null) }))
    .mutation(({ ctx, input }) => nodes.restoreNode(ctx.db, ctx.caller, input)),
  setOwner: operatorProcedure
    .input(nodeOwner.nodeOwnerInput)
    .mutation(({ ctx, input }) => nodeOwner.setNodeOwner(ctx.db, ctx.caller, { ...input, now: ctx.now() })),
  requestUnlock: operatorProcedure
    .input(z.object({ nodeId, note: z.string().trim().max(500).nullable().default(null) }))
    .mutation(({ ctx, input }) => nodes.requestUnlock(ctx.db, ctx.caller, { ...input, now: ctx.now() })),
});
