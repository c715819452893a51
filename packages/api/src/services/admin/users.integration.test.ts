import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, ssoUser, verifyCredentials } from "./users";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.drop());

describe("single sign-on users", () => {
  it("keeps the role staff gave a known user, whatever the case of the email", async () => {
    await createUser(t.db, { email: "op@example.org", password: "correct horse battery", role: "operator" });
    expect(await ssoUser(t.db, { email: "OP@Example.org", newcomerRole: null })).toMatchObject({
      email: "op@example.org",
      role: "operator",
    });
  });

  it("refuses an unknown user unless the site names a role for newcomers", async () => {
    expect(await ssoUser(t.db, { email: "new@example.org", newcomerRole: null })).toBeNull();
    expect(await t.db.user.count({ where: { email: "new@example.org" } })).toBe(0);
  });

  it("creates a newcomer with the site's role, audited, who can never sign in with a password", async () => {
    const user = await ssoUser(t.db, { email: "sso@example.org", newcomerRole: "viewer" });
    expect(user).toMatchObject({ email: "sso@example.org", role: "viewer" });
    expect(await verifyCredentials(t.db, "sso@example.org", "!sso")).toBeNull();
    const line = await t.db.auditLog.findFirstOrThrow({ where: { action: "user.sso-create" } });
    expect(line).toMatchObject({ actorLabel: "sso@example.org", targetId: user?.id });
    expect(await ssoUser(t.db, { email: "sso@example.org", newcomerRole: "admin" })).toMatchObject({ role: "viewer" });
  });

  it("refuses a disabled user", async () => {
    const user = await createUser(t.db, { email: "gone@example.org", password: "correct horse battery", role: "admin" });
    await t.db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect(await ssoUser(t.db, { email: "gone@example.org", newcomerRole: "viewer" })).toBeNull();
  });
});
