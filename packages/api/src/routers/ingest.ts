import { ingestBatch, serverRecordsBatch } from "@fleetwatch/core/schemas";
import { z } from "zod";
import * as agents from "../services/agents";
import * as ingest from "../services/ingest";
import { ingestServerRecords } from "../services/server-records";
import { agentProcedure, collectorProcedure, publicProcedure, router } from "../trpc";

export const ingestRouter = router({
  /** Agent -> server: events, problems and heartbeats of its machine's nodes. */
  batch: agentProcedure
    .input(ingestBatch)
    .mutation(({ ctx, input }) =>
      ingest.ingestBatch(ctx.db, { agentId: ctx.caller.agentId, machineRef: ctx.caller.machineRef, batch: input, now: ctx.now() }),
    ),
  /** Collector -> server: the TSM server's NODES, schedules, associations and recent EVENTS. */
  serverRecords: collectorProcedure
    .input(serverRecordsBatch)
    .mutation(({ ctx, input }) => ingestServerRecords(ctx.db, { agentId: ctx.caller.agentId, batch: input, now: ctx.now() })),
  /** Trade a one-time enrollment token for the agent's own credential. */
  enroll: publicProcedure
    .input(z.object({ enrollmentToken: z.string().min(10).max(200), name: z.string().min(1).max(255) }))
    .mutation(({ ctx, input }) => agents.enrollAgent(ctx.db, { ...input, now: ctx.now() })),
});
