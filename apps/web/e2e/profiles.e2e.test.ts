import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { query } from "./api";
import { e2eEnv, screenshot, signedInPage } from "./browser";

interface NodeRow {
  id: string;
  name: string;
}
interface AlertRow {
  kind: string;
  title: string;
  node: { id: string; name: string } | null;
}

async function nodeByName(page: Page, url: string, name: string): Promise<NodeRow> {
  const list = await query<{ rows: NodeRow[] }>(page, url, "nodes.list", { search: name, page: 1, pageSize: 5 });
  const node = list.rows.find((n) => n.name === name);
  if (!node) throw new Error(`no demo node ${name}`);
  return node;
}

async function liveAlerts(page: Page, url: string): Promise<AlertRow[]> {
  return (await query<{ rows: AlertRow[] }>(page, url, "alerts.list", { state: "live", page: 1, pageSize: 200 })).rows;
}

describe("profiles and exceptions on the demo fleet", () => {
  const env = e2eEnv();
  let page: Page;
  signedInPage(env, (p) => {
    page = p;
  });

  it("the Profiles page puts every node in one profile, as its rules say", async () => {
    await page.goto(`${env.url}/profiles`);
    const table = page.getByTestId("profiles-table");
    await table.waitFor();
    const count = async (name: string) => Number(await table.locator(`tr[data-profile="${name}"] td`).nth(1).textContent());
    const nodes = await query<{ total: number }>(page, env.url, "nodes.list", { page: 1, pageSize: 1 });
    const servers = await query<{ total: number }>(page, env.url, "nodes.list", { search: "-SRV", page: 1, pageSize: 1 });
    expect((await count("server")) + (await count("laptop")) + (await count("workstation"))).toBe(nodes.total);
    expect(await count("server")).toBe(servers.total);
    await expect(table.locator('tr[data-profile="server"]').textContent()).resolves.toContain("name=*-SRV*");
    await expect(table.locator('tr[data-profile="laptop"]').textContent()).resolves.toContain("at risk after 96 h without a backup");
    await screenshot(page, "profiles");
  });

  it("a server's page names its profile and the rule; the bypassed lab machine says so and has no alert", async () => {
    const server = await nodeByName(page, env.url, "CHEM-SRV001");
    await page.goto(`${env.url}/nodes/${server.id}`);
    await expect(page.getByTestId("node-profile").textContent()).resolves.toContain("Profile server (by rule: name *-SRV*)");

    const lab = await nodeByName(page, env.url, "MATHS-PC028");
    await page.goto(`${env.url}/nodes/${lab.id}`);
    const text = await page.getByTestId("node-profile").textContent();
    expect(text).toContain("bypassed: watched, never alerted");
    // Watched: its failed nights are still on its page.
    await expect(page.locator("body").textContent()).resolves.toMatch(/FAILED/i);
    const alerts = await liveAlerts(page, env.url);
    expect(alerts.filter((a) => a.node?.name === "MATHS-PC028")).toEqual([]);
    await screenshot(page, "node-bypassed");
  });

  it("the retired machine is one alert, the stale ladder's, naming the day deregistration will be proposed", async () => {
    const alerts = (await liveAlerts(page, env.url)).filter((a) => a.node?.name === "HIST-PC027");
    expect(alerts.map((a) => a.kind)).toEqual(["stale"]);
    const node = await nodeByName(page, env.url, "HIST-PC027");
    await page.goto(`${env.url}/nodes/${node.id}`);
    await expect(page.locator("body").textContent()).resolves.toMatch(/deregistration will be proposed on \d{4}-\d{2}-\d{2}/);
  });

  it("an operator's exception shows on the node's page and refuses nonsense in one line", async () => {
    const node = await nodeByName(page, env.url, "PHYS-PC026");
    await page.goto(`${env.url}/nodes/${node.id}`);
    const section = page.getByTestId("node-profile");
    await section.getByText("Change its profile or make an exception").click();
    await section.getByLabel("At risk after (hours without a backup)").fill("200");
    await section.getByRole("button", { name: "Save" }).click();
    await section.getByRole("status").waitFor();
    // The page's data is read again after the save.
    await section.getByText("Its own exceptions: at risk after 200 h without a backup.").waitFor();

    await section.getByLabel("Stale after (days without contact)").fill("500");
    await section.getByRole("button", { name: "Save" }).click();
    const error = section.getByRole("alert");
    await error.waitFor();
    expect(await error.textContent()).toBe(
      "the node's override: the stale ladder must climb: staleDays < staleAgainDays <= staleRemovalDays - 7",
    );
  });
});
