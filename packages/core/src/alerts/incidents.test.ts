import { describe, expect, it } from "vitest";
import { findIncidents, type IncidentCandidate } from "./incidents";

const node = (name: string, over: Partial<IncidentCandidate> = {}): IncidentCandidate => ({
  nodeId: name,
  name,
  server: "TSM1",
  night: "2026-03-16",
  cause: "server-refused",
  severity: "warning",
  since: new Date("2026-03-16T21:00:00Z"),
  ...over,
});

describe("incidents", () => {
  it("many nodes of a server failing one night for one cause are one incident listing them", () => {
    const [i, ...rest] = findIncidents(
      [node("PC3"), node("PC1"), node("PC2"), node("PC4", { cause: "files-changed" })],
      new Map([["TSM1", 5]]),
    );
    expect(rest).toEqual([]);
    expect(i?.members.map((m) => m.name)).toEqual(["PC1", "PC2", "PC3"]);
    expect(i?.title).toBe("TSM server TSM1: 3 of 5 nodes without a backup on 16 Mar (TSM server refused the session)");
    expect(i?.key).toBe("incident:TSM1:2026-03-16:server-refused");
  });

  it("a few nodes of a large server, or two nodes, are their own alerts only", () => {
    expect(findIncidents([node("PC1"), node("PC2"), node("PC3")], new Map([["TSM1", 40]]))).toEqual([]);
    expect(findIncidents([node("PC1"), node("PC2")], new Map([["TSM1", 2]]))).toEqual([]);
  });
});
