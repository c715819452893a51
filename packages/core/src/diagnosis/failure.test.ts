import { describe, expect, it } from "vitest";
import type { Message } from "../schemas/event";
import { diagnoseFailure, type FailedEventFacts, severedBySilence } from "./failure";

const m = (code: string, at: string, cause: Message["cause"], text = "..."): Message => ({
  code,
  severity: code.at(-1) as Message["severity"],
  at,
  text,
  cause,
});
const stats = (failed: number | null) => ({
  inspected: 214391,
  backedUp: 16,
  updated: 0,
  rebound: 0,
  deleted: 0,
  expired: 0,
  failed,
  bytesTransferred: 73610035,
  elapsedSeconds: 122,
});
const event = (over: Partial<FailedEventFacts>): FailedEventFacts => ({
  status: "failed",
  cause: null,
  causes: [],
  messages: [],
  stats: null,
  benign: false,
  returnCode: null,
  ...over,
});

describe("diagnoseFailure", () => {
  it("takes the parser's primary cause, with the messages behind it as instants", () => {
    const d = diagnoseFailure(
      event({
        cause: "files-changed",
        causes: ["files-changed", "files-skipped"],
        returnCode: 12,
        stats: stats(1),
        messages: [
          m("ANS1228E", "2008-01-30T00:25:28", null),
          m("ANS4037E", "2008-01-30T00:25:28", "files-changed", "Object '/var/log/test.log' changed during processing. Object skipped."),
        ],
      }),
      { os: "linux", utcOffsetMinutes: 60 },
    );
    expect(d?.cause).toBe("files-changed");
    expect(d?.evidence[0]).toEqual({
      kind: "message",
      code: "ANS4037E",
      at: "2008-01-29T23:25:28.000Z",
      text: "ANS4037E: Object '/var/log/test.log' changed during processing. Object skipped.",
    });
    const texts = d?.evidence.map((f) => f.text).join("\n");
    expect(texts).toMatch(/1 object\(s\) failed of 214391 inspected/);
    expect(texts).toMatch(/return code 12/);
    expect(texts).toMatch(/also shows files-skipped/);
    expect(d?.remedy.join(" ")).toMatch(/exclude them from backup/);
    expect(d?.benign).toBe(false);
  });

  it("shows a sign-off-only failure as benign, with nothing to do", () => {
    const d = diagnoseFailure(
      event({
        cause: "sign-off-only",
        causes: ["sign-off-only"],
        benign: true,
        returnCode: 12,
        stats: stats(0),
        messages: [m("ANS1512E", "2007-11-01T16:27:42", null)],
      }),
      { os: "win32", utcOffsetMinutes: 0 },
    );
    expect(d).toMatchObject({ cause: "sign-off-only", benign: true });
    expect(d?.evidence[0]).toMatchObject({ code: "ANS1512E" });
    expect(d?.remedy.join(" ")).not.toMatch(/manual backup/);
  });

  it("diagnoses a severed event from its communication messages", () => {
    const d = diagnoseFailure(
      event({
        status: "severed",
        cause: "communication-lost",
        causes: ["communication-lost"],
        messages: [m("ANS1017E", "2014-06-27T20:42:37", "communication-lost")],
      }),
      { os: "darwin", utcOffsetMinutes: 0 },
    );
    expect(d?.cause).toBe("communication-lost");
    expect(d?.evidence.map((f) => f.text)).toContain("no status block: how much was saved is unknown");
    expect(d?.remedy.join(" ")).toMatch(/Energy Saver/);
  });

  it("calls an aborted event with no cause `aborted`, and a failure with none `unknown`", () => {
    expect(diagnoseFailure(event({ status: "aborted" }), { os: null, utcOffsetMinutes: 0 })?.cause).toBe("aborted");
    const unknown = diagnoseFailure(event({ status: "failed", returnCode: 12 }), { os: "linux", utcOffsetMinutes: 0 });
    expect(unknown?.cause).toBe("unknown");
    expect(unknown?.remedy.join(" ")).toMatch(/backup team/);
  });

  it("diagnoses a completed event the parser gave a cause (skipped files)", () => {
    const d = diagnoseFailure(
      event({ status: "completed", cause: "files-skipped", causes: ["files-skipped"], returnCode: 4, stats: stats(3) }),
      {
        os: "linux",
        utcOffsetMinutes: 0,
      },
    );
    expect(d?.cause).toBe("files-skipped");
  });

  it("has nothing to say of a clean success or an event still running", () => {
    expect(diagnoseFailure(event({ status: "completed", returnCode: 0, stats: stats(0) }), { os: null, utcOffsetMinutes: 0 })).toBeNull();
    expect(diagnoseFailure(event({ status: "in-progress" }), { os: null, utcOffsetMinutes: 0 })).toBeNull();
  });
});

describe("severedBySilence", () => {
  const t = (hhmm: string, day = 5) => new Date(`2026-01-0${day}T${hhmm}:00Z`);
  const run = { status: "in-progress" as const, startedAt: t("22:05"), windowClosesAt: t("23:00"), lastHeartbeatAt: t("22:30") };

  it("severs an in-progress event whose agent has been silent past the window", () => {
    const out = severedBySilence(run, { os: "win32" }, t("23:30"));
    expect(out?.outcome).toBe("severed");
    expect(out?.diagnosis.cause).toBe("machine-died");
    expect(out?.diagnosis.evidence.map((f) => f.text).join(" ")).toMatch(
      /began at 2026-01-05T22:05:00.000Z and never ended.*last heartbeat was at 2026-01-05T22:30:00.000Z, 60 minutes ago/s,
    );
    expect(out?.diagnosis.remedy.at(-1)).toMatch(/^Run a manual backup now/);
  });

  it("waits while the agent still beats: a backup may run past its window", () => {
    expect(severedBySilence({ ...run, lastHeartbeatAt: t("02:55", 6) }, { os: null }, t("03:00", 6))).toBeNull();
  });

  it("waits until the window has been closed for the silence period", () => {
    expect(severedBySilence(run, { os: null }, t("23:29"))).toBeNull();
    expect(severedBySilence({ ...run, lastHeartbeatAt: t("21:00") }, { os: null }, t("23:20"))).toBeNull();
  });

  it("uses the site's silence period", () => {
    expect(severedBySilence(run, { os: null }, t("23:15"), { severedAfterSilentMinutes: 15 })?.outcome).toBe("severed");
  });

  it("leaves alone events that are not in progress, windows that never close, and nodes with no agent", () => {
    expect(severedBySilence({ ...run, status: "completed" }, { os: null }, t("03:00", 6))).toBeNull();
    expect(severedBySilence({ ...run, windowClosesAt: null }, { os: null }, t("03:00", 6))).toBeNull();
    expect(severedBySilence({ ...run, lastHeartbeatAt: null }, { os: null }, t("03:00", 6))).toBeNull();
  });
});
