import { boundedEvent, type IngestAck, type IngestBatch, type MachineIdentity, type ParseResult } from "@fleetwatch/core/schemas";
import type { ServerClient } from "./http";

export interface ShipTarget {
  client: ServerClient;
  machine: MachineIdentity;
  node: string;
  utcOffsetMinutes: number;
}

/** Ship a whole parse result in batches; the server's idempotency makes a re-ship harmless. */
export async function shipParseResult(target: ShipTarget, result: ParseResult, batchSize = 500): Promise<IngestAck> {
  const total: IngestAck = { acceptedEvents: 0, acceptedProblems: 0, acceptedHeartbeats: 0 };
  const { node, utcOffsetMinutes } = target;
  const events = result.events.map((event) => ({ node, utcOffsetMinutes, event: boundedEvent(event) }));
  const problems = result.problems.map((message) => ({ node, utcOffsetMinutes, message }));
  for (let i = 0; i < Math.max(events.length, problems.length, 1); i += batchSize) {
    const batch: IngestBatch = {
      machine: target.machine,
      events: events.slice(i, i + batchSize),
      problems: problems.slice(i, i + batchSize),
      heartbeats: [],
      // The scheduler's announced windows tell the server the node's schedule: sent once.
      announcements: i === 0 && result.nextScheduled.length ? [{ node, utcOffsetMinutes, nextScheduled: result.nextScheduled }] : [],
    };
    const ack = await target.client.mutation<IngestAck>("ingest.batch", batch);
    total.acceptedEvents += ack.acceptedEvents;
    total.acceptedProblems += ack.acceptedProblems;
    total.acceptedHeartbeats += ack.acceptedHeartbeats;
  }
  return total;
}
