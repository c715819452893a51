import { adminQueries } from "@fleetwatch/core/collector";
import type { FakeDsmadmc } from "./fake-dsmadmc";
import { rowsFor } from "./fake-dsmadmc";

/**
 * A small TSM server's tables: one locked node with an old password, one healthy node, one
 * never-used node; a weekday schedule, a monthly one; who follows which. EVENTS left empty (exit 11)
 * unless asked for.
 */
export async function writeServerTables(fake: FakeDsmadmc, opts: { events?: Array<Record<string, string>>; badNodeRow?: boolean } = {}) {
  await fake.table("STATUS", [["TSM1", "365"]]);
  const nodes: Array<Record<string, string>> = [
    {
      NODE_NAME: "ENG-PC031",
      LOCKED: "YES",
      PWSET_TIME: "2024-02-01 09:15:00.000000",
      LASTACC_TIME: "2026-11-20 22:04:11.000000",
      REG_TIME: "2019-04-01 10:00:00.000000",
      CONTACT: "J. Smith, Engineering",
      PLATFORM_NAME: "WinNT",
      CLIENT_VERSION: "8",
      CLIENT_RELEASE: "1",
      CLIENT_LEVEL: "13",
      CLIENT_SUBLEVEL: "0",
      TCP_NAME: "eng-pc031",
      TCP_ADDRESS: "10.1.2.31",
      DOMAIN_NAME: "STANDARD",
    },
    {
      NODE_NAME: "CHEM-SRV001",
      LOCKED: "NO",
      PWSET_TIME: "2026-10-01 08:00:00.000000",
      PASSEXP: "0",
      LASTACC_TIME: "2026-11-21 01:10:00.000000",
      REG_TIME: "2020-01-15 12:00:00.000000",
      PLATFORM_NAME: "Linux x86-64",
      DOMAIN_NAME: "STANDARD",
    },
    { NODE_NAME: "NEW-LAPTOP", LOCKED: "NO", REG_TIME: "2026-11-20 16:00:00.000000", DOMAIN_NAME: "STANDARD" },
    ...(opts.badNodeRow ? [{ NODE_NAME: "BROKEN-PC", LOCKED: "NO", PWSET_TIME: "yesterday", DOMAIN_NAME: "STANDARD" }] : []),
  ];
  await fake.table("NODES", rowsFor(adminQueries.nodes.columns, nodes));
  const schedule = {
    DOMAIN_NAME: "STANDARD",
    ACTION: "INCREMENTAL",
    STARTDATE: "2019-04-01",
    STARTTIME: "21:00:00",
    DURATION: "3",
    DURUNITS: "HOURS",
    PERIOD: "1",
    PERUNITS: "DAYS",
    DAYOFWEEK: "WEEKDAY",
    SCHED_STYLE: "Classic",
  };
  await fake.table(
    "CLIENT_SCHEDULES",
    rowsFor(adminQueries.schedules.columns, [
      { ...schedule, SCHEDULE_NAME: "WEEKDAILY_OUCS" },
      { ...schedule, SCHEDULE_NAME: "MONTHLY_FULL", ACTION: "SELECTIVE", PERUNITS: "MONTHS", DAYOFWEEK: "ANY" },
    ]),
  );
  await fake.table("ASSOCIATIONS", [
    ["STANDARD", "WEEKDAILY_OUCS", "ENG-PC031"],
    ["STANDARD", "WEEKDAILY_OUCS", "chem-srv001"],
    ["STANDARD", "MONTHLY_FULL", "CHEM-SRV001"],
  ]);
  if (opts.events) await fake.table("EVENTS", rowsFor(adminQueries.events.columns, opts.events));
}
