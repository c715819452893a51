import { hasNoControl, staffRole } from "@fleetwatch/core/schemas";
import { z } from "zod";
import { actorLabel } from "../caller";
import * as admin from "../services/admin/admin";
import * as apiKeys from "../services/admin/api-keys";
import { getAlertChannels, getSiteSettings, updateSettings } from "../services/admin/settings";
import * as agents from "../services/ingest/agents";
import * as badges from "../services/integrations/badges";
import { adminProcedure, router } from "../trpc";

const page = z.object({
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
  targetId: z.string().optional(),
});

export const adminRouter = router({
  settings: adminProcedure.query(async ({ ctx }) => ({ site: await getSiteSettings(ctx.db), channels: await getAlertChannels(ctx.db) })),
  updateSettings: adminProcedure
    .input(z.object({ site: z.record(z.string(), z.unknown()).optional(), channels: z.record(z.string(), z.unknown()).optional() }))
    .mutation(({ ctx, input }) => updateSettings(ctx.db, ctx.caller, input)),
  badges: adminProcedure.query(({ ctx }) => badges.listBadges(ctx.db)),
  /** A status badge for the fleet, one TSM server's nodes or one node; its URL is shown once. */
  createBadge: adminProcedure
    .input(
      z.object({
        target: z.discriminatedUnion("scope", [
          z.object({ scope: z.literal("fleet") }),
          z.object({
            scope: z.literal("server"),
            server: z.string().trim().max(255).refine(hasNoControl, "control characters are not allowed"),
          }),
          z.object({
            scope: z.literal("node"),
            node: z.string().trim().min(1).max(255).refine(hasNoControl, "control characters are not allowed"),
            server: z.string().trim().max(255).refine(hasNoControl, "control characters are not allowed").optional(),
          }),
        ]),
        note: z.string().trim().max(200).nullable().default(null),
      }),
    )
    .mutation(({ ctx, input }) => badges.createBadge(ctx.db, ctx.caller, { ...input, now: ctx.now() })),
  revokeBadge: adminProcedure
    .input(z.object({ badgeId: z.uuid() }))
    .mutation(({ ctx, input }) => badges.revokeBadge(ctx.db, ctx.caller, { ...input, now: ctx.now() })),
  auditLog: adminProcedure.input(page.default({ page: 1, pageSize: 50 })).query(({ ctx, input }) => admin.auditLog(ctx.db, input)),
  users: adminProcedure.query(({ ctx }) => admin.listUsers(ctx.db)),
  createUser: adminProcedure
    .input(
      z.object({
        email: z.email(),
        password: z.string().min(10).max(200),
        role: staffRole,
        name: z.string().max(200).nullable().default(null),
      }),
    )
    .mutation(({ ctx, input }) => admin.createStaffUser(ctx.db, ctx.caller, input)),
  disableUser: adminProcedure
    .input(z.object({ userId: z.uuid(), disabled: z.boolean() }))
    .mutation(({ ctx, input }) => admin.setUserDisabled(ctx.db, ctx.caller, { ...input, now: ctx.now() })),
  revokeAgent: adminProcedure
    .input(z.object({ agentId: z.uuid(), reason: z.string().trim().max(500).nullable().default(null) }))
    .mutation(({ ctx, input }) => admin.revokeAgent(ctx.db, ctx.caller, { ...input, now: ctx.now() })),
  unbindAgent: adminProcedure
    .input(z.object({ agentId: z.uuid(), reason: z.string().trim().min(3, "say why, in a few words").max(500) }))
    .mutation(({ ctx, input }) => admin.unbindAgent(ctx.db, ctx.caller, input)),
  enrollmentTokens: adminProcedure.query(({ ctx }) => admin.listEnrollmentTokens(ctx.db)),
  agents: adminProcedure.query(({ ctx }) => admin.listAgents(ctx.db)),
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
        collector: z.boolean().default(false),
      }),
    )
    .mutation(({ ctx, input }) =>
      agents.createEnrollmentToken(ctx.db, { ...input, createdBy: actorLabel(ctx.caller), now: ctx.now(), caller: ctx.caller }),
    ),
  /** Make an API key for /api/v1; the answer's `key` is the only time its text is shown. */
  createApiKey: adminProcedure
    .input(apiKeys.createApiKeyInput)
    .mutation(({ ctx, input }) => apiKeys.createApiKey(ctx.db, ctx.caller, { ...input, now: ctx.now() })),
  apiKeys: adminProcedure.query(({ ctx }) => apiKeys.listApiKeys(ctx.db)),
  revokeApiKey: adminProcedure
    .input(z.object({ keyId: z.uuid() }))
    .mutation(({ ctx, input }) => apiKeys.revokeApiKey(ctx.db, ctx.caller, { ...input, now: ctx.now() })),
});
