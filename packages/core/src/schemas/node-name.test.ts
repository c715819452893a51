import { describe, expect, it } from "vitest";
import { nodeName } from "./ingest";
import { tsmNameProblem } from "./limits";

const refused = (name: string) => {
  const r = nodeName.safeParse(name);
  return r.success ? null : r.error.issues.map((i) => i.message).join("; ");
};

describe("a TSM node name (the server's naming rule)", () => {
  it("takes what TSM takes, upper-cased", () => {
    for (const name of ["law-pc005", "CHEM-PC025", "A", "WEB_01.PROD", "R&D+LAB", "X".repeat(64)]) {
      expect(refused(name)).toBeNull();
    }
    expect(nodeName.parse(" law-pc005 ")).toBe("LAW-PC005");
  });

  it("refuses markup, quotes, spaces and other characters TSM does not allow, naming them", () => {
    expect(refused("<SCRIPT>ALERT(1)</SCRIPT>")).toBe("not a TSM node name: < > ( ) / cannot be in one (only A-Z, 0-9 and _ . - + &)");
    expect(refused('ODD"NODE&<B>X</B>')).toMatch(/^not a TSM node name: " < > \/ cannot be in one/);
    expect(refused("MY NODE")).toMatch(/: space cannot be/);
    expect(refused("DISCOUNT%1")).toMatch(/: % cannot be/);
    expect(refused("MÜNCHEN-PC1")).toMatch(/: Ü cannot be/);
    expect(refused("TAB\tNODE")).toMatch(/: U\+0009 cannot be/);
  });

  it("refuses an empty name and one longer than 64 characters, saying so", () => {
    expect(refused("  ")).toBe("a node name cannot be empty");
    expect(refused("X".repeat(65))).toBe("a TSM node name has at most 64 characters, this one 65");
  });

  it("agrees with tsmNameProblem on every printable ASCII character", () => {
    for (let c = 0x20; c < 0x7f; c++) {
      const ch = String.fromCharCode(c).toUpperCase();
      const allowed = /[A-Z0-9_.\-+&]/.test(ch);
      expect(tsmNameProblem(`N${ch}`) === null, `character ${JSON.stringify(ch)}`).toBe(allowed);
    }
  });
});
