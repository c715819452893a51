import { describe, expect, it } from "vitest";
import { generateDemoFleet } from "./fleet";
import { renderDemoLogs } from "./log-writer";

describe("demo fleet", () => {
  const fleet = generateDemoFleet({ nodes: 36, nights: 30, lastNight: "2026-11-21" });

  it("is deterministic", () => {
    expect(generateDemoFleet({ nodes: 36, nights: 30, lastNight: "2026-11-21" })).toEqual(fleet);
  });

  it("plays every outcome", () => {
    const kinds = new Set(fleet.flatMap((n) => n.nights.slice(n.activeFrom).map((night) => night.kind)));
    expect([...kinds].sort()).toEqual(["aborted", "completed", "failed", "in-progress", "missed", "severed"]);
  });

  it("has a duplicate pair: the old node only misses after the rebuild", () => {
    const old = fleet.find((n) => n.replacedBy);
    const successor = fleet.find((n) => n.name === old?.replacedBy);
    expect(old && successor).toBeTruthy();
    expect(old?.nights.slice(successor?.activeFrom).every((n) => n.kind === "missed")).toBe(true);
  });

  it("has a retired machine: its log ends 72 days before the newest night, every night since missed", () => {
    const retired = fleet.filter((n) => n.retiredDaysAgo !== null);
    expect(retired.map((n) => [n.name, n.retiredDaysAgo])).toEqual([["HIST-PC027", 72]]);
    expect(retired[0]?.nights.every((n) => n.kind === "missed")).toBe(true);
    const { sched } = renderDemoLogs(retired[0] as (typeof retired)[0], "2026-11-21");
    const runs = [...sched.matchAll(/SCHEDULEREC OBJECT BEGIN \S+ (\S+)/g)].map((m) => m[1]);
    expect(runs).toHaveLength(14);
    // 72 days before 21 November is 10 September, in the node's own date format.
    expect(sched).toMatch(/SCHEDULEREC OBJECT BEGIN \S+ (2026-09-10|10-09-2026|09\/10\/2026|10\.09\.2026)/);
  });

  it("writes real-format scheduler log lines", () => {
    const node = fleet.find((n) => n.dateFormat === "DD-MM-YYYY") ?? fleet[0];
    const { sched } = renderDemoLogs(node as NonNullable<typeof node>, "2026-11-21");
    expect(sched).toMatch(/^\d{2}-\d{2}-2026 \d{2}:\d{2}:\d{2} Executing scheduled command now\.$/m);
    expect(sched).toMatch(/--- SCHEDULEREC OBJECT BEGIN \w+ \d{2}-\d{2}-2026 \d{2}:00:00/);
  });
});
