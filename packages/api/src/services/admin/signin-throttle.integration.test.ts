import { createDb } from "@fleetwatch/db/client";
import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseServerEnv } from "../../config/server-config";
import { DomainError } from "../../errors";
import { DEFAULT_SIGNIN_POLICY, passwordSignIn, signInPolicy, signInRefusal } from "./signin-throttle";
import { createUser } from "./users";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.drop());

const PASSWORD = "correct horse battery";
const T0 = new Date("2026-12-07T10:00:00Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

async function refusedWith(attempt: Promise<unknown>): Promise<{ message: string; retryAfterSeconds: unknown }> {
  const error = await attempt.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  const domain = error as DomainError;
  expect(domain.code).toBe("TOO_MANY_REQUESTS");
  return { message: domain.message, retryAfterSeconds: domain.details?.retryAfterSeconds };
}

describe("password sign-in throttling", () => {
  it("backs an account off after five wrong passwords, refuses the right one meanwhile, and lets it in after", async () => {
    await createUser(t.db, { email: "admin1@example.org", password: PASSWORD, role: "admin" });
    const wrong = (s: number, address: string) =>
      passwordSignIn(t.db, { email: "Admin1@example.org", password: "guess", address, now: at(s) });
    const delays: number[] = [];
    // From five different addresses: the account's count does not care where guesses come from.
    for (let i = 0; i < 5; i++) delays.push((await wrong(i, `198.51.100.${i}`)).delayMs);
    expect(delays).toEqual([0, 0, 0, 500, 1000]);

    const during = passwordSignIn(t.db, { email: "admin1@example.org", password: PASSWORD, address: "192.0.2.9", now: at(30) });
    expect(await refusedWith(during)).toEqual({
      message: "Too many failed sign-ins for this account; try again in 34 s.",
      retryAfterSeconds: 34,
    });

    const after = await passwordSignIn(t.db, { email: "admin1@example.org", password: PASSWORD, address: "192.0.2.9", now: at(65) });
    expect(after.user).toMatchObject({ email: "admin1@example.org", role: "admin" });
    // The right password cleared the count: one more slip is an ordinary failure, not a back-off.
    expect(await wrong(70, "192.0.2.9")).toEqual({ user: null, delayMs: 0 });
    expect(await signInRefusal(t.db, { email: "admin1@example.org", address: "192.0.2.9", now: at(71) })).toBeNull();
  });

  it("doubles the back-off with each failure after one, never past fifteen minutes: never a lock-out for good", async () => {
    await createUser(t.db, { email: "admin2@example.org", password: PASSWORD, role: "admin" });
    let now = 0;
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      await passwordSignIn(t.db, { email: "admin2@example.org", password: "guess", address: null, now: at(now) });
      const refusal = await signInRefusal(t.db, { email: "admin2@example.org", address: null, now: at(now) });
      if (refusal) {
        waits.push(refusal.retryAfterSeconds);
        now += refusal.retryAfterSeconds; // the guesser waits each back-off out, then tries again
      }
      now += 1;
    }
    expect(waits).toEqual([60, 120, 240, 480, 900, 900, 900, 900]);
    const back = await passwordSignIn(t.db, { email: "admin2@example.org", password: PASSWORD, address: null, now: at(now + 900) });
    expect(back.user?.email).toBe("admin2@example.org");
  });

  it("backs one address off after twenty failures over many accounts, and not the accounts' owners elsewhere", async () => {
    await createUser(t.db, { email: "viewer3@example.org", password: PASSWORD, role: "viewer" });
    for (let i = 0; i < 20; i++) {
      await passwordSignIn(t.db, { email: `spray${i}@example.org`, password: "guess", address: "203.0.113.50", now: at(i) });
    }
    const fromThere = passwordSignIn(t.db, { email: "viewer3@example.org", password: PASSWORD, address: "203.0.113.50", now: at(21) });
    expect((await refusedWith(fromThere)).message).toBe("Too many failed sign-ins from this address; try again in 58 s.");
    const elsewhere = await passwordSignIn(t.db, { email: "viewer3@example.org", password: PASSWORD, address: "192.0.2.1", now: at(21) });
    expect(elsewhere.user?.email).toBe("viewer3@example.org");
  });

  it("audits each back-off: whose account, from where, until when", async () => {
    const user = await createUser(t.db, { email: "admin4@example.org", password: PASSWORD, role: "admin" });
    for (let i = 0; i < 5; i++) {
      await passwordSignIn(t.db, { email: "admin4@example.org", password: "guess", address: "198.51.100.7", now: at(i) });
    }
    const lines = await t.db.auditLog.findMany({ where: { action: "signin.throttled", targetId: user.id } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      actorLabel: "anonymous",
      targetType: "user",
      detail: { email: "admin4@example.org", address: "198.51.100.7", failures: 5, until: at(64).toISOString() },
    });
  });

  it("counts every failure once when two replicas take guesses at the same moment", async () => {
    await createUser(t.db, { email: "admin5@example.org", password: PASSWORD, role: "admin" });
    const replica = createDb(t.url);
    try {
      const loose = { ...DEFAULT_SIGNIN_POLICY, account: { slowAfter: 100, blockAfter: 100 } };
      const guesses = Array.from({ length: 12 }, (_, i) =>
        passwordSignIn(i % 2 ? replica : t.db, {
          email: "admin5@example.org",
          password: `guess${i}`,
          address: null,
          now: T0,
          policy: loose,
        }),
      );
      await Promise.all(guesses);
      const row = await t.db.signInThrottle.findUniqueOrThrow({ where: { key: "account:admin5@example.org" } });
      expect(row.failures).toBe(12);
      // One more on one replica backs the account off; the other refuses the right password.
      await passwordSignIn(replica, { email: "admin5@example.org", password: "guess", address: null, now: at(1) });
      await refusedWith(passwordSignIn(t.db, { email: "admin5@example.org", password: PASSWORD, address: null, now: at(2) }));
    } finally {
      await replica.$disconnect();
    }
  });

  it("forgets failures an hour old", async () => {
    await createUser(t.db, { email: "op6@example.org", password: PASSWORD, role: "operator" });
    for (let i = 0; i < 4; i++) await passwordSignIn(t.db, { email: "op6@example.org", password: "guess", address: null, now: at(i) });
    const later = await passwordSignIn(t.db, { email: "op6@example.org", password: "guess", address: null, now: at(3605) });
    expect(later.delayMs).toBe(0);
    expect(await signInRefusal(t.db, { email: "op6@example.org", address: null, now: at(3606) })).toBeNull();
  });

  it("reads the first back-off from FLEETWATCH_SIGNIN_BACKOFF_SECONDS and refuses nonsense in one line", () => {
    const fromEnv = (env: Record<string, string>) => signInPolicy(parseServerEnv(env).FLEETWATCH_SIGNIN_BACKOFF_SECONDS);
    expect(fromEnv({})).toBe(DEFAULT_SIGNIN_POLICY);
    expect(fromEnv({ FLEETWATCH_SIGNIN_BACKOFF_SECONDS: "5" }).firstBackoffSeconds).toBe(5);
    expect(fromEnv({ FLEETWATCH_SIGNIN_BACKOFF_SECONDS: "900" }).firstBackoffSeconds).toBe(DEFAULT_SIGNIN_POLICY.maxBackoffSeconds);
    expect(() => fromEnv({ FLEETWATCH_SIGNIN_BACKOFF_SECONDS: "0" })).toThrow(
      'FLEETWATCH_SIGNIN_BACKOFF_SECONDS must be whole seconds from 1 to 900 (got "0")',
    );
  });
});
