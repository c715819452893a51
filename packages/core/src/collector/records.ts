import type { ServerAssociation, ServerEvent, ServerNodeRecord, ServerSchedule } from "../schemas/collector";
import { serverAssociation, serverEvent, serverNodeRecord, serverSchedule } from "../schemas/collector";
import { type AdminTable, adminQueries } from "./queries";

/** A row the collector could not read, with why: reported, never silently dropped. */
export interface RejectedRow {
  table: AdminTable;
  row: number;
  reason: string;
}

interface Mapped<T> {
  records: T[];
  rejected: RejectedRow[];
}

const blank = (v: string | undefined) => (v === undefined || v.trim() === "" ? null : v.trim());

/** `2020-03-22 05:09:43.000000` (SELECT's TIMESTAMP, server-local) as `2020-03-22T05:09:43`. */
function adminTimestamp(value: string | undefined): string | null {
  const v = blank(value);
  if (!v) return null;
  const m = /^(\d{4}-\d{2}-\d{2})[ T-](\d{2})[:.](\d{2})[:.](\d{2})/.exec(v);
  if (!m) throw new RangeError(`not a timestamp: ${v}`);
  return `${m[1]}T${m[2]}:${m[3]}:${m[4]}`;
}

function integer(value: string | undefined): number | null {
  const v = blank(value);
  if (v === null) return null;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new RangeError(`not a whole number: ${v}`);
  return n;
}

/** Row objects keyed by column name, so mappers read by name and not by position. */
function byColumn<C extends readonly string[]>(columns: C, rows: string[][]): Record<C[number], string>[] {
  return rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i] ?? ""])) as Record<C[number], string>);
}

function mapRows<C extends readonly string[], T>(
  { table, columns }: { table: AdminTable; columns: C },
  rows: string[][],
  map: (row: Record<C[number], string>) => T,
): Mapped<T> {
  const out: Mapped<T> = { records: [], rejected: [] };
  byColumn(columns, rows).forEach((row, i) => {
    try {
      out.records.push(map(row));
    } catch (e) {
      out.rejected.push({ table, row: i + 1, reason: oneLine(e) });
    }
  });
  return out;
}

function oneLine(e: unknown): string {
  if (e && typeof e === "object" && "issues" in e && Array.isArray(e.issues)) {
    const issue = e.issues[0] as { path: PropertyKey[]; message: string };
    return `${issue.path.join(".") || "row"}: ${issue.message}`;
  }
  return e instanceof Error ? e.message : String(e);
}

function clientVersion(row: Record<"CLIENT_VERSION" | "CLIENT_RELEASE" | "CLIENT_LEVEL" | "CLIENT_SUBLEVEL", string>) {
  const parts = [row.CLIENT_VERSION, row.CLIENT_RELEASE, row.CLIENT_LEVEL, row.CLIENT_SUBLEVEL].map(blank);
  return parts[0] === null ? null : parts.map((p) => p ?? "0").join(".");
}

export function nodeRecords(rows: string[][]): Mapped<ServerNodeRecord> {
  return mapRows(adminQueries.nodes, rows, (row) =>
    serverNodeRecord.parse({
      name: row.NODE_NAME,
      locked: (blank(row.LOCKED) ?? "NO").toUpperCase() === "YES",
      passwordSetAt: adminTimestamp(row.PWSET_TIME),
      passwordExpiryDays: integer(row.PASSEXP),
      lastAccessAt: adminTimestamp(row.LASTACC_TIME),
      registeredAt: adminTimestamp(row.REG_TIME),
      contact: blank(row.CONTACT),
      email: blank(row.EMAIL_ADDRESS),
      platform: blank(row.PLATFORM_NAME),
      osLevel: blank(row.CLIENT_OS_LEVEL),
      clientVersion: clientVersion(row),
      tcpName: blank(row.TCP_NAME),
      tcpAddress: blank(row.TCP_ADDRESS),
      guid: blank(row.GUID),
      domain: blank(row.DOMAIN_NAME),
    }),
  );
}

export function scheduleRecords(rows: string[][]): Mapped<ServerSchedule> {
  return mapRows(adminQueries.schedules, rows, (row) => {
    const startDate = blank(row.STARTDATE);
    const startTime = blank(row.STARTTIME);
    return serverSchedule.parse({
      domain: row.DOMAIN_NAME,
      action: blank(row.ACTION),
      definition: {
        name: row.SCHEDULE_NAME,
        style: blank(row.SCHED_STYLE) ?? undefined,
        startDate: startDate ? startDate.slice(0, 10) : null,
        // TIME prints as HH:MM:SS, sometimes with a fraction.
        startTime: startTime ? startTime.slice(0, 8).replace(/\./g, ":") : undefined,
        duration: integer(row.DURATION) ?? undefined,
        durationUnits: blank(row.DURUNITS) ?? undefined,
        period: integer(row.PERIOD) ?? undefined,
        periodUnits: blank(row.PERUNITS) ?? undefined,
        dayOfWeek: blank(row.DAYOFWEEK) ?? undefined,
        month: blank(row.ENH_MONTH) ?? undefined,
        dayOfMonth: blank(row.DAYOFMONTH) ?? undefined,
        weekOfMonth: blank(row.WEEKOFMONTH) ?? undefined,
        expiration: adminTimestamp(row.EXPIRATION),
      },
    });
  });
}

export function associationRecords(rows: string[][]): Mapped<ServerAssociation> {
  return mapRows(adminQueries.associations, rows, (row) =>
    serverAssociation.parse({ domain: row.DOMAIN_NAME, schedule: row.SCHEDULE_NAME, node: row.NODE_NAME }),
  );
}

export function eventRecords(rows: string[][]): Mapped<ServerEvent> {
  return mapRows(adminQueries.events, rows, (row) =>
    serverEvent.parse({
      node: row.NODE_NAME,
      schedule: row.SCHEDULE_NAME,
      scheduledStart: adminTimestamp(row.SCHEDULED_START),
      actualStart: adminTimestamp(row.ACTUAL_START),
      completed: adminTimestamp(row.COMPLETED),
      status: row.STATUS,
      result: integer(row.RESULT),
      reason: blank(row.REASON),
    }),
  );
}

interface ServerStatus {
  serverName: string | null;
  passwordExpiryDays: number | null;
}

/**
 * STATUS has one row: the server's name and its common password expiry. No row reads as a blank
 * one (neither known), so `records` holds the one status unless its row was rejected.
 */
export function serverStatus(rows: string[][]): Mapped<ServerStatus> {
  return mapRows(adminQueries.status, [rows[0] ?? []], (row) => ({
    serverName: blank(row.SERVER_NAME),
    passwordExpiryDays: integer(row.PASSEXP),
  }));
}
