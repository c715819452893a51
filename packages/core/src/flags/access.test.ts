import { describe, expect, it } from "vitest";
import { ansCatalogue } from "../catalogue";
import type { EvidenceMessage } from "../diagnosis/types";
import { defaultSiteSettings, siteSettings } from "../settings/site-settings";
import { FLAG_MESSAGES } from "./access";
import { evaluateFlags } from "./evaluate";
import type { HistoryWindow, NodeFacts } from "./types";

const now = new Date("2026-03-01T12:00:00Z");
const t = (iso: string) => new Date(iso);
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);

const node = (over: Partial<NodeFacts> = {}): NodeFacts => ({
  name: "CHEM-PC001",
  deregistered: false,
  locked: null,
  serverCheckedAt: null,
  passwordSetAt: daysAgo(10),
  passwordExpiryDays: null,
  contact: {
    lastHeartbeatAt: t("2026-03-01T11:58:00Z"),
    lastAccessAt: null,
    lastEventAt: t("2026-02-28T22:30:00Z"),
    knownSince: t("2025-01-01T00:00:00Z"),
  },
  lastCompletedAt: null,
  duplicate: null,
  domainCheck: null,
  ...over,
});
/** A completed (or other) backup on the night of `day` (February). */
const night = (day: number, over: Partial<HistoryWindow> = {}): HistoryWindow => ({
  scheduledStart: t(`2026-02-${String(day).padStart(2, "0")}T22:00:00Z`),
  outcome: "completed",
  benign: false,
  startedAt: t(`2026-02-${String(day).padStart(2, "0")}T22:05:00Z`),
  endedAt: t(`2026-02-${String(day).padStart(2, "0")}T22:30:00Z`),
  failedObjects: 0,
  returnCode: 0,
  causes: [],
  ...over,
});
const msg = (code: string, at: string, over: Partial<EvidenceMessage> = {}): EvidenceMessage => ({ code, at: t(at), cause: null, ...over });
const healthy = [night(26), night(27), night(28)];

const kinds = (n: NodeFacts, history: HistoryWindow[] = healthy, messages: EvidenceMessage[] = [], settings = defaultSiteSettings) =>
  evaluateFlags(n, history, { messages }, settings, now).map((f) => f.kind);
const flag = (
  kind: string,
  n: NodeFacts,
  history: HistoryWindow[] = healthy,
  messages: EvidenceMessage[] = [],
  settings = defaultSiteSettings,
) => evaluateFlags(n, history, { messages }, settings, now).find((f) => f.kind === kind);

describe("locked", () => {
  it("is raised when the server says LOCKED=YES", () => {
    const f = flag("locked", node({ locked: true, serverCheckedAt: t("2026-03-01T06:00:00Z") }));
    expect(f).toMatchObject({ since: t("2026-03-01T06:00:00Z"), detail: "the node is locked on the TSM server" });
  });
  it("is raised when the client logs ANS1361E", () => {
    const f = flag("locked", node(), healthy, [msg("ANS1361E", "2026-02-28T23:00:00Z", { cause: "node-locked" })]);
    expect(f?.evidence[0]).toMatchObject({ code: "ANS1361E" });
    expect(f?.since).toEqual(t("2026-02-28T23:00:00Z"));
  });
  it("is cleared when the server reports it unlocked after the message", () => {
    const m = [msg("ANS1361E", "2026-02-28T23:00:00Z", { cause: "node-locked" })];
    expect(kinds(node({ locked: false, serverCheckedAt: t("2026-03-01T06:00:00Z") }), healthy, m)).not.toContain("locked");
  });
  it("is cleared by a clean session after it", () => {
    const later = [...healthy, night(28, { scheduledStart: t("2026-03-01T02:00:00Z"), startedAt: t("2026-03-01T02:00:00Z") })];
    expect(kinds(node({ locked: true, serverCheckedAt: t("2026-03-01T01:00:00Z") }), later)).not.toContain("locked");
    expect(
      kinds(node({ contact: { ...node().contact, lastAccessAt: t("2026-03-01T00:00:00Z") } }), healthy, [
        msg("ANS1361E", "2026-02-28T23:00:00Z", { cause: "node-locked" }),
      ]),
    ).not.toContain("locked");
  });
  it("is not cleared by a refused session (a failure caused by the lock)", () => {
    const refused = [
      ...healthy,
      night(28, {
        scheduledStart: t("2026-03-01T02:00:00Z"),
        startedAt: t("2026-03-01T02:00:00Z"),
        outcome: "failed",
        causes: ["node-locked"],
      }),
    ];
    expect(kinds(node({ locked: true, serverCheckedAt: t("2026-03-01T01:00:00Z") }), refused)).toContain("locked");
  });
});

describe("password-expired", () => {
  it("is raised when the password is older than the expiry period (IBM's 90 days)", () => {
    const f = flag("password-expired", node({ passwordSetAt: daysAgo(91), contact: { ...node().contact } }), []);
    expect(f?.since).toEqual(new Date(daysAgo(91).getTime() + 90 * 86_400_000));
    expect(f?.evidence[0]?.text).toMatch(/expired after 90 days/);
  });
  it("follows the site's period (the seed's site: a year) and the node's own PASSEXP", () => {
    const yearly = siteSettings.parse({ passwordExpiryDays: 365 });
    expect(kinds(node({ passwordSetAt: daysAgo(200) }), [], [], yearly)).not.toContain("password-expired");
    expect(kinds(node({ passwordSetAt: daysAgo(400) }), [], [], yearly)).toContain("password-expired");
    expect(kinds(node({ passwordSetAt: daysAgo(400), passwordExpiryDays: 0 }), [])).not.toContain("password-expired");
  });
  it("is raised when the client logs ANS1352E", () => {
    expect(kinds(node(), healthy, [msg("ANS1352E", "2026-02-28T23:00:00Z", { cause: "password-expired" })])).toContain("password-expired");
  });
  it("is cleared by a new password date", () => {
    const m = [msg("ANS1352E", "2026-02-28T23:00:00Z", { cause: "password-expired" })];
    expect(kinds(node({ passwordSetAt: t("2026-03-01T08:00:00Z") }), healthy, m)).not.toContain("password-expired");
  });
  it("is cleared by a clean session after the expiry", () => {
    const old = node({ passwordSetAt: daysAgo(95) });
    expect(kinds(old, healthy)).not.toContain("password-expired");
    expect(kinds(old, [night(1)])).toContain("password-expired");
  });
});

describe("password-expiring", () => {
  it("is raised within the warning period, with the days left", () => {
    const f = flag("password-expiring", node({ passwordSetAt: daysAgo(80) }));
    expect(f?.detail).toBe("the password expires in 10 day(s), on 2026-03-11");
    expect(kinds(node({ passwordSetAt: daysAgo(70) }))).not.toContain("password-expiring");
  });
  it("is raised by ANS8004W, whatever the warning period", () => {
    const f = flag("password-expiring", node(), healthy, [
      msg("ANS8004W", "2026-03-01T06:00:00Z", { flag: "password-expiring", days: 30 }),
    ]);
    expect(f?.detail).toMatch(/expires in 30 day\(s\)/);
    expect(f?.since).toEqual(t("2026-03-01T06:00:00Z"));
  });
  it("is cleared once renewed", () => {
    const m = [msg("ANS8004W", "2026-02-20T06:00:00Z", { flag: "password-expiring", days: 14 })];
    expect(kinds(node({ passwordSetAt: daysAgo(200) }), healthy, m, siteSettings.parse({ passwordExpiryDays: 0 }))).toContain(
      "password-expiring",
    );
    expect(kinds(node({ passwordSetAt: daysAgo(2) }), healthy, m)).not.toContain("password-expiring");
  });
  it("gives way to password-expired", () => {
    const m = [msg("ANS1352E", "2026-03-01T02:00:00Z", { cause: "password-expired" })];
    expect(kinds(node({ passwordSetAt: daysAgo(80) }), healthy, m).filter((k) => k.startsWith("password"))).toEqual(["password-expired"]);
  });
});

describe("auth-broken", () => {
  it.each(["ANS1025E", "ANS1353E", "ANS2050E", "ANS1503E", "ANS1835E"])("is raised by %s", (code) => {
    expect(kinds(node(), healthy, [msg(code, "2026-03-01T02:00:00Z", { cause: "auth-failure" })])).toContain("auth-broken");
  });
  it("is cleared by a clean session after it", () => {
    const m = [msg("ANS2050E", "2026-02-27T02:00:00Z", { cause: "auth-failure" })];
    expect(kinds(node(), healthy, m)).not.toContain("auth-broken");
  });
});

describe("config-error", () => {
  it.each(["ANS1071E", "ANS1063E", "ANS1134E"])("is raised by %s", (code) => {
    const failed = [...healthy.slice(0, 2), night(28, { outcome: "failed", causes: ["invalid-domain"], returnCode: 12 })];
    expect(kinds(node(), failed, [msg(code, "2026-02-28T22:06:00Z", { cause: "invalid-domain" })])).toContain("config-error");
  });
  it("is raised when the agent finds a DOMAIN entry that is no file system", () => {
    const f = flag("config-error", node({ domainCheck: { at: t("2026-03-01T09:00:00Z"), invalid: ["/data/fred"] } }));
    expect(f?.evidence[0]?.text).toMatch(/\/data\/fred/);
  });
  it("is cleared when a fixed config is seen: a clean check or a run without the error", () => {
    const m = [msg("ANS1071E", "2026-02-27T22:06:00Z", { cause: "invalid-domain" })];
    const failed = [night(26), night(27, { outcome: "failed", causes: ["invalid-domain"] })];
    expect(kinds(node(), failed, m)).toContain("config-error");
    expect(kinds(node({ domainCheck: { at: t("2026-02-28T09:00:00Z"), invalid: [] } }), failed, m)).not.toContain("config-error");
    expect(kinds(node(), [...failed, night(28)], m)).not.toContain("config-error");
  });
});

describe("FLAG_MESSAGES", () => {
  it("names every message a rule reads: the rest of the catalogue changes no flag", () => {
    const every: EvidenceMessage[] = [...ansCatalogue.values()].map((e, i) => ({
      code: e.code,
      at: new Date(t("2026-02-28T23:00:00Z").getTime() + i * 1000),
      cause: e.cause,
      flag: e.flag,
      ...(e.flag === "password-expiring" ? { days: 7 } : {}),
    }));
    const read = every.filter(
      (m) =>
        (FLAG_MESSAGES.codes as readonly string[]).includes(m.code) ||
        (FLAG_MESSAGES.causes as readonly (string | null)[]).includes(m.cause) ||
        (FLAG_MESSAGES.flags as readonly (string | null | undefined)[]).includes(m.flag),
    );
    expect(read.length).toBeLessThan(every.length);
    for (const history of [healthy, [night(20), night(21, { outcome: "missed", startedAt: null, endedAt: null })]]) {
      expect(evaluateFlags(node(), history, { messages: read }, defaultSiteSettings, now)).toEqual(
        evaluateFlags(node(), history, { messages: every }, defaultSiteSettings, now),
      );
    }
  });
});
