import type { RejectedRow } from "@fleetwatch/core/collector";
import type { ServerRecordsAck } from "@fleetwatch/core/schemas";
import type { CollectorSettings } from "../config/collector-config";
import type { Fsys } from "../fsys";
import { type ServerClient, ServerError } from "../http";
import { collectServerRecords } from "./collect";
import { type Exec, nodeExec } from "./dsmadmc";
import { locateDsmadmc } from "./locate";
import { PasswordError, readAdminPassword } from "./password";

export interface CollectionDeps {
  settings: CollectorSettings;
  client: ServerClient;
  fs: Pick<Fsys, "readFile" | "stat">;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  now: () => Date;
  exec?: Exec;
  /** Ends a running dsmadmc (the daemon stopping). */
  signal?: AbortSignal;
}

export type CollectionResult =
  | {
      ok: true;
      ack: ServerRecordsAck;
      rejected: RejectedRow[];
      sent: { nodes: number; schedules: number; associations: number; events: number };
    }
  | { ok: false; error: string; rejected: RejectedRow[] };

/**
 * One collection, start to end: the password and dsmadmc found, the server's tables read, the
 * batch shipped with the agent's own credential. Every failure is one line in `error`; rows the
 * collector could not read come back in `rejected` for the caller to report, shipped or not.
 */
export async function runCollection(d: CollectionDeps): Promise<CollectionResult> {
  const s = d.settings;
  let password: string;
  try {
    password = await readAdminPassword(s, d.env, d.fs);
  } catch (error) {
    if (error instanceof PasswordError) return { ok: false, error: error.message, rejected: [] };
    throw error;
  }
  const dsmadmc = await locateDsmadmc(s, d.platform, d.fs);
  const collected = await collectServerRecords({
    exec: d.exec ?? nodeExec,
    login: { dsmadmc, stanza: s.stanza, adminId: s.adminId, password, timeoutMs: s.timeoutSeconds * 1000 },
    serverLabel: s.serverLabel,
    utcOffsetMinutes: s.utcOffsetMinutes ?? -d.now().getTimezoneOffset(),
    now: d.now,
    signal: d.signal,
  });
  if (!collected.ok) return { ok: false, error: collected.error, rejected: [] };
  const { batch, rejected } = collected;
  const sent = {
    nodes: batch.nodes.length,
    schedules: batch.schedules.length,
    associations: batch.associations.length,
    events: batch.events?.length ?? 0,
  };
  try {
    const ack = await d.client.mutation("ingest.serverRecords", batch);
    return { ok: true, ack, rejected, sent };
  } catch (error) {
    if (!(error instanceof ServerError)) throw error;
    return { ok: false, error: explain(error), rejected };
  }
}

function explain(error: ServerError): string {
  // The server says so itself; older servers may not.
  if (error.code === "FORBIDDEN" && !/collector/i.test(error.message))
    return `${error.message} (enroll this agent with a collector enrollment token)`;
  if (error.code === "NOT_FOUND" || /no procedure found/i.test(error.message))
    return `${error.message} (the Fleetwatch server is older than this agent: it does not take server records yet)`;
  return error.message;
}

/** One line per row the collector could not read: where it was and why. */
export function rejectedLine(r: RejectedRow): string {
  return `${r.table} row ${r.row} not sent: ${r.reason}`;
}
