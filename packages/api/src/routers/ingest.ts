import { ingestEnvelope, serverRecordsBatch } from "@fleetwatch/core/schemas";
import { z } from "zod";
import * as agents from "../services/ingest/agents";
import { ingestAgentBatch } from "../services/ingest/ingest-screen";
import { ingestServerRecords } from "../services/ingest/server-records";
import { countedBatch } from "../services/integrations/metric-counters";
import { agentProcedure, collectorProcedure, publicProcedure, router } from "../trpc";

export const ingestRouter = router({
  /**
   * Agent -> server: events, problems and heartbeats of its machine's nodes. Each record is checked
   * on its own: the valid ones are stored and the others refused by name (422), never the batch.
   */
  batch: agentProcedure
    .input(ingestEnvelope)
    .mutation(({ ctx, input }) =>
      countedBatch(ctx.db, () =>
        ingestAgentBatch(ctx.db, { agentId: ctx.caller.agentId, machineRef: ctx.caller.machineRef, envelope: input, now: ctx.now() }),
      ),
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
