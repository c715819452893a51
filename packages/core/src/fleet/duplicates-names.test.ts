import { describe, expect, it } from "vitest";
import { nameMatch, normaliseNodeName } from "./duplicates-names";

const match = (a: string, b: string) => nameMatch(normaliseNodeName(a), normaliseNodeName(b));

describe("normaliseNodeName", () => {
  it("folds case and separators and takes off re-registration suffixes", () => {
    expect(normaliseNodeName("chem_pc7-old")).toEqual({ full: "CHEMPC7OLD", base: "CHEMPC7", suffixes: ["OLD"], kinds: ["marker"] });
    expect(normaliseNodeName("SRV-2019-NEW")).toMatchObject({ base: "SRV", suffixes: ["NEW", "2019"], kinds: ["marker", "date"] });
    expect(normaliseNodeName("LAPTOP2")).toMatchObject({ base: "LAPTOP", kinds: ["counter"] });
    expect(normaliseNodeName("PC20190131")).toMatchObject({ base: "PC", kinds: ["date"] });
  });

  it("keeps what is part of the name", () => {
    expect(normaliseNodeName("GOLD").base).toBe("GOLD");
    expect(normaliseNodeName("CHEM-PC001").base).toBe("CHEMPC001");
    expect(normaliseNodeName("SRV-001").base).toBe("SRV001");
    expect(normaliseNodeName("PC-12345").base).toBe("PC12345");
    expect(normaliseNodeName("OLD").base).toBe("OLD");
    expect(normaliseNodeName("HOST20191399").base).toBe("HOST20191399");
  });
});

describe("nameMatch", () => {
  it.each([
    ["CHEM-PC7", "chem_pc7"],
    ["CHEM-PC7", "CHEM-PC7-OLD"],
    ["CHEM-PC7-OLD", "CHEM-PC7-NEW"],
    ["LAPTOP", "LAPTOP2"],
    ["LAPTOP-2", "LAPTOP-OLD"],
    ["SRV", "SRV-20190131"],
    ["SRV2019", "SRV2021"],
    ["JSMITH.DESKTOP", "jsmith-desktop_bak"],
  ])("matches %s and %s", (a, b) => {
    expect(match(a, b)).not.toBeNull();
  });

  it.each([
    ["CHEM-PC001", "CHEM-PC002"],
    ["LAB-PC1", "LAB-PC2"],
    ["GOLD", "G"],
    ["PHYS-SRV001", "CHEM-SRV001"],
    ["HIST-MAC003", "HIST-MAC003X"],
  ])("does not match %s and %s", (a, b) => {
    expect(match(a, b)).toBeNull();
  });

  it("says which suffix made the match", () => {
    expect(match("CHEM-PC7", "CHEM-PC7-OLD")).toBe("the same name plus the suffix OLD");
    expect(match("SRV", "SRV-2019")).toBe("the same name plus the date 2019");
  });
});
