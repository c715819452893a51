import type { IngestAck, MachineIdentity } from "@fleetwatch/core/schemas";
import { type ServerClient, ServerError } from "../http";
import type { SpoolItem, SpoolKind } from "../spool/record";
import { emptyAck, toBatch } from "./batch";

export interface Delivered<T extends SpoolItem> {
  /** What the server stored. */
  ack: IngestAck;
  /** Records it will never take as they are, each with its one-line reason. */
  refused: Array<{ item: T; reason: string }>;
}

const KINDS: readonly SpoolKind[] = ["event", "problem", "heartbeat", "announcement"];

/**
 * One `ingest.batch` call, with the answers that store part of a batch made whole: a 422 names
 * the records refused (every other one was stored), and a 413 (a proxy with a smaller body limit
 * than the server's) halves the batch until a record alone is still too large. Anything else is
 * thrown as it came: retrying or not is the caller's decision, and no record is given up for it.
 */
export async function deliver<T extends SpoolItem>(client: ServerClient, machine: MachineIdentity, items: T[]): Promise<Delivered<T>> {
  try {
    return { ack: await client.mutation("ingest.batch", toBatch(items, machine)), refused: [] };
  } catch (error) {
    if (!(error instanceof ServerError)) throw error;
    if (error.status === 422) return partly(error, items);
    if (error.status !== 413) throw error;
    if (items.length === 1)
      return { ack: emptyAck(), refused: [{ item: items[0]!, reason: `too large for the server (413): ${error.message}` }] };
    const half = Math.ceil(items.length / 2);
    const a = await deliver(client, machine, items.slice(0, half));
    const b = await deliver(client, machine, items.slice(half));
    return { ack: add(a.ack, b.ack), refused: [...a.refused, ...b.refused] };
  }
}

interface Named {
  kind: SpoolKind;
  index: number;
  reason: string;
}

/** The 422's refused records, found in the batch as sent; an answer that names none of ours is thrown. */
function partly<T extends SpoolItem>(error: ServerError, items: T[]): Delivered<T> {
  const byKind = new Map<SpoolKind, T[]>(KINDS.map((k) => [k, []]));
  for (const item of items) byKind.get(item.kind)!.push(item);
  const named = error.data?.rejected;
  const refused = new Map<T, string>();
  if (Array.isArray(named)) {
    for (const r of named as Partial<Named>[]) {
      const item = r && KINDS.includes(r.kind as SpoolKind) && Number.isInteger(r.index) ? byKind.get(r.kind!)![r.index!] : undefined;
      // Acknowledging a batch on an answer we cannot follow could drop a record nobody stored.
      if (!item || typeof r.reason !== "string") throw unreadable(error);
      refused.set(item, r.reason);
    }
  }
  if (refused.size === 0) throw unreadable(error);
  const accepted = (error.data?.accepted ?? {}) as Partial<Record<"events" | "problems" | "heartbeats", number>>;
  return {
    ack: { acceptedEvents: accepted.events ?? 0, acceptedProblems: accepted.problems ?? 0, acceptedHeartbeats: accepted.heartbeats ?? 0 },
    refused: [...refused].map(([item, reason]) => ({ item, reason })),
  };
}

const unreadable = (e: ServerError) =>
  new ServerError(
    `${e.message} (but the answer names no record of this batch: nothing acknowledged)`,
    e.status,
    e.retryAfterMs,
    e.code,
    e.data,
  );

const add = (a: IngestAck, b: IngestAck): IngestAck => ({
  acceptedEvents: a.acceptedEvents + b.acceptedEvents,
  acceptedProblems: a.acceptedProblems + b.acceptedProblems,
  acceptedHeartbeats: a.acceptedHeartbeats + b.acceptedHeartbeats,
});
