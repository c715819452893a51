import { maintenanceInput } from "@fleetwatch/core/maintenance";
import { z } from "zod";
import * as maintenance from "../services/judge/maintenance";
import { operatorProcedure, router, viewerProcedure } from "../trpc";

export const maintenanceRouter = router({
  list: viewerProcedure.query(({ ctx }) => maintenance.listMaintenance(ctx.db)),
  create: operatorProcedure.input(maintenanceInput).mutation(({ ctx, input }) => maintenance.createMaintenance(ctx.db, ctx.caller, input)),
  delete: operatorProcedure
    .input(z.strictObject({ id: z.uuid() }))
    .mutation(({ ctx, input }) => maintenance.deleteMaintenance(ctx.db, ctx.caller, input)),
});
