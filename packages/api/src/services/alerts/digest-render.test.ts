import { describe, expect, it } from "vitest";
import { type DigestInput, type DigestNight, renderDigest } from "./digest-render";

const manual = "Run a manual backup now (backup-archive client: Backup, or `dsmc incremental` as Administrator/root).";
const missed = (d: number): DigestNight => ({
  outcome: "missed",
  schedule: "WEEKDAILY_OUCS",
  localStart: `2026-03-0${d}T22:00:00`,
  cause: "machine-off",
  evidence: `No heartbeat from the agent between 21:50 and 23:10 on March ${d}.`,
  remedy: ["Leave the machine switched on overnight, or register for the Wake on LAN service.", manual],
});

const input: DigestInput = {
  date: "2026-03-09",
  checked: 36,
  since: "2026-03-08 07:00",
  nodes: [
    {
      name: "OUCS-PC5",
      server: "HFS1",
      contact: "J. Bloggs",
      nights: [
        {
          outcome: "severed",
          schedule: "WEEKDAILY_OUCS",
          localStart: "2026-03-05T22:00:00",
          cause: "communication-lost",
          evidence: "ANS1017E Session rejected: TCP/IP connection failure",
          remedy: ["Check the network connection and firewall.", manual],
        },
        missed(8),
        missed(6),
        missed(7),
      ],
      flags: [{ kind: "needs-manual-backup", since: "2026-03-05", detail: "unprotected for 4 days" }],
    },
    { name: "LAB<2>", server: "", contact: null, nights: [], flags: [{ kind: "stale", since: "2026-02-01", detail: null }] },
    { name: "QUIET", server: "", contact: null, nights: [], flags: [] },
  ],
};

describe("renderDigest", () => {
  const out = renderDigest(input);

  it("keeps the subject staff already filter on", () => {
    expect(out.subject).toBe("TSM Scheduled backup failure report");
    expect(out.text.split("\n")[0]).toBe("TSM Scheduled backup failure report, 2026-03-09");
    expect(out.allFine).toBe(false);
  });

  it("says how many nodes were checked and how many are fine", () => {
    expect(out.text.split("\n")[2]).toBe("36 nodes checked since 2026-03-08 07:00: 34 are fine, 2 need attention.");
    expect(renderDigest({ ...input, omittedNodes: 3 }).text).toContain("31 are fine, 5 need attention.");
  });

  it("lists each node with its status in capitals, the cause, the evidence and numbered steps", () => {
    expect(out.text).toContain("== Node OUCS-PC5 on HFS1 (contact: J. Bloggs) ==");
    expect(out.text).toContain(
      [
        "SEVERED: WEEKDAILY_OUCS 2026-03-05 22:00",
        "  Cause: Connection to the server was lost",
        "  Evidence: ANS1017E Session rejected: TCP/IP connection failure",
        "  What to do:",
        "    1. Check the network connection and firewall.",
        `    2. ${manual}`,
      ].join("\n"),
    );
  });

  it("says nights with the same status and cause once, in date order, with the latest evidence", () => {
    expect(out.text).toContain(
      "MISSED: WEEKDAILY_OUCS 2026-03-06 22:00, 2026-03-07 22:00, 2026-03-08 22:00\n  Cause: Machine was switched off\n",
    );
    expect(out.text).toContain("Evidence: No heartbeat from the agent between 21:50 and 23:10 on March 8.");
    expect(out.text.match(/Run a manual backup/g)).toHaveLength(2);
    expect(out.text.indexOf("SEVERED")).toBeLessThan(out.text.indexOf("MISSED"));
  });

  it("shows open flags under their node, and leaves out nodes with nothing to say", () => {
    expect(out.text).toContain("Open flags:\n  - Needs a manual backup since 2026-03-05: unprotected for 4 days");
    expect(out.text).toContain("== Node LAB<2> ==\n\nOpen flags:\n  - No contact for weeks since 2026-02-01");
    expect(out.text).not.toContain("QUIET");
    expect(out.text).toContain("2 nodes below");
  });

  it("escapes names in the HTML and shows quoted commands as code", () => {
    expect(out.html).toContain("<h2>Node LAB&#60;2&#62;</h2>");
    expect(out.html).not.toContain("LAB<2>");
    expect(out.html).toContain("<code>dsmc incremental</code>");
    expect(out.html).toContain("<strong>MISSED</strong>");
  });

  it("counts the nodes it had no room for", () => {
    expect(renderDigest({ ...input, omittedNodes: 3 }).text).toContain("...and 3 more nodes: see the Fleetwatch dashboard.");
  });

  it("says all of them are fine when nothing failed and nothing needs action, and the subject says so too", () => {
    const quiet = renderDigest({ date: "2026-03-09", checked: 36, since: "2026-03-08 07:00", nodes: [input.nodes[2]!] });
    expect(quiet.allFine).toBe(true);
    expect(quiet.subject).toBe("TSM Scheduled backup report: all 36 nodes fine");
    expect(quiet.text).toContain(
      "36 nodes checked since 2026-03-08 07:00: all 36 are fine. Every scheduled backup completed and no node needs action.",
    );
    expect(quiet.html).toContain("all 36 are fine");
    const none = renderDigest({ date: "2026-03-09", checked: 0, since: "2026-03-08 07:00", nodes: [] });
    expect(none.text).toContain("No node was checked since 2026-03-08 07:00");
    expect(none.subject).toBe("TSM Scheduled backup report: no node checked");
  });
});
