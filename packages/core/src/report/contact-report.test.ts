import { describe, expect, it } from "vitest";
import { remedyFor } from "../diagnosis/remedy";
import { type ContactReport, contactReports, type ReportNight, type ReportNode, renderContactReport } from "./contact-report";
import { addressIn, nodeOwner } from "./owner";

const noOwner = { contact: null, email: null, staffContact: null, staffEmail: null };
const missed = (d: number): ReportNight => ({
  outcome: "missed",
  schedule: "WEEKDAILY_OUCS",
  localStart: `2026-03-0${d}T22:00:00`,
  cause: "machine-off",
  evidence: `No heartbeat from the agent between 21:50 and 23:10 on March ${d}`,
  remedy: remedyFor("machine-off", "win32"),
});
const node = (name: string, owner: Partial<ReportNode["owner"]>, nights: ReportNight[]): ReportNode => ({
  name,
  server: "HFS1",
  os: "win32",
  owner: { ...noOwner, ...owner },
  nights,
});

describe("nodeOwner", () => {
  it("takes staff's address over the server's, and says which it is", () => {
    expect(nodeOwner({ ...noOwner, email: "a@uni.ac.uk", staffEmail: "b@uni.ac.uk" })).toEqual({
      name: null,
      address: "b@uni.ac.uk",
      addressSource: "staff",
    });
    expect(nodeOwner({ ...noOwner, contact: "J. Bloggs", email: "JB@Uni.ac.uk" })).toEqual({
      name: "J. Bloggs",
      address: "jb@uni.ac.uk",
      addressSource: "server-email",
    });
  });

  it("finds an address in the server's CONTACT when it has no e-mail address", () => {
    expect(nodeOwner({ ...noOwner, contact: "J. Smith <js@chem.ox.ac.uk>, x1234" })).toMatchObject({
      address: "js@chem.ox.ac.uk",
      addressSource: "server-contact",
    });
    expect(nodeOwner({ ...noOwner, contact: "Room 3, ext 1234" })).toEqual({
      name: "Room 3, ext 1234",
      address: null,
      addressSource: null,
    });
    expect(addressIn("not an address @ all")).toBeNull();
  });

  it("lets staff name the owner over the server's CONTACT, keeping the server's address", () => {
    expect(nodeOwner({ ...noOwner, contact: "old owner", email: "x@uni.ac.uk", staffContact: "New Owner" })).toEqual({
      name: "New Owner",
      address: "x@uni.ac.uk",
      addressSource: "server-email",
    });
  });
});

describe("contactReports", () => {
  const fleet = [
    node("CHEM-PC2", { email: "chem-it@uni.ac.uk", contact: "Chemistry IT" }, [missed(6)]),
    node("CHEM-PC1", { email: "CHEM-IT@uni.ac.uk" }, [missed(7)]),
    node("CHEM-PC3", { email: "chem-it@uni.ac.uk" }, []),
    node("LAW-PC1", { staffEmail: "law@uni.ac.uk" }, [missed(7)]),
    node("ORPHAN", { contact: "somebody" }, [missed(7)]),
  ];
  const { reports, unaddressed } = contactReports(fleet);

  it("sends each address one report of only its nodes with a bad night", () => {
    expect(reports.map((r) => [r.address, r.nodes.map((n) => n.name)])).toEqual([
      ["chem-it@uni.ac.uk", ["CHEM-PC1", "CHEM-PC2"]],
      ["law@uni.ac.uk", ["LAW-PC1"]],
    ]);
  });

  it("names the nodes nobody can be told of", () => {
    expect(unaddressed.map((u) => u.name)).toEqual(["ORPHAN"]);
  });
});

describe("renderContactReport", () => {
  const report: ContactReport = {
    address: "jb@uni.ac.uk",
    name: "J. Bloggs",
    nodes: [
      {
        name: "OUCS-PC5",
        server: "HFS1",
        os: "win32",
        nights: [
          missed(7),
          {
            outcome: "severed",
            schedule: "WEEKDAILY_OUCS",
            localStart: "2026-03-05T22:00:00",
            cause: "communication-lost",
            evidence: "ANS1017E Session rejected: TCP/IP connection failure",
            remedy: [],
          },
          missed(6),
        ],
      },
      {
        name: "OUCS-MAC1",
        server: "",
        os: "darwin",
        nights: [{ outcome: "aborted", schedule: "NIGHTLY", localStart: "2026-03-07T20:00:00", cause: null, evidence: null, remedy: [] }],
      },
    ],
  };
  const out = renderContactReport(report, { date: "2026-03-08", since: "2026-03-07 07:00" });

  it("keeps the subject the user's guide tells them to look for, and greets the owner", () => {
    expect(out.subject).toBe("TSM Scheduled backup failure report");
    expect(out.text.split("\n").slice(0, 3)).toEqual(["TSM Scheduled backup failure report, 2026-03-08", "", "Hello J. Bloggs,"]);
    expect(out.text).toContain("backups of your 2 TSM nodes below were MISSED, FAILED or SEVERED since 2026-03-07 07:00");
    expect(out.text).toContain("has NOT been backed up");
    expect(out.text).toContain("Each node has its own name, password and installation of TSM");
  });

  it("says for each night what happened, why and what to do, nights alike said once", () => {
    expect(out.text).toContain(
      [
        "MISSED: scheduled backup WEEKDAILY_OUCS, due on 2026-03-06 22:00, 2026-03-07 22:00",
        "  What happened: The scheduled backup did not start: nothing was backed up.",
        "  Why: Machine was switched off. No heartbeat from the agent between 21:50 and 23:10 on March 7",
        "  What to do:",
        "    1. The machine was switched off during the backup window: it must be on for a scheduled backup to run.",
      ].join("\n"),
    );
    expect(out.text.indexOf("SEVERED")).toBeLessThan(out.text.indexOf("MISSED: scheduled"));
    expect(out.text).toContain("  What happened: The connection between the computer and the backup server was lost");
  });

  it("takes the steps for the cause when the night has none, and unknown causes get the logs to send", () => {
    const severed = out.text.slice(out.text.indexOf("SEVERED"), out.text.indexOf("MISSED: scheduled"));
    expect(severed).toContain("1. The session to the TSM server was lost during the backup.");
    const mac = out.text.slice(out.text.indexOf("== Node OUCS-MAC1"));
    expect(mac).toContain("FAILED: scheduled backup NIGHTLY, due 2026-03-07 20:00");
    expect(mac).toContain("Why: Not yet known");
    expect(mac).toContain("/Library/Logs/tivoli/tsm");
  });

  it("advises a manual backup for every night and at the end", () => {
    const groups = out.text.split(/\n(?=MISSED|FAILED|SEVERED)/).slice(1);
    expect(groups).toHaveLength(3);
    for (const g of groups) expect(g).toMatch(/\d\. Run a manual backup now/);
    expect(out.text).toContain("A manual backup is advised");
  });

  it("escapes names in the HTML and shows quoted commands as code", () => {
    const html = renderContactReport(
      { ...report, name: "<script>", nodes: [{ ...report.nodes[0]!, name: "PC<1>" }] },
      { date: "2026-03-08", since: "x" },
    ).html;
    expect(html).toContain("Node PC&#60;1&#62;");
    expect(html).not.toContain("<script>");
    expect(html).toContain("<code>dsmc incremental</code>");
  });

  it("greets a report with no name, or with an address for a name, plainly", () => {
    const plain = renderContactReport({ ...report, name: "jb@uni.ac.uk", nodes: [report.nodes[1]!] }, { date: "d", since: "s" });
    expect(plain.text).toContain("\nHello,\n");
    expect(plain.text).toContain("your TSM node below was MISSED");
    expect(plain.text).not.toContain("Each node has its own");
  });
});
