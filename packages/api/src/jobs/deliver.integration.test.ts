import { describe, expect, it } from "vitest";
import { marchAt as at, batchOf, enrolledAgent, nightOn as night, severedOn, shipNights } from "../testing";
import { deliveryTestBed } from "../testing-delivery";
import { readable } from "../testing-smtp";
import { runDeliveries } from "./deliver";
import { runJudge } from "./judge";

const bed = deliveryTestBed();
const { smtpSink, emailTo } = bed;

/** PC5: four good nights, then severed (a lost connection); PC1: three good nights, then nothing. */
async function history() {
  await shipNights(bed.db, { PC5: [night(1), night(2), night(3), night(4), severedOn(5)], PC1: [night(1), night(2), night(3)] });
  await runJudge(bed.db, at(6, 6));
}

describe("the daily digest", () => {
  it("mails one report per recipient at the digest hour, grouped by node, with cause and steps", async () => {
    const sink = await smtpSink();
    await emailTo(["hfs@uni.test", "it-support@uni.test"], sink.url);
    await history();

    const early = await runDeliveries(bed.db, at(6, 6, 59), { timeZone: "UTC" });
    expect(early.digest).toBeNull();
    expect(sink.mails).toHaveLength(0);

    const due = await runDeliveries(bed.db, at(6, 7, 1), { timeZone: "UTC" });
    expect(due.errors).toEqual([]);
    expect(due.digest).toEqual({ date: "2026-03-06", recipients: 2, allFine: false, checked: 2, ownerReports: 0 });
    expect(due.email).toMatchObject({ attempted: 2, delivered: 2 });
    expect(sink.mails.map((m) => m.to)).toEqual(expect.arrayContaining([["hfs@uni.test"], ["it-support@uni.test"]]));

    const mail = readable(sink.mails[0]?.data ?? "");
    expect(mail).toMatch(/^Subject: TSM Scheduled backup failure report$/m);
    expect(mail).toMatch(/^From: fleetwatch@uni\.test$/m);
    expect(mail).toContain("Content-Type: text/html");
    expect(mail).toContain("2 nodes checked since 2026-03-05 07:01: 0 are fine, 2 need attention.");
    expect(mail).toContain("== Node PC5 ==");
    expect(mail).toContain("SEVERED: NIGHTLY 2026-03-05 22:00");
    expect(mail).toContain("Cause: Connection to the server was lost");
    expect(mail).toContain("== Node PC1 ==");
    expect(mail).toContain("MISSED: NIGHTLY 2026-03-04 22:00, 2026-03-05 22:00");
    expect(mail).toContain("Run a manual backup");
    expect(mail).toContain("Needs a manual backup since 2026-03-05");

    const deliveries = await bed.db.alertDelivery.findMany({ where: { channel: "email" }, select: { status: true, attempts: true } });
    expect(deliveries).toEqual([
      { status: "delivered", attempts: 1 },
      { status: "delivered", attempts: 1 },
    ]);
  });

  it("sends nothing more the same day, however often it runs", async () => {
    const sink = await smtpSink();
    await emailTo(["hfs@uni.test"], sink.url);
    await history();
    await runDeliveries(bed.db, at(6, 7), { timeZone: "UTC" });
    for (const hh of [7, 12, 23]) {
      const again = await runDeliveries(bed.db, at(6, hh, 30), { timeZone: "UTC" });
      expect(again.digest).toBeNull();
      expect(again.email.attempted).toBe(0);
    }
    expect(sink.mails).toHaveLength(1);
    expect(await bed.db.alert.count({ where: { kind: "digest" } })).toBe(1);
  });

  it("reports a night once: the next day's digest has only what is new, and the flags still open", async () => {
    const sink = await smtpSink();
    await emailTo(["hfs@uni.test"], sink.url, { dailyDigestHour: 0 });
    await history();
    // Windows carry the database's clock, so this test runs on the real one.
    const today = new Date();
    await runDeliveries(bed.db, today, { timeZone: "UTC" });
    await runDeliveries(bed.db, new Date(today.getTime() + 86_400_000), { timeZone: "UTC" });
    expect(sink.mails).toHaveLength(2);
    const second = readable(sink.mails[1]?.data ?? "");
    expect(second).not.toContain("SEVERED");
    expect(second).toContain("== Node PC5 ==");
    expect(second).toContain("Needs a manual backup since");
  });

  it("retries a recipient the server defers, fails one it refuses, and shows why", async () => {
    const sink = await smtpSink((address) =>
      address.startsWith("gone@")
        ? "550 5.1.1 <gone@uni.test>: no such user"
        : address.startsWith("busy@")
          ? "451 4.3.0 try again later"
          : null,
    );
    await emailTo(["hfs@uni.test", "gone@uni.test", "busy@uni.test"], sink.url);
    await history();
    const run = await runDeliveries(bed.db, at(6, 7), { timeZone: "UTC" });
    expect(run.email).toMatchObject({ attempted: 3, delivered: 1, failed: 1, retrying: 1 });
    const rows = await bed.db.alertDelivery.findMany({
      where: { channel: "email" },
      select: { target: true, status: true, lastError: true, nextAttemptAt: true },
    });
    const by = Object.fromEntries(rows.map((r) => [r.target, r]));
    expect(by["hfs@uni.test"]?.status).toBe("delivered");
    expect(by["gone@uni.test"]).toMatchObject({ status: "failed", lastError: expect.stringContaining("550 5.1.1") });
    expect(by["busy@uni.test"]).toMatchObject({
      status: "pending",
      lastError: expect.stringContaining("451 4.3.0"),
      nextAttemptAt: new Date(at(6, 7).getTime() + 30_000),
    });
    expect(sink.mails).toHaveLength(1);
  });

  it("is sent on a quiet day too, saying how many nodes were checked and that all of them are fine", async () => {
    const sink = await smtpSink();
    await emailTo(["hfs@uni.test"], sink.url);
    const { caller } = await enrolledAgent(bed.db, "m-GOOD");
    await caller.ingest.batch(batchOf("m-GOOD", "GOOD", [night(3), night(4), night(5)]));
    await runJudge(bed.db, at(6, 6));
    const run = await runDeliveries(bed.db, at(6, 8), { timeZone: "UTC" });
    expect(run.digest).toEqual({ date: "2026-03-06", recipients: 1, allFine: true, checked: 1, ownerReports: 0 });
    expect(sink.mails).toHaveLength(1);
    const mail = readable(sink.mails[0]?.data ?? "");
    expect(mail).toMatch(/^Subject: TSM Scheduled backup report: all 1 node fine$/m);
    expect(mail).toContain("1 node checked since 2026-03-05 08:00: all 1 are fine.");
  });
});
