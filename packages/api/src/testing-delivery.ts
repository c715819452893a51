import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { afterEach, beforeEach } from "vitest";
import type { Db } from "./context";
import { smtpSink } from "./testing-smtp";

/**
 * For tests of what is mailed: a database of its own for each test, and SMTP sinks that close
 * after it. Call once at the top of a test file (it adds the file's beforeEach and afterEach).
 */
export function deliveryTestBed() {
  let t: TestDatabase | undefined;
  let closers: (() => Promise<unknown>)[] = [];
  beforeEach(async () => {
    t = await createTestDatabase();
    closers = [];
  });
  afterEach(async () => {
    for (const close of closers) await close();
    await t?.drop();
  });
  const db = (): Db => {
    if (!t) throw new Error("the test bed's database exists only inside a test");
    return t.db;
  };
  return {
    get db() {
      return db();
    },
    /** A real SMTP receiver, closed after the test; `refuse` answers RCPT for an address. */
    async smtpSink(refuse?: (address: string) => string | null) {
      const sink = await smtpSink(refuse);
      closers.push(sink.close);
      return sink;
    },
    /** The e-mail channel: the team's addresses `to`, through `smtpUrl` (null: none configured), the digest at 07:00 unless `extra` says. */
    async emailTo(to: string[], smtpUrl: string | null, extra: Record<string, unknown> = {}) {
      const value = { email: { to, from: "fleetwatch@uni.test", smtpUrl, dailyDigestHour: 7, ...extra } };
      await db().setting.upsert({ where: { key: "channels" }, create: { key: "channels", value }, update: { value } });
    },
  };
}
