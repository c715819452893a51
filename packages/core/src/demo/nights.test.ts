import { describe, expect, it } from "vitest";
import { expectedWindows, scheduleDefinition, windowsToJudge } from "../windows";
import { generateDemoFleet } from "./fleet";
import { demoGraceMinutes, demoNightOf } from "./nights";

const fleet = generateDemoFleet({ nodes: 36, nights: 30, lastNight: "2026-12-07" });

describe("a demo node's newest night", () => {
  it("waits as long as the node's profile on a new site: a server 10 min, a laptop 60, a desktop the site's 10", () => {
    const srv = fleet.find((n) => n.name.includes("-SRV")) as (typeof fleet)[0];
    const mac = fleet.find((n) => n.name.includes("-MAC")) as (typeof fleet)[0];
    const pc = fleet.find((n) => n.name.includes("-PC")) as (typeof fleet)[0];
    expect([demoGraceMinutes(srv), demoGraceMinutes(mac), demoGraceMinutes(pc)]).toEqual([10, 60, 10]);
  });

  it("is tonight's for a server at midnight once its window closed and the grace passed, not 15 min after", () => {
    const srv = { name: "CHEM-SRV001", os: "linux" as const, startHour: 0 };
    expect(demoNightOf(srv, Date.parse("2026-12-08T01:09:59Z"))).toBe("2026-12-07");
    expect(demoNightOf(srv, Date.parse("2026-12-08T01:10:00Z"))).toBe("2026-12-08");
  });

  it("is, at every hour of the day, the newest window the judge would call MISSED with nothing reported", () => {
    const base = Date.parse("2026-12-08T00:00:00Z");
    // One node of each kind that matters: its window's hour, its offset and its profile's grace.
    const kinds = new Map(fleet.map((n) => [`${n.startHour} ${n.utcOffsetMinutes} ${demoGraceMinutes(n)}`, n]));
    expect(kinds.size).toBeGreaterThan(3);
    for (const node of kinds.values()) {
      const schedule = scheduleDefinition.parse({ name: node.schedule, startTime: `${String(node.startHour).padStart(2, "0")}:00` });
      const expected = expectedWindows(schedule, "2026-12-05T00:00:00", "2026-12-10T00:00:00");
      for (let t = base; t < base + 86_400_000; t += 5 * 60_000) {
        const judged = windowsToJudge({
          expected,
          recorded: [],
          utcOffsetMinutes: node.utcOffsetMinutes,
          now: new Date(t),
          graceMinutes: demoGraceMinutes(node),
        });
        const newest = judged.at(-1)?.start.slice(0, 10);
        expect(`${node.name} at ${new Date(t).toISOString()}: ${demoNightOf(node, t)}`).toBe(
          `${node.name} at ${new Date(t).toISOString()}: ${newest}`,
        );
      }
    }
  });
});
