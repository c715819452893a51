import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveCaller } from "../context";
import { createEnrollmentToken, enrollAgent } from "../services/ingest/agents";
import { userCaller } from "../testing";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.drop());

describe("admin: agents and users", () => {
  it("revokes an agent: its token no longer signs it in, the audit log says who and why, and twice is refused", async () => {
    const { token: enrollment } = await createEnrollmentToken(t.db, { createdBy: "test", note: null, ttlHours: 1, now: new Date() });
    const { agentId, token } = await enrollAgent(t.db, { enrollmentToken: enrollment, name: "lab-pc-agent", now: new Date() });
    expect((await resolveCaller(t.db, `Bearer ${token}`, null)).kind).toBe("agent");
    const { caller: admin } = await userCaller(t.db, "admin");
    await admin.admin.revokeAgent({ agentId, reason: "disk stolen" });
    expect((await resolveCaller(t.db, `Bearer ${token}`, null)).kind).toBe("anonymous");
    expect(await t.db.auditLog.findFirst({ where: { action: "agent.revoke", targetId: agentId } })).toMatchObject({
      reason: "disk stolen",
    });
    await expect(admin.admin.revokeAgent({ agentId, reason: null })).rejects.toThrow(/^agent lab-pc-agent is already revoked$/);
  });

  it("audits making an enrollment token and an agent enrolling with it: who, what, before and after (issue 16.8)", async () => {
    const { caller: admin, user } = await userCaller(t.db, "admin");
    const made = await admin.admin.createEnrollmentToken({ note: "lab 3", ttlHours: 2, collector: false });
    const created = await t.db.auditLog.findFirstOrThrow({ where: { action: "enrollment-token.create", targetId: made.id } });
    expect(created).toMatchObject({ actorId: user.id, actorLabel: user.email, targetType: "enrollment-token", reason: "lab 3" });
    expect(created.detail).toEqual({
      before: null,
      after: { note: "lab 3", collector: false, expiresAt: made.expiresAt.toISOString(), used: false },
    });
    // The token itself is a secret: never in the log.
    expect(JSON.stringify(created.detail) + created.reason).not.toContain(made.token);

    const { agentId } = await enrollAgent(t.db, { enrollmentToken: made.token, name: "lab3-agent", now: new Date() });
    const enrolled = await t.db.auditLog.findFirstOrThrow({ where: { action: "agent.enroll", targetId: agentId } });
    expect(enrolled).toMatchObject({ actorId: null, actorLabel: `agent:${agentId}`, targetType: "agent" });
    expect(enrolled.detail).toMatchObject({
      name: "lab3-agent",
      token: { id: made.id, note: "lab 3", createdBy: user.email },
      before: { token: "unused", agent: null },
      after: { token: "used", agent: { name: "lab3-agent", collector: false } },
    });
  });

  it("audits a settings change with the values before and after, an SMTP password hidden", async () => {
    const { caller: admin } = await userCaller(t.db, "admin");
    await admin.admin.updateSettings({ channels: { email: { smtpUrl: "smtp://fw:s3cret@mail.example.org:25" } } });
    const line = await t.db.auditLog.findFirstOrThrow({ where: { action: "settings.update" }, orderBy: { id: "desc" } });
    const detail = line.detail as {
      before: { channels: { email: { smtpUrl: string | null } } };
      after: { channels: { email: { smtpUrl: string } } };
    };
    expect(detail.before.channels.email.smtpUrl).toBeNull();
    expect(detail.after.channels.email.smtpUrl).toBe("smtp://fw:***@mail.example.org:25");
    expect(JSON.stringify(line.detail)).not.toContain("s3cret");
  });

  it("saves the alert channels as it shows them, default sender included", async () => {
    const { caller: admin } = await userCaller(t.db, "admin");
    const { channels } = await admin.admin.settings();
    expect(channels.email.from).toBe("fleetwatch@localhost");
    const saved = await admin.admin.updateSettings({
      channels: { ...channels, email: { ...channels.email, smtpUrl: "smtp://mail.example.org" } },
    });
    expect(saved.channels.email).toMatchObject({ from: "fleetwatch@localhost", smtpUrl: "smtp://mail.example.org", ownerReports: true });
    await expect(
      admin.admin.updateSettings({ channels: { ...channels, email: { ...channels.email, from: "not an address" } } }),
    ).rejects.toThrow(/^email\.from: /);
  });

  it("disables a user at their next request, whatever their session says, and enables them again", async () => {
    const { caller: admin } = await userCaller(t.db, "admin");
    const { user } = await userCaller(t.db, "operator");
    expect((await resolveCaller(t.db, null, user)).kind).toBe("user");
    await admin.admin.disableUser({ userId: user.id, disabled: true });
    expect((await resolveCaller(t.db, null, user)).kind).toBe("anonymous");
    await admin.admin.disableUser({ userId: user.id, disabled: false });
    expect(await resolveCaller(t.db, null, { ...user, role: "admin" })).toMatchObject({ kind: "user", role: "operator" });
    const actions = await t.db.auditLog.findMany({ where: { targetId: user.id }, orderBy: { id: "asc" }, select: { action: true } });
    expect(actions.map((a) => a.action)).toEqual(["user.disable", "user.enable"]);
  });

  it("keeps the site administrable: nobody disables their own account, and only admins disable anyone", async () => {
    const { user: self, caller: selfCaller } = await userCaller(t.db, "admin");
    await expect(selfCaller.admin.disableUser({ userId: self.id, disabled: true })).rejects.toThrow(
      /^you cannot disable your own account$/,
    );
    const { caller: operator } = await userCaller(t.db, "operator");
    await expect(operator.admin.disableUser({ userId: self.id, disabled: true })).rejects.toThrow(/^needs the admin role$/);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: self.id } })).disabledAt).toBeNull();
  });
});
