import { ingestBatch } from "@fleetwatch/core/schemas";
import { agentProcedure, router } from "../src/trpc";

/**
 * The transport floor: the same procedure path as ingest.batch (HTTP, tRPC, the agent's token
 * looked up, the batch validated by the same zod schema) with nothing stored. What ingest costs
 * beyond it is the ingest service's own.
 */
export const floorRouter = router({
  ingest: router({
    batch: agentProcedure.input(ingestBatch).mutation(() => ({ acceptedEvents: 0, acceptedProblems: 0, acceptedHeartbeats: 0 })),
  }),
});
