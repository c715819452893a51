import { describe, expect, it } from "vitest";
import { ansCatalogue, lookupAns, remedyKeys } from "../src/catalogue/index";

/** shared/spec/parse-contract.md, "Causes, in priority order": the evidence table, verbatim. */
const contract: Record<string, string[]> = {
  "node-locked": ["ANS1361E", "ANS1533E"],
  "password-expired": ["ANS1352E", "ANS1831E", "ANS1418E"],
  "auth-failure": ["ANS1025E", "ANS1353E", "ANS5046E", "ANS2050E", "ANS1503E", "ANS1835E"],
  "server-refused": ["ANS1351E", "ANS1354E", "ANS1355E", "ANS1357S", "ANS1359E", "ANS1364E", "ANS1365E"],
  "cancelled-by-server": ["ANS1369E"],
  "server-out-of-space": ["ANS1311E", "ANS1329S"],
  "invalid-domain": ["ANS1071E", "ANS1063E", "ANS1134E", "ANS1149E"],
  "out-of-memory": ["ANS1030E"],
  "pre-command-failed": ["ANS1902E"],
  "communication-lost": ["ANS1017E", "ANS1029E", "ANS1811S", "ANS5216E", "ANS9020E"],
  "corrupt-files": ["ANS4023E", "ANS4046E", "ANS4047E"],
  "files-changed": ["ANS4037E", "ANS4987E"],
  "files-skipped": ["ANS4005E", "ANS4007E", "ANS4042E"],
};

describe("ANS catalogue", () => {
  it.each(Object.entries(contract))("%s: every code of the contract maps to it", (cause, codes) => {
    for (const code of codes) expect(lookupAns(code)?.cause, code).toBe(cause);
  });

  it("gives causes only to the contract's codes", () => {
    const withCause = [...ansCatalogue.values()]
      .filter((e) => e.cause !== null)
      .map((e) => e.code)
      .sort();
    expect(withCause).toEqual(Object.values(contract).flat().sort());
  });

  it("flags the evidence messages", () => {
    expect(lookupAns("ANS8004W")?.flag).toBe("password-expiring");
    expect(lookupAns("ANS1814E")?.flag).toBe("window-elapsed");
    expect(lookupAns("ANS1815E")?.flag).toBe("window-elapsed");
    expect(lookupAns("ANS1810I")?.flag).toBe("reconnected");
    expect(lookupAns("ANS1977E")?.flag).toBe("scheduler-start-failed");
  });

  it("covers the codes seed 000 names, with severity from the code and a known remedy", () => {
    for (const code of [
      "ANS1228E",
      "ANS4037E",
      "ANS1802E",
      "ANS1512E",
      "ANS1071E",
      "ANS1063E",
      "ANS1134E",
      "ANS1030E",
      "ANS4023E",
      "ANS4046E",
      "ANS4047E",
    ]) {
      expect(lookupAns(code), code).toBeDefined();
    }
    for (const entry of ansCatalogue.values()) {
      expect(entry.code).toMatch(/^ANS\d{4}[IWES]$/);
      expect(entry.severity).toBe(entry.code[7]);
      expect(remedyKeys).toContain(entry.remedy);
    }
    expect(lookupAns("ans1512e")?.code).toBe("ANS1512E");
    expect(lookupAns("ANS0000E")).toBeUndefined();
  });
});
