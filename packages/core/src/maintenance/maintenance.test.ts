import { describe, expect, it } from "vitest";
import { isInside, type MaintenanceWindow, maintenanceAt, maintenanceInput, maintenanceProblem } from "./maintenance";

const base: MaintenanceWindow = {
  id: "m1",
  name: "Saturday patching",
  scope: "fleet",
  target: "",
  startsAt: null,
  endsAt: null,
  cron: "0 20 * * 6",
  timeZone: "Europe/London",
  durationMinutes: 8 * 60,
};

describe("maintenance windows", () => {
  it("a recurring window covers its duration from each start, in its own time zone", () => {
    // Saturday 5 Dec 2026, 20:00 London (GMT) until 04:00 Sunday.
    expect(isInside(base, new Date("2026-12-05T19:59:00Z"))).toBe(false);
    expect(isInside(base, new Date("2026-12-05T20:00:00Z"))).toBe(true);
    expect(isInside(base, new Date("2026-12-06T03:59:00Z"))).toBe(true);
    expect(isInside(base, new Date("2026-12-06T04:00:00Z"))).toBe(false);
    // In June London is on BST: 20:00 local is 19:00 UTC.
    expect(isInside(base, new Date("2026-06-06T19:30:00Z"))).toBe(true);
  });

  it("a one-off window covers [start, end)", () => {
    const once = {
      ...base,
      cron: null,
      durationMinutes: null,
      startsAt: new Date("2026-12-08T21:00:00Z"),
      endsAt: new Date("2026-12-09T02:00:00Z"),
    };
    expect(isInside(once, new Date("2026-12-08T22:00:00Z"))).toBe(true);
    expect(isInside(once, new Date("2026-12-09T02:00:00Z"))).toBe(false);
  });

  it("applies by scope: the fleet, one node, a server's or a profile's nodes", () => {
    const at = new Date("2026-12-05T22:00:00Z");
    const pc = { id: "n1", server: "TSM1" };
    expect(maintenanceAt([base], pc, at)?.id).toBe("m1");
    expect(maintenanceAt([{ ...base, scope: "node", target: "n2" }], pc, at)).toBeNull();
    expect(maintenanceAt([{ ...base, scope: "server", target: "TSM1" }], pc, at)?.id).toBe("m1");
    expect(maintenanceAt([{ ...base, scope: "profile", target: "Laptop" }], { ...pc, profile: "laptop" }, at)?.id).toBe("m1");
    expect(maintenanceAt([{ ...base, scope: "profile", target: "laptop" }], { ...pc, profile: "server" }, at)).toBeNull();
    expect(maintenanceAt([{ ...base, scope: "profile", target: "laptop" }], pc, at)).toBeNull();
    expect(maintenanceAt([{ ...base, scope: "group", target: "tag:lab" }], { ...pc, groupWindows: new Set(["m1"]) }, at)?.id).toBe("m1");
    expect(maintenanceAt([{ ...base, scope: "group", target: "tag:lab" }], pc, at)).toBeNull();
  });

  it("says in one line what is wrong with a definition", () => {
    expect(maintenanceProblem({ ...base, cron: "61 * * * *" })).toMatch(/^the cron expression "61 \* \* \* \*" is not valid/);
    expect(maintenanceProblem({ ...base, timeZone: "Mars/Olympus" })).toMatch(/unknown time zone/);
    expect(maintenanceProblem({ ...base, durationMinutes: null })).toMatch(/needs its duration/);
    expect(maintenanceProblem({ ...base, scope: "group", target: "colour:blue" })).toMatch(/^"colour:blue" is no group: write kind:value/);
    expect(maintenanceProblem({ ...base, scope: "node" })).toMatch(/needs the node/);
    const parsed = maintenanceInput.safeParse({
      name: "x",
      scope: "fleet",
      startsAt: "2026-12-09T00:00:00Z",
      endsAt: "2026-12-08T00:00:00Z",
    });
    expect(parsed.success ? null : parsed.error.issues[0]?.message).toBe("the end must come after the start");
  });
});
