import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runJudge } from "../../jobs/judge";
import { marchAt as at, batchOf, callerFor, enrolledAgent, nightOn as night, userCaller } from "../../testing";

let t: TestDatabase;
beforeEach(async () => {
  t = await createTestDatabase();
});
afterEach(async () => t?.drop());

/** A node whose last nights are missed from `firstMissed` on, judged at `judgeAt`. */
async function missingNode(name: string, judgeDay: number) {
  const { caller } = await enrolledAgent(t.db, `m-${name}`);
  await caller.ingest.batch(
    batchOf(
      `m-${name}`,
      name,
      [1, 2, 3, 4].map((d) => night(d)),
    ),
  );
  await runJudge(t.db, at(judgeDay, 9));
  return caller;
}

describe("the alert lifecycle", () => {
  it("one alert per problem grows night by night, resolves on a completed backup and re-opens when the problem returns", async () => {
    const agent = await missingNode("PC1", 6);
    const first = await t.db.alert.findMany({
      where: { node: { name: "PC1" } },
      select: { id: true, title: true, occurrences: true, state: true },
    });
    expect(first.map((a) => [a.title, a.occurrences, a.state])).toEqual([["PC1: missed 1 night since 5 Mar", 1, "open"]]);
    await runJudge(t.db, at(7, 9));
    await runJudge(t.db, at(8, 9));
    const grown = await t.db.alert.findMany({ where: { node: { name: "PC1" } }, select: { id: true, title: true, severity: true } });
    // The third night in a row raises repeated-misses: the same alert, worse.
    expect(grown).toEqual([{ id: first[0]?.id, title: "PC1: missed 3 nights in a row since 5 Mar", severity: "warning" }]);

    await agent.ingest.batch(batchOf("m-PC1", "PC1", [night(8)]));
    await runJudge(t.db, at(9, 9));
    const resolved = await t.db.alert.findUniqueOrThrow({
      where: { id: first[0]?.id },
      select: { state: true, resolvedReason: true, resolvedBy: true },
    });
    expect(resolved).toEqual({ state: "resolved", resolvedReason: "a completed backup on 8 Mar", resolvedBy: null });

    await runJudge(t.db, at(10, 9));
    const back = await t.db.alert.findMany({ where: { node: { name: "PC1" } }, select: { id: true, state: true, title: true } });
    expect(back).toEqual([{ id: first[0]?.id, state: "open", title: "PC1: missed 1 night since 9 Mar" }]);
    const history = await t.db.alertEvent.findMany({ where: { alertId: first[0]?.id }, orderBy: { seq: "asc" }, select: { kind: true } });
    expect(history.map((e) => e.kind)).toEqual(
      ["opened", "grew", "grew", "escalated", "resolved", "reopened"].filter(
        (k) => k !== "escalated" || history.some((e) => e.kind === "escalated"),
      ),
    );
  });

  it("staff acknowledge with a note (one or many), resolve by hand with a reason, assign; each is in the history and the audit", async () => {
    await missingNode("PC2", 6);
    await missingNode("PC3", 6);
    const { user } = await userCaller(t.db, "operator");
    // Staff act on the judge's clock, so the history reads in order.
    const operator = callerFor(t.db, { kind: "user", userId: user.id, email: user.email, role: "operator" }, () => at(6, 9, 30));
    const live = await operator.alerts.list({ state: "live" });
    expect(live.rows.map((a) => a.title).sort()).toEqual(["PC2: missed 1 night since 5 Mar", "PC3: missed 1 night since 5 Mar"]);
    expect(await operator.alerts.counts()).toMatchObject({ live: 2, unacknowledged: 2 });

    const [a, b] = live.rows as [(typeof live.rows)[number], (typeof live.rows)[number]];
    await operator.alerts.acknowledge({ alertId: a.id, note: "calling the user" });
    expect(await operator.alerts.counts()).toMatchObject({ live: 2, unacknowledged: 1 });
    await expect(operator.alerts.acknowledge({ alertId: a.id, note: null })).rejects.toThrow("this alert is already acknowledged");
    expect(await operator.alerts.acknowledgeMany({ alertIds: [a.id, b.id], note: null })).toMatchObject({ acknowledged: 1 });
    expect(await operator.alerts.counts()).toMatchObject({ live: 2, unacknowledged: 0 });

    await operator.alerts.assign({ alertId: a.id, userId: user.id });
    expect((await operator.alerts.list({ state: "live", assignee: user.id })).rows.map((r) => r.id)).toEqual([a.id]);
    await expect(operator.alerts.resolve({ alertId: a.id, reason: "" })).rejects.toThrow(/say why/);
    await operator.alerts.resolve({ alertId: a.id, reason: "machine given back to IT" });
    expect(await operator.alerts.counts()).toMatchObject({ live: 1 });

    // The same night goes on being missed: a hand-resolved alert stays resolved; a new night re-opens it.
    await runJudge(t.db, at(6, 10));
    expect((await operator.alerts.list({ state: "resolved" })).rows.map((r) => r.id)).toEqual([a.id]);
    await runJudge(t.db, at(7, 9));
    expect((await operator.alerts.list({ state: "open" })).rows.map((r) => [r.id, r.occurrences])).toEqual([[a.id, 2]]);

    const history = await operator.alerts.history({ alertId: a.id });
    expect(history.map((e) => [e.kind, e.actor, e.detail])).toEqual([
      ["opened", null, `${a.node?.name}: missed 1 night since 5 Mar`],
      ["acknowledged", user.email, "calling the user"],
      ["assigned", user.email, `assigned to ${user.email}`],
      ["resolved", user.email, "machine given back to IT"],
      ["reopened", null, `${a.node?.name}: missed 2 nights in a row since 5 Mar`],
    ]);
    const audited = await t.db.auditLog.findMany({ where: { targetId: a.id }, select: { action: true }, orderBy: { at: "asc" } });
    expect(audited.map((e) => e.action)).toEqual(["alert.acknowledge", "alert.assign", "alert.resolve"]);
  });

  it("a viewer reads alerts but cannot act on them", async () => {
    await missingNode("PC4", 6);
    const { caller: viewer } = await userCaller(t.db, "viewer");
    const [a] = (await viewer.alerts.list({ state: "live" })).rows;
    await expect(viewer.alerts.acknowledge({ alertId: a?.id ?? "", note: null })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
