import type {
  EventReport,
  Heartbeat,
  IngestAck,
  IngestBatchInput,
  MachineIdentity,
  ProblemReport,
  ScheduleAnnouncement,
} from "@fleetwatch/core/schemas";
import type { SpoolItem } from "../spool/record";

/** Spool records -> one `ingest.batch` input (the spool keeps each item exactly as the wire wants it). */
export function toBatch(records: SpoolItem[], machine: MachineIdentity): IngestBatchInput {
  const batch: IngestBatchInput & { events: EventReport[]; problems: ProblemReport[]; heartbeats: Heartbeat[] } = {
    machine,
    events: [],
    problems: [],
    heartbeats: [],
    announcements: [],
  };
  for (const r of records) {
    if (r.kind === "event") batch.events.push(r.data as EventReport);
    else if (r.kind === "problem") batch.problems.push(r.data as ProblemReport);
    else if (r.kind === "heartbeat") batch.heartbeats.push(r.data as Heartbeat);
    else batch.announcements!.push(r.data as ScheduleAnnouncement);
  }
  return batch;
}

export const emptyAck = (): IngestAck => ({ acceptedEvents: 0, acceptedProblems: 0, acceptedHeartbeats: 0 });
