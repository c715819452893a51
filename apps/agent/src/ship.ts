import { boundedEvent, type Heartbeat, type IngestAck, type MachineIdentity, type ParseResult } from "@fleetwatch/core/schemas";
import type { ServerClient } from "./http";
import { emptyAck } from "./ship/batch";
import { deliver } from "./ship/deliver";
import type { RejectedFile } from "./ship/rejected-file";
import type { SpoolItem } from "./spool/record";

export interface ShipTarget {
  client: ServerClient;
  machine: MachineIdentity;
  node: string;
  utcOffsetMinutes: number;
  /** Where records the server refuses are kept: the rest of the log ships all the same. */
  rejected: RejectedFile;
}

export interface Shipped {
  ack: IngestAck;
  refused: number;
}

/**
 * Ship a whole parse result in batches; the server's idempotency makes a re-ship harmless. Records
 * the server refuses are kept in the quarantine file (each once, however often the log is shipped).
 */
export async function shipParseResult(target: ShipTarget, result: ParseResult, batchSize = 500): Promise<Shipped> {
  const { node, utcOffsetMinutes } = target;
  const events: SpoolItem[] = result.events.map((event) => ({
    kind: "event",
    node,
    data: { node, utcOffsetMinutes, event: boundedEvent(event) },
  }));
  const problems: SpoolItem[] = result.problems.map((message) => ({ kind: "problem", node, data: { node, utcOffsetMinutes, message } }));
  const batches: SpoolItem[][] = [];
  for (let i = 0; i < Math.max(events.length, problems.length, 1); i += batchSize) {
    const items = [...events.slice(i, i + batchSize), ...problems.slice(i, i + batchSize)];
    // The scheduler's announced windows tell the server the node's schedule: sent once.
    if (i === 0 && result.nextScheduled.length)
      items.push({ kind: "announcement", node, data: { node, utcOffsetMinutes, nextScheduled: result.nextScheduled } });
    batches.push(items);
  }
  return send(target, batches);
}

/** Ship recorded heartbeats (a replay), oldest first, at most the server's 500 a batch. */
export async function shipHeartbeats(target: ShipTarget, beats: Heartbeat[], batchSize = 500): Promise<Shipped> {
  const items: SpoolItem[] = [...beats]
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    .map((beat) => ({ kind: "heartbeat", node: beat.node, data: beat }));
  const batches: SpoolItem[][] = [];
  for (let i = 0; i < items.length; i += batchSize) batches.push(items.slice(i, i + batchSize));
  return send(target, batches);
}

async function send(target: ShipTarget, batches: SpoolItem[][]): Promise<Shipped> {
  const total = emptyAck();
  let refused = 0;
  for (const items of batches) {
    const sent = await deliver(target.client, target.machine, items);
    total.acceptedEvents += sent.ack.acceptedEvents;
    total.acceptedProblems += sent.ack.acceptedProblems;
    total.acceptedHeartbeats += sent.ack.acceptedHeartbeats;
    if (sent.refused.length === 0) continue;
    refused += sent.refused.length;
    await target.rejected.add(
      sent.refused.map(({ item, reason }) => ({ kind: item.kind, node: item.node, reason, record: item.data })),
      new Date(),
    );
  }
  return { ack: total, refused };
}
