import {
  type AdminQueryName,
  adminQueries,
  adminSql,
  associationRecords,
  eventRecords,
  nodeRecords,
  parseAdminOutput,
  type RejectedRow,
  scheduleRecords,
  serverStatus,
} from "@fleetwatch/core/collector";
import type { ServerRecordsBatchInput } from "@fleetwatch/core/schemas";
import { type AdminLogin, type Exec, runSelect } from "./dsmadmc";

export interface CollectInput {
  exec: Exec;
  login: AdminLogin;
  serverLabel: string;
  /** The TSM server's offset east of UTC, for the local times its tables hold. */
  utcOffsetMinutes: number;
  now: () => Date;
  signal?: AbortSignal;
}

export type Collected = { ok: true; batch: ServerRecordsBatchInput; rejected: RejectedRow[] } | { ok: false; error: string };

/**
 * The SELECTs (STATUS, NODES, CLIENT_SCHEDULES, ASSOCIATIONS, and EVENTS of the last two days), one dsmadmc session each, into one batch. All or nothing: a batch missing a
 * table would read to the server as "that table is empty now". STATUS goes first: it is one row,
 * so a wrong password or a server that does not answer fails fast.
 */
export async function collectServerRecords(input: CollectInput): Promise<Collected> {
  const collectedAt = input.now().toISOString();
  const rows = {} as Record<AdminQueryName, string[][]>;
  for (const name of Object.keys(adminQueries) as AdminQueryName[]) {
    const { table, columns } = adminQueries[name];
    const ran = await runSelect(input.exec, input.login, adminSql(name), input.signal);
    if (!ran.ok) return { ok: false, error: `select from ${table}: ${ran.error}` };
    const parsed = parseAdminOutput(ran.text, columns.length);
    if (!parsed.ok) return { ok: false, error: `select from ${table}: ${parsed.error}` };
    rows[name] = parsed.rows;
  }
  const status = serverStatus(rows.status);
  const [known] = status.records;
  const nodes = nodeRecords(rows.nodes);
  const schedules = scheduleRecords(rows.schedules);
  const associations = associationRecords(rows.associations);
  const events = eventRecords(rows.events);
  return {
    ok: true,
    batch: {
      server: input.serverLabel,
      serverName: known?.serverName ?? null,
      passwordExpiryDays: known?.passwordExpiryDays ?? null,
      utcOffsetMinutes: input.utcOffsetMinutes,
      collectedAt,
      nodes: nodes.records,
      schedules: schedules.records,
      associations: associations.records,
      events: events.records,
    },
    rejected: [...status.rejected, ...nodes.rejected, ...schedules.rejected, ...associations.rejected, ...events.rejected],
  };
}
