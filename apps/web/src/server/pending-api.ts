import { TRPCError } from "@trpc/server";
import type { api } from "./trpc";

/**
 * `fleet.duplicates` as agreed for issue 7. The API has the service (duplicatePairs) but not yet
 * the procedure; when it lands this file goes and the review page calls `trpc.fleet.duplicates()`.
 */
export interface DuplicateSide {
  id: string;
  name: string;
  hostname: string | null;
  lastOutcome: string | null;
  lastCompletedAt: Date | null;
  lastContactAt: Date | null;
  history: { night: string; outcome: string }[];
}
export interface DuplicatePair {
  a: DuplicateSide;
  b: DuplicateSide;
  score: number;
  evidence: string[];
  deadNodeId: string | null;
}

type Caller = Awaited<ReturnType<typeof api>>["trpc"];

/** The pairs, or null while the API has no such procedure (the page says so instead of failing). */
export async function fleetDuplicates(trpc: Caller): Promise<{ pairs: DuplicatePair[] } | null> {
  try {
    return await (trpc.fleet as unknown as { duplicates: () => Promise<{ pairs: DuplicatePair[] }> }).duplicates();
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") return null;
    throw error;
  }
}
