/**
 * The SELECTs the collector runs through dsmadmc: each one's table, and its columns in order. Column names come
 * from a real 8.1.20 server's catalogue (tsm-facts.md §2.2); reading the tables, not `query node`
 * labels, keeps the collector independent of the server's language. The collector runs them in
 * this order: STATUS first, as the one-row check that the login works.
 */
export const adminQueries = {
  status: {
    table: "STATUS",
    columns: ["SERVER_NAME", "PASSEXP"],
  },
  nodes: {
    table: "NODES",
    columns: [
      "NODE_NAME",
      "LOCKED",
      "PWSET_TIME",
      "PASSEXP",
      "LASTACC_TIME",
      "REG_TIME",
      "CONTACT",
      "EMAIL_ADDRESS",
      "PLATFORM_NAME",
      "CLIENT_OS_LEVEL",
      "CLIENT_VERSION",
      "CLIENT_RELEASE",
      "CLIENT_LEVEL",
      "CLIENT_SUBLEVEL",
      "TCP_NAME",
      "TCP_ADDRESS",
      "GUID",
      "DOMAIN_NAME",
    ],
  },
  schedules: {
    table: "CLIENT_SCHEDULES",
    columns: [
      "DOMAIN_NAME",
      "SCHEDULE_NAME",
      "ACTION",
      "STARTDATE",
      "STARTTIME",
      "DURATION",
      "DURUNITS",
      "PERIOD",
      "PERUNITS",
      "DAYOFWEEK",
      "SCHED_STYLE",
      "ENH_MONTH",
      "DAYOFMONTH",
      "WEEKOFMONTH",
      "EXPIRATION",
    ],
  },
  associations: {
    table: "ASSOCIATIONS",
    columns: ["DOMAIN_NAME", "SCHEDULE_NAME", "NODE_NAME"],
  },
  events: {
    table: "EVENTS",
    columns: ["SCHEDULED_START", "ACTUAL_START", "COMPLETED", "DOMAIN_NAME", "SCHEDULE_NAME", "NODE_NAME", "STATUS", "RESULT", "REASON"],
  },
} as const;

/** How far back the collector reads EVENTS: two days covers a run it missed while down. */
const EVENT_LOOKBACK_HOURS = 48;

export type AdminQueryName = keyof typeof adminQueries;

/** A table the collector reads: STATUS, NODES, CLIENT_SCHEDULES, ASSOCIATIONS or EVENTS. */
export type AdminTable = (typeof adminQueries)[AdminQueryName]["table"];

/** The SELECT text for a query: its columns, in the order the record mappers read them. */
export function adminSql(name: AdminQueryName): string {
  const { table, columns } = adminQueries[name];
  const select = `select ${columns.join(", ")} from ${table}`;
  // Without a SCHEDULED_START condition the EVENTS table shows only today's events.
  return name === "events" ? `${select} where SCHEDULED_START>=current_timestamp-${EVENT_LOOKBACK_HOURS} hours` : select;
}
