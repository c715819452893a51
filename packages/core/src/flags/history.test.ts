import { describe, expect, it } from "vitest";
import { defaultSiteSettings, siteSettings } from "../settings/site-settings";
import { evaluateFlags } from "./evaluate";
import type { HistoryWindow, NodeFacts } from "./types";

const now = new Date("2026-03-01T12:00:00Z");
const t = (iso: string) => new Date(iso);
const node: NodeFacts = {
  name: "CHEM-PC001",
  deregistered: false,
  locked: null,
  serverCheckedAt: null,
  passwordSetAt: null,
  passwordExpiryDays: null,
  contact: { lastHeartbeatAt: t("2026-03-01T11:58:00Z"), lastAccessAt: null, lastEventAt: null, knownSince: t("2025-01-01T00:00:00Z") },
  lastCompletedAt: null,
  duplicate: null,
  domainCheck: null,
};

type Code = "C" | "M" | "F" | "S" | "A" | "B" | "K" | "I";
/** One window per night ending on 28 February, oldest first: C completed, M missed, F failed, S severed, A aborted, B benign sign-off-only, K completed but skipped files, I in progress. */
function nights(codes: string): HistoryWindow[] {
  const list = [...codes] as Code[];
  return list.map((c, i) => {
    const start = new Date(Date.UTC(2026, 1, 28 - (list.length - 1 - i), 22));
    const outcome = (
      { C: "completed", K: "completed", M: "missed", F: "failed", B: "failed", S: "severed", A: "aborted", I: "in-progress" } as const
    )[c];
    const ended = c === "M" || c === "I" ? null : new Date(start.getTime() + 30 * 60_000);
    return {
      scheduledStart: start,
      outcome,
      benign: c === "B",
      startedAt: c === "M" ? null : new Date(start.getTime() + 60_000),
      endedAt: ended,
      failedObjects: c === "K" ? 3 : c === "C" || c === "B" ? 0 : c === "F" ? 2 : null,
      returnCode: c === "C" || c === "B" ? (c === "B" ? 12 : 0) : c === "K" ? 4 : c === "F" ? 12 : null,
      causes: c === "B" ? ["sign-off-only"] : c === "F" ? ["files-changed"] : c === "K" ? ["files-skipped"] : [],
    };
  });
}
const flags = (codes: string, settings = defaultSiteSettings, at = now) =>
  evaluateFlags(node, nights(codes), { messages: [] }, settings, at);
const kinds = (codes: string, settings = defaultSiteSettings) => flags(codes, settings).map((f) => f.kind);
const get = (codes: string, kind: string) => flags(codes).find((f) => f.kind === kind);

describe("repeated-misses", () => {
  it("is raised by N misses in a row, from the window that made it N", () => {
    const f = get("CCMMM", "repeated-misses");
    expect(f?.since).toEqual(t("2026-02-28T22:00:00Z"));
    expect(f?.detail).toBe("missed 3 in a row; 3 in a row now");
    expect(kinds("CCCMM")).not.toContain("repeated-misses");
  });
  it("is raised by M of the last K", () => {
    expect(get("MCMCMCM", "repeated-misses")?.detail).toBe("missed 4 of the last 7; 1 in a row now");
    expect(kinds("CMCMCMC")).not.toContain("repeated-misses");
  });
  it("is cleared by a completed event, and raised again by the next miss while M of K holds", () => {
    expect(kinds("MCMCMCMC")).not.toContain("repeated-misses");
    expect(kinds("MCMCMCMCM")).toContain("repeated-misses");
  });
  it("is cleared by a benign sign-off-only failure, which counts as completed", () => {
    expect(kinds("MMMB")).not.toContain("repeated-misses");
  });
  it("ignores a window still in progress", () => {
    expect(kinds("CMMMI")).toContain("repeated-misses");
  });
  it("follows the site's thresholds", () => {
    expect(kinds("CCCMM", siteSettings.parse({ missesInARow: 2 }))).toContain("repeated-misses");
  });
});

describe("repeated-failures", () => {
  it("is raised by failed, severed or aborted windows in a row", () => {
    expect(get("CFSA", "repeated-failures")?.detail).toBe("failed, severed or aborted 3 in a row; 3 in a row now");
  });
  it("is raised by M of the last K", () => {
    expect(kinds("FMFMFMF")).toContain("repeated-failures");
  });
  it("does not count a benign sign-off-only failure, and is cleared by a completed event", () => {
    expect(kinds("BBBB")).not.toContain("repeated-failures");
    expect(kinds("FFFC")).not.toContain("repeated-failures");
    expect(kinds("FFFB")).not.toContain("repeated-failures");
  });
});

describe("needs-manual-backup", () => {
  it("is raised by a severed event, and says how long the node has been unprotected", () => {
    const f = get("CCS", "needs-manual-backup");
    expect(f?.since).toEqual(t("2026-02-28T22:01:00Z"));
    expect(f?.detail).toBe("unprotected for 37 h, since 2026-02-27T22:30:00.000Z: run a manual backup");
  });
  it("is raised by an aborted event and by a failure that left objects unsaved", () => {
    expect(kinds("CA")).toContain("needs-manual-backup");
    expect(kinds("CF")).toContain("needs-manual-backup");
  });
  it("is not raised by a benign sign-off-only failure", () => {
    expect(flags("CBB").map((f) => f.kind)).toEqual([]);
  });
  it("is cleared only by a later event that completes with 0 failed objects", () => {
    expect(kinds("SK")).toContain("needs-manual-backup");
    expect(kinds("SM")).toContain("needs-manual-backup");
    expect(kinds("SC")).not.toContain("needs-manual-backup");
    expect(kinds("SB")).not.toContain("needs-manual-backup");
  });
  it("counts from the first unsafe event since the last clean backup", () => {
    expect(get("CSFM", "needs-manual-backup")?.evidence.map((e) => e.text)).toEqual([
      "severed window of 2026-02-26T22:00:00.000Z",
      "failed window of 2026-02-27T22:00:00.000Z",
      "last backup with no failed object: 2026-02-25T22:30:00.000Z",
    ]);
  });
});

describe("at-risk", () => {
  it("is raised when no backup completed within the at-risk interval", () => {
    const f = get("CM", "at-risk");
    expect(f?.since).toEqual(t("2026-02-28T22:30:00Z"));
    expect(f?.detail).toBe("no completed backup for 37 h (at-risk after 24 h)");
  });
  it("is cleared by a completed backup, a benign one included, or one that skipped files", () => {
    expect(kinds("MC")).not.toContain("at-risk");
    expect(kinds("MB")).not.toContain("at-risk");
    expect(kinds("MK")).not.toContain("at-risk");
  });
  it("counts from when the node became known when it never completed", () => {
    expect(flags("MM").find((f) => f.kind === "at-risk")?.since).toEqual(t("2025-01-02T00:00:00Z"));
    const fresh = { ...node, contact: { ...node.contact, knownSince: t("2026-03-01T00:00:00Z") } };
    expect(evaluateFlags(fresh, [], { messages: [] }, defaultSiteSettings, now).map((f) => f.kind)).not.toContain("at-risk");
  });
  it("uses the derived last completion when the history passed is only its tail", () => {
    const withState = { ...node, lastCompletedAt: t("2026-03-01T01:00:00Z") };
    expect(evaluateFlags(withState, nights("MM"), { messages: [] }, defaultSiteSettings, now).map((f) => f.kind)).not.toContain("at-risk");
  });
});

describe("a profile that counts skipped files (rc 4) as failure", () => {
  const skipped = (codes: string) =>
    evaluateFlags(node, nights(codes), { messages: [] }, defaultSiteSettings, now, { skippedCountsAsFailure: true }).map((f) => f.kind);

  it("makes runs that skipped files a failure streak, and at risk", () => {
    expect(kinds("CKKK")).toEqual([]);
    expect(skipped("CKKK")).toEqual(expect.arrayContaining(["repeated-failures", "at-risk"]));
  });
  it("is cleared by a run that skipped nothing", () => {
    expect(skipped("KKKC")).not.toContain("repeated-failures");
    expect(skipped("KKKC")).not.toContain("at-risk");
  });
  it("does not let the derived last completed backup (a skipped run) hide the risk", () => {
    const withDerived = { ...node, lastCompletedAt: t("2026-02-28T22:30:00Z") };
    const f = evaluateFlags(withDerived, nights("CKKK"), { messages: [] }, defaultSiteSettings, now, { skippedCountsAsFailure: true });
    expect(f.map((x) => x.kind)).toContain("at-risk");
  });
});
