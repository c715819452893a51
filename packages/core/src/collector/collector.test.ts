import { describe, expect, it } from "vitest";
import { storableSchedule } from "../windows/stored";
import { parseAdminOutput } from "./output";
import { adminQueries, adminSql } from "./queries";
import { associationRecords, eventRecords, nodeRecords, scheduleRecords, serverStatus } from "./records";
import { outcomeOfServerStatus } from "./server-status";

describe("dsmadmc -dataonly=yes -commadelimited output", () => {
  it("reads one row per line and ignores the return-code lines", () => {
    const out = parseAdminOutput("FOO,2020-03-22 05:09:43.000000,2020-03-22 05:41:14.000000\nANS8001I Return code 0.\n", 3);
    expect(out).toEqual({ ok: true, rows: [["FOO", "2020-03-22 05:09:43.000000", "2020-03-22 05:41:14.000000"]] });
  });

  it("treats ANR2034E (no match, exit 11) as an empty result, not an error", () => {
    const out = parseAdminOutput("ANR2034E SELECT: No match found using this criteria.\nANS8001I Return code 11.\n", 3);
    expect(out).toEqual({ ok: true, rows: [] });
  });

  it("reports a session or SQL error as its one line", () => {
    const out = parseAdminOutput("ANS8023E Unable to establish session with server.\n\nANS8002I Highest return code was -50.\n", 3);
    expect(out).toEqual({ ok: false, error: "ANS8023E Unable to establish session with server." });
  });

  it("keeps a quoted field's commas and doubled quotes, and refuses a row of the wrong width", () => {
    expect(parseAdminOutput('A,"Smith, J. ""IT""",C\r\n', 3)).toEqual({ ok: true, rows: [["A", 'Smith, J. "IT"', "C"]] });
    expect(parseAdminOutput("A,B\n", 3)).toEqual({ ok: false, error: "line 1: expected 3 fields, found 2" });
  });

  it("asks for exactly the columns the mappers read", () => {
    expect(adminSql("associations")).toBe("select DOMAIN_NAME, SCHEDULE_NAME, NODE_NAME from ASSOCIATIONS");
    expect(adminSql("nodes")).toMatch(/^select NODE_NAME, LOCKED, PWSET_TIME, .* from NODES$/);
  });
});

const nodeRow = (overrides: Partial<Record<(typeof adminQueries.nodes.columns)[number], string>> = {}) => {
  const base: Record<string, string> = {
    NODE_NAME: "ENG-PC031",
    LOCKED: "NO",
    PWSET_TIME: "2025-11-02 09:15:00.000000",
    PASSEXP: "",
    LASTACC_TIME: "2026-11-20 22:04:11.000000",
    REG_TIME: "2019-04-01 10:00:00.000000",
    CONTACT: "J. Smith, Engineering",
    EMAIL_ADDRESS: "j.smith@example.edu",
    PLATFORM_NAME: "WinNT",
    CLIENT_OS_LEVEL: "10.00",
    CLIENT_VERSION: "8",
    CLIENT_RELEASE: "1",
    CLIENT_LEVEL: "13",
    CLIENT_SUBLEVEL: "0",
    TCP_NAME: "eng-pc031",
    TCP_ADDRESS: "10.1.2.31",
    GUID: "7f.3a.11.e9.00.00.00.00.00.00.00.00.00.00.00.01",
    DOMAIN_NAME: "STANDARD",
    ...overrides,
  };
  return adminQueries.nodes.columns.map((c) => base[c] as string);
};

describe("NODES rows", () => {
  it("become node records in server-local time", () => {
    const { records, rejected } = nodeRecords([nodeRow()]);
    expect(rejected).toEqual([]);
    expect(records[0]).toEqual({
      name: "ENG-PC031",
      locked: false,
      passwordSetAt: "2025-11-02T09:15:00",
      passwordExpiryDays: null,
      lastAccessAt: "2026-11-20T22:04:11",
      registeredAt: "2019-04-01T10:00:00",
      contact: "J. Smith, Engineering",
      email: "j.smith@example.edu",
      platform: "WinNT",
      osLevel: "10.00",
      clientVersion: "8.1.13.0",
      tcpName: "eng-pc031",
      tcpAddress: "10.1.2.31",
      guid: "7f.3a.11.e9.00.00.00.00.00.00.00.00.00.00.00.01",
      domain: "STANDARD",
    });
  });

  it("read LOCKED=YES, a per-node PASSEXP, and never-used nodes with empty times", () => {
    const { records } = nodeRecords([nodeRow({ LOCKED: "YES", PASSEXP: "0", LASTACC_TIME: "", PWSET_TIME: "" })]);
    expect(records[0]).toMatchObject({ locked: true, passwordExpiryDays: 0, lastAccessAt: null, passwordSetAt: null });
  });

  it("reject a bad row with the row number and why, and keep the others", () => {
    const { records, rejected } = nodeRecords([nodeRow({ PWSET_TIME: "yesterday" }), nodeRow({ NODE_NAME: "OK-PC" })]);
    expect(records.map((r) => r.name)).toEqual(["OK-PC"]);
    expect(rejected).toEqual([{ table: "NODES", row: 1, reason: "not a timestamp: yesterday" }]);
  });
});

const scheduleRow = (values: Partial<Record<(typeof adminQueries.schedules.columns)[number], string>>) => {
  const base: Record<string, string> = {
    DOMAIN_NAME: "STANDARD",
    SCHEDULE_NAME: "WEEKDAILY_OUCS",
    ACTION: "INCREMENTAL",
    STARTDATE: "2019-04-01",
    STARTTIME: "21:00:00",
    DURATION: "3",
    DURUNITS: "HOURS",
    PERIOD: "1",
    PERUNITS: "DAYS",
    DAYOFWEEK: "WEEKDAY",
    SCHED_STYLE: "Classic",
    ENH_MONTH: "",
    DAYOFMONTH: "",
    WEEKOFMONTH: "",
    EXPIRATION: "",
    ...values,
  };
  return adminQueries.schedules.columns.map((c) => base[c] as string);
};

describe("CLIENT_SCHEDULES rows", () => {
  it("become definitions the judge can expand, in minutes", () => {
    const { records, rejected } = scheduleRecords([scheduleRow({})]);
    expect(rejected).toEqual([]);
    const def = records[0]!.definition;
    expect(def).toMatchObject({ name: "WEEKDAILY_OUCS", startTime: "21:00:00", duration: 3, durationUnits: "hours", dayOfWeek: "WEEKDAY" });
    expect(storableSchedule(def)).toEqual({
      ok: true,
      facts: { startTime: "21:00:00", durationMinutes: 180, periodMinutes: 1440, dayOfWeek: "WEEKDAY" },
    });
  });

  it("say why a schedule cannot be expanded: monthly, indefinite, enhanced by month", () => {
    const { records } = scheduleRecords([
      scheduleRow({ SCHEDULE_NAME: "MONTHLY", PERUNITS: "MONTHS" }),
      scheduleRow({ SCHEDULE_NAME: "FOREVER", DURUNITS: "INDEFINITE" }),
      scheduleRow({
        SCHEDULE_NAME: "QUARTER",
        SCHED_STYLE: "Enhanced",
        ENH_MONTH: "JAN,APR,JUL,OCT",
        DAYOFMONTH: "ANY",
        WEEKOFMONTH: "ANY",
      }),
      scheduleRow({
        SCHEDULE_NAME: "ENH_DAILY",
        SCHED_STYLE: "Enhanced",
        ENH_MONTH: "ANY",
        DAYOFMONTH: "ANY",
        WEEKOFMONTH: "ANY",
        PERUNITS: "ONETIME",
      }),
    ]);
    expect(records.map((r) => storableSchedule(r.definition))).toEqual([
      { ok: false, reason: "a period in months" },
      { ok: false, reason: "an indefinite window (it never closes)" },
      { ok: false, reason: "enhanced schedule limited to some months, days of the month or weeks" },
      { ok: true, facts: { startTime: "21:00:00", durationMinutes: 180, periodMinutes: 1440, dayOfWeek: "WEEKDAY" } },
    ]);
  });

  it("rejects a row whose day of the week is not a word TSM knows", () => {
    const { rejected } = scheduleRecords([scheduleRow({ DAYOFWEEK: "FUNDAY" })]);
    expect(rejected).toEqual([{ table: "CLIENT_SCHEDULES", row: 1, reason: "definition.dayOfWeek: not a day of the week: FUNDAY" }]);
  });
});

describe("ASSOCIATIONS and STATUS rows", () => {
  it("name which node follows which schedule, node names upper-cased as the server folds them", () => {
    expect(associationRecords([["STANDARD", "WEEKDAILY_OUCS", "eng-pc031"]]).records).toEqual([
      { domain: "STANDARD", schedule: "WEEKDAILY_OUCS", node: "ENG-PC031" },
    ]);
  });

  it("give the server's name and common password expiry", () => {
    expect(serverStatus([["TSM1", "365"]]).records[0]).toEqual({ serverName: "TSM1", passwordExpiryDays: 365 });
    expect(serverStatus([]).records[0]).toEqual({ serverName: null, passwordExpiryDays: null });
  });
});

describe("EVENTS rows", () => {
  it("are read for the last two days only: without a date the table shows today alone", () => {
    expect(adminSql("events")).toMatch(/ from EVENTS where SCHEDULED_START>=current_timestamp-48 hours$/);
  });

  it("become the server's verdict per window, in server-local time", () => {
    const { records, rejected } = eventRecords([
      ["2026-11-20 21:00:00.000000", "", "", "STANDARD", "WEEKDAILY_OUCS", "ENG-PC031-OLD", "Missed", "", ""],
      [
        "2026-11-20 21:00:00.000000",
        "2026-11-20 21:13:04.000000",
        "2026-11-20 21:40:00.000000",
        "STANDARD",
        "WEEKDAILY_OUCS",
        "ENG-PC031",
        "Completed",
        "0",
        "",
      ],
    ]);
    expect(rejected).toEqual([]);
    expect(records).toEqual([
      {
        node: "ENG-PC031-OLD",
        schedule: "WEEKDAILY_OUCS",
        scheduledStart: "2026-11-20T21:00:00",
        actualStart: null,
        completed: null,
        status: "Missed",
        result: null,
        reason: null,
      },
      {
        node: "ENG-PC031",
        schedule: "WEEKDAILY_OUCS",
        scheduledStart: "2026-11-20T21:00:00",
        actualStart: "2026-11-20T21:13:04",
        completed: "2026-11-20T21:40:00",
        status: "Completed",
        result: 0,
        reason: null,
      },
    ]);
  });

  it("map the server's statuses to outcomes, and leave Future, Pending and Uncertain without one", () => {
    const statuses = [
      "Completed",
      "Missed",
      "Failed",
      "Failed - no restart",
      "Severed",
      "Started",
      "In Progress",
      "Restarted",
      "Future",
      "Pending",
      "Uncertain",
    ];
    expect(statuses.map(outcomeOfServerStatus)).toEqual([
      "completed",
      "missed",
      "failed",
      "failed",
      "severed",
      "in-progress",
      "in-progress",
      "in-progress",
      null,
      null,
      null,
    ]);
  });
});
