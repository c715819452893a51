import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { badgeJson, badgeMessage, badgeSvg } from "./badge-render";

/** Every text the SVG draws, in document order. */
function textsOf(svg: string): string[] {
  expect(XMLValidator.validate(svg)).toBe(true);
  const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === "text" || name === "g" }).parse(svg);
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) walk(child);
      return;
    }
    if (!node || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "text")
        for (const t of value as unknown[]) out.push(typeof t === "object" ? String((t as { "#text": unknown })["#text"]) : String(t));
      else walk(value);
    }
  };
  walk(doc.svg);
  return out;
}

describe("a badge", () => {
  const group = { kind: "group" as const, label: "fleet backups", counts: { protected: 12, "at-risk": 2, failing: 1 } };

  it("draws its label and the group's counts as an SVG", () => {
    const svg = badgeSvg(group);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(new Set(textsOf(svg))).toEqual(new Set(["fleet backups", "12 protected, 2 at risk, 1 failing"]));
    expect(svg).toContain("<title>fleet backups: 12 protected, 2 at risk, 1 failing</title>");
  });

  it("escapes a node name that looks like markup", () => {
    const svg = badgeSvg({ kind: "node", label: "<script>alert(1)</script> backup", state: "at-risk" });
    expect(svg).not.toContain("<script>");
    expect(textsOf(svg)).toContain("<script>alert(1)</script> backup");
  });

  it("is shields.io's endpoint JSON, coloured by the group's worst state", () => {
    expect(badgeJson(group)).toEqual({
      schemaVersion: 1,
      label: "fleet backups",
      message: "12 protected, 2 at risk, 1 failing",
      color: "red",
      cacheSeconds: 300,
    });
    expect(badgeJson({ ...group, counts: { protected: 3, "at-risk": 1, failing: 0 } }).color).toBe("yellow");
    expect(badgeJson({ ...group, counts: { protected: 3, "at-risk": 0, failing: 0 } }).color).toBe("brightgreen");
    expect(badgeJson({ ...group, counts: { protected: 0, "at-risk": 0, failing: 0 } })).toMatchObject({
      message: "no nodes",
      color: "lightgrey",
    });
  });

  it("says one node's state in words", () => {
    expect(badgeMessage({ kind: "node", label: "PC1 backup", state: "at-risk" })).toBe("at risk");
    expect(badgeJson({ kind: "node", label: "PC1 backup", state: "failing" })).toMatchObject({ message: "failing", color: "red" });
  });
});
