import { describe, expect, it } from "vitest";
import { marchAt as at, callerFor, enrolledAgent, nightOn as night, serverNodeRecord, severedOn, shipNights, userCaller } from "../testing";
import { deliveryTestBed } from "../testing-delivery";
import { type Mail, readable } from "../testing-smtp";
import { runDeliveries } from "./deliver";
import { runJudge } from "./judge";

const bed = deliveryTestBed();
const { smtpSink, emailTo } = bed;

/**
 * PC5 severed on the 5th, its owner from the TSM server's record; PC1 missed the 4th and 5th and
 * the server names nobody, so staff set its owner; GOOD completed every night (its owner is known
 * and hears nothing); LOST missed and has no owner anywhere.
 */
async function fleet() {
  await shipNights(bed.db, {
    PC5: [night(1), night(2), night(3), night(4), severedOn(5)],
    PC1: [night(1), night(2), night(3)],
    GOOD: [night(1), night(2), night(3), night(4), night(5)],
    LOST: [night(1), night(2), night(3)],
  });
  const { caller: collector } = await enrolledAgent(bed.db, "collector", { collector: true });
  await collector.ingest.serverRecords({
    server: "",
    serverName: "HFS1",
    passwordExpiryDays: null,
    utcOffsetMinutes: 0,
    collectedAt: at(5, 23).toISOString(),
    nodes: [
      serverNodeRecord("PC5", { contact: "J. Bloggs", email: "JB@uni.test" }),
      serverNodeRecord("PC1", { contact: "Room 101" }),
      serverNodeRecord("GOOD", { contact: "Good Owner <good@uni.test>" }),
      serverNodeRecord("LOST"),
    ],
    schedules: [],
    associations: [],
  });
  await runJudge(bed.db, at(6, 6));
  const operator = await userCaller(bed.db, "operator");
  const pc1 = await bed.db.node.findFirstOrThrow({ where: { name: "PC1" }, select: { id: true } });
  await operator.caller.nodes.setOwner({
    nodeId: pc1.id,
    contact: "Lab manager",
    email: "Lab@uni.test",
    reason: "the server has no address",
  });
  return { operator, pc1 };
}

const mailTo = (mails: Mail[], address: string) => mails.filter((m) => m.to.includes(address)).map((m) => readable(m.data));

describe("the owners' morning reports", () => {
  it("go once, with the digest, to each owner with a bad night, about only their nodes, however many replicas run the job", async () => {
    const sink = await smtpSink();
    await emailTo(["hfs@uni.test"], sink.url);
    await fleet();

    // Two replicas' delivery jobs in the same minute, and again later the same day.
    const runs = await Promise.all([
      runDeliveries(bed.db, at(6, 7, 1), { timeZone: "UTC" }),
      runDeliveries(bed.db, at(6, 7, 1), { timeZone: "UTC" }),
    ]);
    expect(runs.flatMap((r) => r.errors)).toEqual([]);
    expect(runs.map((r) => r.digest).filter(Boolean)).toEqual([
      { date: "2026-03-06", recipients: 1, allFine: false, checked: 4, ownerReports: 2 },
    ]);
    await runDeliveries(bed.db, at(6, 7, 2), { timeZone: "UTC" });
    await runDeliveries(bed.db, at(6, 18), { timeZone: "UTC" });

    expect(sink.mails.map((m) => m.to[0]).sort()).toEqual(["hfs@uni.test", "jb@uni.test", "lab@uni.test"]);
    const [jb] = mailTo(sink.mails, "jb@uni.test");
    expect(jb).toMatch(/^Subject: TSM Scheduled backup failure report$/m);
    expect(jb).toMatch(/^Reply-To: hfs@uni\.test$/m);
    expect(jb).toContain("Hello J. Bloggs,");
    expect(jb).toContain("== Node PC5 ==");
    expect(jb).toContain("SEVERED: scheduled backup NIGHTLY, due 2026-03-05 22:00");
    expect(jb).toContain("What happened: The connection between the computer and the backup server was lost");
    expect(jb).toContain("Why: Connection to the server was lost");
    expect(jb).toContain("A manual backup is advised");
    expect(jb).not.toContain("PC1");

    const [lab] = mailTo(sink.mails, "lab@uni.test");
    expect(lab).toContain("Hello Lab manager,");
    expect(lab).toContain("MISSED: scheduled backup NIGHTLY, due on 2026-03-04 22:00, 2026-03-05 22:00");
    expect(lab).not.toContain("PC5");

    // The backup team's digest names the owner each node's report went to, and LOST, which has none.
    const [digest] = mailTo(sink.mails, "hfs@uni.test");
    expect(digest).toContain("4 nodes checked since 2026-03-05 07:01: 1 is fine, 3 need attention.");
    expect(digest).toContain("== Node PC5 (contact: jb@uni.test) ==");
    expect(digest).toContain("== Node LOST ==");

    const deliveries = await bed.db.alertDelivery.findMany({
      where: { channel: "email" },
      select: { target: true, status: true, attempts: true, alert: { select: { kind: true } } },
      orderBy: { target: "asc" },
    });
    expect(deliveries).toEqual([
      { target: "hfs@uni.test", status: "delivered", attempts: 1, alert: { kind: "digest" } },
      { target: "jb@uni.test", status: "delivered", attempts: 1, alert: { kind: "owner-report" } },
      { target: "lab@uni.test", status: "delivered", attempts: 1, alert: { kind: "owner-report" } },
    ]);
  });

  it("stay unsent when the setting turns them off; the digest still goes", async () => {
    const sink = await smtpSink();
    await emailTo(["hfs@uni.test"], sink.url, { ownerReports: false });
    await fleet();
    const run = await runDeliveries(bed.db, at(6, 8), { timeZone: "UTC" });
    expect(run.digest).toMatchObject({ recipients: 1, ownerReports: 0 });
    expect(sink.mails.map((m) => m.to)).toEqual([["hfs@uni.test"]]);
  });
});

describe("the report page's data", () => {
  it("shows today's mails as they will go, then as they went, with each delivery", async () => {
    const sink = await smtpSink();
    await emailTo(["hfs@uni.test"], sink.url);
    const { operator } = await fleet();
    const page = callerFor(bed.db, { kind: "user", userId: operator.user.id, email: operator.user.email, role: "operator" }, () =>
      at(6, 7),
    );

    const before = await page.report.today();
    expect(before).toMatchObject({ state: "due", hour: 7, team: ["hfs@uni.test"], sentAt: null });
    expect(before.owners.map((o) => [o.address, o.nodes.map((n) => n.name), o.nights])).toEqual([
      ["jb@uni.test", ["PC5"], 1],
      ["lab@uni.test", ["PC1"], 2],
    ]);
    expect(before.unaddressed.map((u) => u.name)).toEqual(["LOST"]);

    await runDeliveries(bed.db, at(6, 7), { timeZone: "UTC" });
    // What the page showed is what was sent: the digest's and each owner's text, word for word.
    const jbMail = mailTo(sink.mails, "jb@uni.test")[0] ?? "";
    expect(jbMail.replace(/\r\n/g, "\n")).toContain(before.owners[0]?.text.trim());

    const after = await callerFor(bed.db, { kind: "user", userId: operator.user.id, email: operator.user.email, role: "operator" }, () =>
      at(6, 9),
    ).report.today();
    expect(after.state).toBe("sent");
    expect(after.deliveries).toMatchObject([{ target: "hfs@uni.test", status: "delivered" }]);
    expect(after.owners.map((o) => [o.address, o.nodes.map((n) => n.name), o.delivery?.status])).toEqual([
      ["jb@uni.test", ["PC5"], "delivered"],
      ["lab@uni.test", ["PC1"], "delivered"],
    ]);
    expect(after.unaddressed.map((u) => u.name)).toEqual(["LOST"]);
  });
});

describe("send me a test", () => {
  it("says in one line why nothing was sent when no mail server is configured", async () => {
    await emailTo(["hfs@uni.test"], null);
    const { caller, user } = await userCaller(bed.db, "operator");
    expect(await caller.report.sendTest()).toEqual({
      sent: false,
      to: user.email.toLowerCase(),
      message: "Not sent: no mail server is configured (Settings > Alert channels > SMTP server).",
    });
  });

  it("sends today's digest, as the page shows it, to the signed-in user by the real mail path", async () => {
    const sink = await smtpSink();
    await emailTo(["hfs@uni.test"], sink.url);
    await fleet();
    const { caller, user } = await userCaller(bed.db, "operator");
    const result = await caller.report.sendTest();
    expect(result).toEqual({
      sent: true,
      to: user.email.toLowerCase(),
      message: `Sent to ${user.email.toLowerCase()}: the mail server accepted it.`,
    });
    expect(sink.mails.map((m) => m.to)).toEqual([[user.email.toLowerCase()]]);
    const mail = readable(sink.mails[0]?.data ?? "").replace(/\r\n/g, "\n");
    expect(mail).toMatch(/^Subject: \[Test\] TSM Scheduled backup failure report$/m);
    const shown = await caller.report.today();
    expect(mail).toContain(shown.digest.text.split("\n").slice(0, 4).join("\n"));
    // A recorded delivery like any other, never among the alerts staff work through.
    expect(await bed.db.alertDelivery.findMany({ select: { target: true, status: true } })).toEqual([
      { target: user.email.toLowerCase(), status: "delivered" },
    ]);
    expect((await caller.alerts.list({ state: "all" })).rows.map((a) => a.kind)).not.toContain("digest-test");
    // The test is no digest: the day's real one still goes at its hour.
    expect(await bed.db.alert.count({ where: { kind: "digest" } })).toBe(0);
  });

  it("says what the mail server answered when it refuses, and never retries a test", async () => {
    const sink = await smtpSink(() => "550 5.7.1 relaying denied");
    await emailTo([], sink.url);
    const { caller } = await userCaller(bed.db, "operator");
    const result = await caller.report.sendTest();
    expect(result.sent).toBe(false);
    expect(result.message).toMatch(/^Not sent: .*550 5\.7\.1 relaying denied/);
    expect(await bed.db.alertDelivery.findMany({ select: { status: true } })).toEqual([{ status: "failed" }]);
  });

  it("is for operators", async () => {
    const { caller } = await userCaller(bed.db, "viewer");
    await expect(caller.report.sendTest()).rejects.toThrow("needs the operator role");
  });
});

describe("a node's owner set by staff", () => {
  it("wins over the server's, is audited, shows its source, and clears back to the server's", async () => {
    const { operator, pc1 } = await fleet();
    const node = await operator.caller.nodes.byId({ nodeId: pc1.id });
    expect(node.owner).toEqual({ name: "Lab manager", address: "lab@uni.test", addressSource: "staff" });
    expect(node).toMatchObject({
      contact: "Room 101",
      staffContact: "Lab manager",
      staffEmail: "lab@uni.test",
      ownerSetBy: operator.user.email,
    });
    const audit = await bed.db.auditLog.findFirstOrThrow({
      where: { action: "node.owner" },
      select: { targetId: true, reason: true, detail: true },
    });
    expect(audit).toMatchObject({
      targetId: pc1.id,
      reason: "the server has no address",
      detail: { name: "PC1", before: { contact: null, email: null }, after: { contact: "Lab manager", email: "lab@uni.test" } },
    });

    await operator.caller.nodes.setOwner({ nodeId: pc1.id, contact: "", email: "" });
    expect((await operator.caller.nodes.byId({ nodeId: pc1.id })).owner).toEqual({ name: "Room 101", address: null, addressSource: null });
  });

  it("refuses an address that is none, in one line, and viewers", async () => {
    const { operator, pc1 } = await fleet();
    await expect(operator.caller.nodes.setOwner({ nodeId: pc1.id, email: "not an address" })).rejects.toThrow(
      /^email: the e-mail address does not look like one \(name@example\.org\)$/,
    );
    const viewer = await userCaller(bed.db, "viewer");
    await expect(viewer.caller.nodes.setOwner({ nodeId: pc1.id, email: "a@b.org" })).rejects.toThrow("needs the operator role");
  });
});
