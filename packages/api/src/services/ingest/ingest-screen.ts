import {
  type IngestAck,
  type IngestBatch,
  type IngestEnvelope,
  kindOfList,
  type RecordLists,
  type RejectedRecord,
  recordLists,
  screenBatch,
} from "@fleetwatch/core/schemas";
import type { Caller } from "../../caller";
import type { Db } from "../../context";
import { DomainError } from "../../errors";
import { audit } from "../admin/audit";
import { ingestBatch, MachineClaimRefused } from "./ingest";

// No record can block an agent: each is checked on its own, the valid ones are stored, and the
// others are refused by name (422), recorded for staff, and quarantined by the agent. Should a
// record pass the schema and still be refused by PostgreSQL (a bound the schema missed), the batch
// is halved until the one record is found, so the rest is stored all the same.

type Args = { agentId: string; machineRef: string | null; now: Date };

/** `ingest.batch`: store what can be stored; answer 422 naming what could not. */
export async function ingestAgentBatch(db: Db, args: Args & { envelope: IngestEnvelope }): Promise<IngestAck> {
  const { batch, rejected, origin } = screenBatch(args.envelope);
  let stored: { ack: IngestAck; rejected: RejectedRecord[] };
  try {
    stored = await storeHalving(db, args, batch, origin);
  } catch (error) {
    if (error instanceof MachineClaimRefused) {
      const agent: Caller = { kind: "agent", agentId: args.agentId, machineRef: args.machineRef, collector: false };
      await audit(db, agent, {
        action: "agent.machine-claim-refused",
        targetType: "agent",
        targetId: args.agentId,
        reason: error.message,
        detail: error.details,
      });
    }
    throw error;
  }
  const refused = [...rejected, ...stored.rejected];
  if (!refused.length) return stored.ack;
  const listOf = (kind: RejectedRecord["kind"]) => recordLists.find((l) => kindOfList[l] === kind) as RecordLists;
  await db.rejectedRecord.createMany({
    data: refused.map((r) => ({
      agentId: args.agentId,
      at: args.now,
      kind: r.kind,
      node: r.node,
      reason: r.reason,
      excerpt: (JSON.stringify(args.envelope[listOf(r.kind)][r.index]) ?? "").slice(0, 2000),
    })),
  });
  const total = recordLists.reduce((n, l) => n + args.envelope[l].length, 0);
  const first = refused[0] as RejectedRecord;
  throw new DomainError(
    "UNPROCESSABLE_CONTENT",
    `${refused.length} of ${total} records refused, the rest stored; first: ${listOf(first.kind)}[${first.index}]${first.node ? ` (node ${first.node})` : ""}: ${first.reason}`,
    {
      rejected: refused,
      accepted: {
        events: stored.ack.acceptedEvents,
        problems: stored.ack.acceptedProblems,
        heartbeats: stored.ack.acceptedHeartbeats,
      },
    },
  );
}

/** PostgreSQL's data exceptions (class 22) and program limits (54): this data, not the server, is at fault. */
const refusedData = (error: unknown) => /^(22|54)/.test(String((error as { code?: unknown }).code ?? ""));

async function storeHalving(
  db: Db,
  args: Args,
  batch: IngestBatch,
  origin: Record<RecordLists, number[]>,
): Promise<{ ack: IngestAck; rejected: RejectedRecord[] }> {
  try {
    return { ack: await ingestBatch(db, { ...args, batch }), rejected: [] };
  } catch (error) {
    if (!refusedData(error)) throw error;
    const items = recordLists.flatMap((list) => batch[list].map((record, i) => ({ list, record, index: origin[list][i] as number })));
    if (items.length <= 1) {
      const item = items[0];
      if (!item) throw error;
      const reason = `the database refused it: ${(error as Error).message.split("\n")[0]}`;
      const node = (item.record as { node?: string }).node ?? null;
      return {
        ack: { acceptedEvents: 0, acceptedProblems: 0, acceptedHeartbeats: 0 },
        rejected: [{ kind: kindOfList[item.list], index: item.index, node, reason }],
      };
    }
    const half = Math.ceil(items.length / 2);
    const parts = [items.slice(0, half), items.slice(half)].map((part) => {
      const sub = { machine: batch.machine, events: [], problems: [], heartbeats: [], announcements: [] } as unknown as IngestBatch;
      const subOrigin: Record<RecordLists, number[]> = { events: [], problems: [], heartbeats: [], announcements: [] };
      for (const item of part) {
        (sub[item.list] as unknown[]).push(item.record);
        subOrigin[item.list].push(item.index);
      }
      return { sub, subOrigin };
    });
    const results = [];
    for (const { sub, subOrigin } of parts) results.push(await storeHalving(db, args, sub, subOrigin));
    return {
      ack: {
        acceptedEvents: results.reduce((n, r) => n + r.ack.acceptedEvents, 0),
        acceptedProblems: results.reduce((n, r) => n + r.ack.acceptedProblems, 0),
        acceptedHeartbeats: results.reduce((n, r) => n + r.ack.acceptedHeartbeats, 0),
      },
      rejected: results.flatMap((r) => r.rejected),
    };
  }
}
