import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SERVER_SETTINGS } from "./server-config";
import { settingsTable, settingsTableIn } from "./settings-table";

const repoRoot = join(import.meta.dirname, "..", "..", "..", "..");
const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
const NAME = /\b(?:FLEETWATCH|NEXTAUTH)_[A-Z0-9_]+\b/g;

/** The agent's own variables (apps/agent has its own schema), as its source names them. */
function agentVariables(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith(".ts")) for (const m of readFileSync(path, "utf8").matchAll(NAME)) names.add(m[0]);
    }
  };
  walk(join(repoRoot, "apps", "agent", "src"));
  return names;
}

describe("the README's settings table", () => {
  it("is the one generated from the schema (pnpm readme:settings rewrites it)", () => {
    expect(settingsTableIn(readme), "run pnpm readme:settings").toBe(settingsTable());
  });

  it("lists every setting of the schema with its default", () => {
    const rows = (settingsTableIn(readme) ?? "").split("\n").map((line) => line.split("|").map((cell) => cell.trim()));
    const documented = new Map(rows.map(([, name = "", shownDefault]) => [name.replace(/`/g, ""), shownDefault]));
    for (const [name, setting] of Object.entries(SERVER_SETTINGS)) expect(documented.get(name), name).toBe(setting.shownDefault);
  });

  it("names no FLEETWATCH_ or NEXTAUTH_ variable anywhere that is neither a server setting nor the agent's", () => {
    const agent = agentVariables();
    const unknown = [...new Set(readme.match(NAME) ?? [])].filter((name) => !(name in SERVER_SETTINGS) && !agent.has(name));
    expect(unknown).toEqual([]);
  });
});
