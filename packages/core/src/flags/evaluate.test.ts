import { describe, expect, it } from "vitest";
import { defaultSiteSettings } from "../settings/site-settings";
import { diffFlags, evaluateFlags } from "./evaluate";
import type { NodeFacts, WantedFlag } from "./types";

const now = new Date("2026-03-01T12:00:00Z");
const t = (iso: string) => new Date(iso);
const base: NodeFacts = {
  name: "CHEM-PC001",
  deregistered: false,
  locked: null,
  serverCheckedAt: null,
  passwordSetAt: null,
  passwordExpiryDays: null,
  contact: { lastHeartbeatAt: t("2026-03-01T11:58:00Z"), lastAccessAt: null, lastEventAt: null, knownSince: t("2025-01-01T00:00:00Z") },
  lastCompletedAt: t("2026-02-28T23:00:00Z"),
  duplicate: null,
  domainCheck: null,
};
const evaluate = (over: Partial<NodeFacts>, messages = []) =>
  evaluateFlags({ ...base, ...over }, [], { messages }, defaultSiteSettings, now);
const kinds = (over: Partial<NodeFacts>) => evaluate(over).map((f) => f.kind);

describe("evaluateFlags", () => {
  it("raises nothing on a healthy node", () => {
    expect(evaluate({})).toEqual([]);
  });

  it("raises duplicate-suspect while the pair is unresolved, and clears it once staff resolve it", () => {
    const duplicate = {
      otherName: "CHEM-PC001-NEW",
      score: 150,
      evidence: ["both seen with hostname chem-pc001"],
      since: t("2026-02-20T00:00:00Z"),
    };
    const [f] = evaluate({ duplicate });
    expect(f).toEqual({
      kind: "duplicate-suspect",
      since: t("2026-02-20T00:00:00Z"),
      evidence: [{ kind: "node", at: null, text: "both seen with hostname chem-pc001" }],
      detail: "looks like the same machine as CHEM-PC001-NEW (score 150)",
    });
    expect(kinds({ duplicate: null })).not.toContain("duplicate-suspect");
  });

  it("raises stale after the stale period with no contact, and clears it on any contact", () => {
    const silent = {
      lastHeartbeatAt: null,
      lastAccessAt: t("2026-01-20T12:00:00Z"),
      lastEventAt: null,
      knownSince: t("2025-01-01T00:00:00Z"),
    };
    const f = evaluate({ contact: silent, lastCompletedAt: null }).find((x) => x.kind === "stale");
    expect(f).toMatchObject({ since: t("2026-02-17T12:00:00Z"), detail: "no contact for 40 days" });
    expect(kinds({ contact: { ...silent, lastEventAt: t("2026-03-01T02:00:00Z") } })).not.toContain("stale");
  });

  it("raises agent-silent when heartbeats stop, and clears it on a heartbeat", () => {
    const f = evaluate({ contact: { ...base.contact, lastHeartbeatAt: t("2026-03-01T11:00:00Z") } }).find((x) => x.kind === "agent-silent");
    expect(f).toMatchObject({ since: t("2026-03-01T11:30:00Z"), detail: "no heartbeat for 60 minutes" });
    expect(kinds({ contact: { ...base.contact, lastHeartbeatAt: t("2026-03-01T11:45:00Z") } })).not.toContain("agent-silent");
  });

  it("gives a deregistered node no flags at all", () => {
    expect(
      evaluate({
        deregistered: true,
        locked: true,
        serverCheckedAt: now,
        contact: { ...base.contact, lastHeartbeatAt: null, knownSince: t("2020-01-01T00:00:00Z") },
      }),
    ).toEqual([]);
  });

  it("lists flags in the domain table's order", () => {
    const messy = {
      locked: true,
      serverCheckedAt: t("2026-03-01T06:00:00Z"),
      lastCompletedAt: t("2026-02-01T00:00:00Z"),
      contact: { ...base.contact, lastHeartbeatAt: t("2026-02-28T00:00:00Z") },
    };
    expect(kinds(messy)).toEqual(["locked", "at-risk", "agent-silent"]);
  });

  it("ignores messages with no time", () => {
    expect(evaluate({}, [{ code: "ANS1361E", at: null, cause: "node-locked" }] as never)).toEqual([]);
  });
});

describe("diffFlags", () => {
  const want = (kind: WantedFlag["kind"], detail = ""): WantedFlag => ({ kind, since: now, evidence: [], detail });

  it("raises the new kinds, clears the ones gone, keeps the rest with fresh detail", () => {
    const open = [
      { id: 1, kind: "locked" as const },
      { id: 2, kind: "password-expiring" as const },
    ];
    const d = diffFlags(open, [want("password-expiring", "3 days left"), want("at-risk")]);
    expect(d.raise.map((f) => f.kind)).toEqual(["at-risk"]);
    expect(d.clear).toEqual([{ id: 1, kind: "locked" }]);
    expect(d.keep).toEqual([{ open: { id: 2, kind: "password-expiring" }, wanted: want("password-expiring", "3 days left") }]);
  });

  it("clears a second open flag of one kind, keeping one", () => {
    const d = diffFlags(
      [
        { id: 1, kind: "stale" as const },
        { id: 2, kind: "stale" as const },
      ],
      [want("stale")],
    );
    expect(d.keep.map((k) => k.open.id)).toEqual([1]);
    expect(d.clear.map((c) => c.id)).toEqual([2]);
    expect(d.raise).toEqual([]);
  });

  it("changes nothing when open and wanted agree", () => {
    expect(diffFlags([], [])).toEqual({ raise: [], clear: [], keep: [] });
  });
});
