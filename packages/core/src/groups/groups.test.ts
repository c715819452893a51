import { describe, expect, it } from "vitest";
import { generateDemoFleet } from "../demo";
import {
  departmentFromName,
  departmentNamePrefixes,
  departmentOf,
  groupHealth,
  groupParam,
  parseGroupParam,
  savedViewPath,
  tagName,
} from ".";

describe("a node's department", () => {
  it("is the name's prefix before the first dash or underscore, upper case", () => {
    expect(departmentFromName("CHEM-PC025")).toBe("CHEM");
    expect(departmentFromName("law_srv1")).toBe("LAW");
    expect(departmentFromName("MATHS-MAC004-NEW")).toBe("MATHS");
  });

  it("is not guessed for a name without a prefix", () => {
    expect(departmentFromName("SERVER1")).toBeNull();
    expect(departmentFromName("-PC1")).toBeNull();
    expect(departmentFromName("A.B-PC1")).toBeNull();
  });

  it("is the staff's when they set one", () => {
    expect(departmentOf({ name: "CHEM-PC025", department: "BIOCHEM" })).toBe("BIOCHEM");
    expect(departmentOf({ name: "CHEM-PC025", department: null })).toBe("CHEM");
  });

  it("gives every demo node its department, and the prefixes find exactly the names the rule gives", () => {
    const fleet = generateDemoFleet({ nodes: 40, nights: 3, lastNight: "2026-12-01" });
    for (const n of fleet) {
      const dept = departmentFromName(n.name);
      expect(dept, n.name).toBe(n.name.split("-")[0]);
      for (const other of ["CHEM", "CS", "MATHS", "C"]) {
        const byPrefix = departmentNamePrefixes(other).some((p) => n.name.toUpperCase().startsWith(p));
        expect(byPrefix, `${n.name} in ${other}`).toBe(dept === other);
      }
    }
  });
});

describe("a tag", () => {
  it("is trimmed and lower case", () => {
    expect(tagName.parse("  Lab Servers ")).toBe("lab servers");
  });
  it("refuses what is not a name, in one line", () => {
    expect(tagName.safeParse("").success).toBe(false);
    expect(tagName.safeParse("<b>x</b>").success).toBe(false);
    expect(tagName.safeParse("x".repeat(41)).success).toBe(false);
  });
});

describe("a group in the URL", () => {
  it("round-trips", () => {
    for (const scope of [
      { kind: "department", value: "CHEM" },
      { kind: "contact", value: "chem-it@example.ac.uk" },
      { kind: "server", value: "TSM1:1500" },
      { kind: "profile", value: "laptop" },
      { kind: "tag", value: "lab servers" },
    ] as const)
      expect(parseGroupParam(groupParam(scope))).toEqual(scope);
  });
  it("normalises a department and a tag, and drops what is not a group", () => {
    expect(parseGroupParam("department:chem")).toEqual({ kind: "department", value: "CHEM" });
    expect(parseGroupParam("tag:Lab")).toEqual({ kind: "tag", value: "lab" });
    expect(parseGroupParam("planet:x")).toBeNull();
    expect(parseGroupParam("department")).toBeNull();
    expect(parseGroupParam("department:")).toBeNull();
    expect(parseGroupParam("department:CH EM")).toBeNull();
  });
});

describe("a group's health", () => {
  const now = new Date("2026-12-01T08:00:00Z");
  it("counts what the overview's cards count", () => {
    const h = groupHealth(
      [
        { lastCompletedAt: new Date("2026-12-01T01:00:00Z"), lastOutcome: "completed", atRisk: false },
        { lastCompletedAt: new Date("2026-11-30T01:00:00Z"), lastOutcome: "failed", atRisk: false },
        { lastCompletedAt: new Date("2026-11-20T01:00:00Z"), lastOutcome: "missed", atRisk: true },
        { lastCompletedAt: null, lastOutcome: "in-progress", atRisk: true },
      ],
      { now, atRiskHours: 72 },
    );
    expect(h).toEqual({ nodes: 4, protected: 2, atRisk: 2, failing: 2 });
  });
});

describe("a saved view's address", () => {
  it("is the overview or the node list with a query", () => {
    expect(savedViewPath.parse("/nodes?group=tag%3Alab&flag=locked")).toBe("/nodes?group=tag%3Alab&flag=locked");
    expect(savedViewPath.parse("/?group=department%3ACHEM")).toBe("/?group=department%3ACHEM");
  });
  it("never leads elsewhere", () => {
    for (const bad of ["https://evil.example/", "//evil.example/nodes", "/settings", "/nodes#x", "nodes", "/nodes/../settings"])
      expect(savedViewPath.safeParse(bad).success, bad).toBe(false);
  });
});
