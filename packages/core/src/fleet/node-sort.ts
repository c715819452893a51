import { z } from "zod";

/** How the node list can be ordered: worst first (the default), or by one column. */
export const nodeSortKey = z.enum([
  "worst",
  "name",
  "lastOutcome",
  "lastCompletedAt",
  "lastContactAt",
  "missedStreak",
  "failedStreak",
  "missed30",
  "failed30",
]);
export type NodeSortKey = z.infer<typeof nodeSortKey>;
