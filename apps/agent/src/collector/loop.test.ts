import { describe, expect, it } from "vitest";
import { createLogger } from "../log";
import type { CollectionResult } from "./collection";
import { collectorLoop } from "./loop";

const ack = { nodes: 2, newNodes: 0, schedules: 1, associations: 2, events: 0, skippedSchedules: [] };
const ok: CollectionResult = { ok: true, ack, rejected: [], sent: { nodes: 2, schedules: 1, associations: 2, events: 0 } };

describe("the collector loop", () => {
  it("waits a jittered start, collects one at a time, logs failures and rejected rows and goes on", async () => {
    const stop = new AbortController();
    const waits: number[] = [];
    const events: string[] = [];
    let lines = "";
    let running = 0;
    const results: CollectionResult[] = [
      {
        ok: false,
        error: "select from STATUS: dsmadmc exited with code 206: ANS8023E Unable to establish session with server.",
        rejected: [],
      },
      { ...ok, rejected: [{ table: "NODES", row: 4, reason: "not a timestamp: yesterday" }] },
      ok,
    ];
    await collectorLoop(
      {
        collect: async () => {
          running++;
          expect(running).toBe(1);
          await new Promise((r) => setTimeout(r, 5));
          running--;
          const next = results.shift()!;
          events.push(next.ok ? "sent" : "failed");
          if (results.length === 0) stop.abort();
          return next;
        },
        intervalMs: 60 * 60_000,
        startupJitterMs: 60_000,
        log: createLogger({ write: (t: string) => (lines += t) }, "info", () => new Date(0)),
        random: () => 0.5,
        wait: async (ms) => {
          waits.push(ms);
        },
      },
      stop.signal,
    );
    expect(events).toEqual(["failed", "sent", "sent"]);
    expect(waits).toEqual([30_000, 3_600_000, 3_600_000]);
    const logged = lines.trim().split("\n");
    expect(logged[0]).toMatch(/ERROR server records not collected; trying again next interval error="select from STATUS: .*ANS8023E/);
    expect(logged[1]).toMatch(/WARN {2}NODES row 4 not sent: not a timestamp: yesterday$/);
    expect(logged[2]).toMatch(/INFO {2}server records sent nodes=2 newNodes=0 schedules=1 associations=2 events=0 rejectedRows=1$/);
    expect(logged).toHaveLength(4);
  });

  it("keeps going when a collection throws", async () => {
    const stop = new AbortController();
    let calls = 0;
    let lines = "";
    await collectorLoop(
      {
        collect: async () => {
          if (++calls === 2) stop.abort();
          throw new Error("disk on fire");
        },
        intervalMs: 1000,
        startupJitterMs: 0,
        log: createLogger({ write: (t: string) => (lines += t) }),
        wait: async () => {},
      },
      stop.signal,
    );
    expect(calls).toBe(2);
    expect(lines).toContain('error="disk on fire"');
  });
});
