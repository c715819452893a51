import { departmentName, tagName } from "@fleetwatch/core/groups";
import { z } from "zod";
import * as groups from "../services/fleet/groups";
import { operatorProcedure, router, viewerProcedure } from "../trpc";

export const groupsRouter = router({
  /** Every group with its node count and health, for the group picker. */
  list: viewerProcedure.query(({ ctx }) => groups.listGroups(ctx.db, ctx.now())),
  tags: viewerProcedure.query(({ ctx }) => groups.tagsInUse(ctx.db)),
  /** Tag one node or many (the list's selection); audited per node with its tags before and after. */
  tag: operatorProcedure
    .input(z.object({ nodeIds: z.array(z.uuid()).min(1, "choose at least one node").max(500), tag: tagName }))
    .mutation(({ ctx, input }) => groups.changeTag(ctx.db, ctx.caller, { ...input, action: "add" })),
  untag: operatorProcedure
    .input(z.object({ nodeIds: z.array(z.uuid()).min(1, "choose at least one node").max(500), tag: tagName }))
    .mutation(({ ctx, input }) => groups.changeTag(ctx.db, ctx.caller, { ...input, action: "remove" })),
  /** A node's department by hand; null goes back to the name's rule. */
  setDepartment: operatorProcedure
    .input(z.object({ nodeId: z.uuid(), department: departmentName.nullable() }))
    .mutation(({ ctx, input }) => groups.setDepartment(ctx.db, ctx.caller, input)),
});
