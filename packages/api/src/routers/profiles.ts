import { profilePolicy } from "@fleetwatch/core/profiles";
import { z } from "zod";
import * as profiles from "../services/judge/profiles";
import { adminProcedure, operatorProcedure, router, viewerProcedure } from "../trpc";

export const profilesRouter = router({
  list: viewerProcedure.query(({ ctx }) => profiles.listProfiles(ctx.db)),
  /** Profiles decide what alerts for the whole fleet: admins make and change them. */
  create: adminProcedure.input(profiles.profileInput).mutation(({ ctx, input }) => profiles.createProfile(ctx.db, ctx.caller, input)),
  update: adminProcedure
    .input(z.strictObject({ id: z.uuid(), profile: profiles.profileInput }))
    .mutation(({ ctx, input }) => profiles.updateProfile(ctx.db, ctx.caller, input)),
  delete: adminProcedure
    .input(z.strictObject({ id: z.uuid() }))
    .mutation(({ ctx, input }) => profiles.deleteProfile(ctx.db, ctx.caller, input)),
  ofNode: viewerProcedure.input(z.strictObject({ nodeId: z.uuid() })).query(({ ctx, input }) => profiles.nodeProfile(ctx.db, input)),
  /** One node's profile and exceptions: staff looking after it. */
  setNodeProfile: operatorProcedure
    .input(z.strictObject({ nodeId: z.uuid(), profileId: z.uuid().nullable() }))
    .mutation(({ ctx, input }) => profiles.setNodeProfile(ctx.db, ctx.caller, input)),
  setNodeOverride: operatorProcedure
    .input(z.strictObject({ nodeId: z.uuid(), override: profilePolicy }))
    .mutation(({ ctx, input }) => profiles.setNodeOverride(ctx.db, ctx.caller, input)),
});
