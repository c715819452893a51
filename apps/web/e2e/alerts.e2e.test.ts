import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { query } from "./api";
import { e2eEnv, screenshot, signedInPage } from "./browser";

interface AlertPage {
  total: number;
  rows: { id: string; kind: string; state: string; severity: string; title: string; node: { id: string } | null }[];
}

/** "12 open · 7 unacknowledged · 2 critical" as numbers. */
async function headerCounts(page: Page) {
  const text = (await page.getByTestId("alert-counts").textContent()) ?? "";
  const m = /(\d+) open · (\d+) unacknowledged/.exec(text);
  if (!m) throw new Error(`no counts in "${text}"`);
  return { open: Number(m[1]), unacknowledged: Number(m[2]) };
}

describe("alerts: one per problem, with a lifecycle", () => {
  const env = e2eEnv();
  let page: Page;
  signedInPage(env, (p) => {
    page = p;
  });

  it("the demo fleet has at most one live alert per node and condition, worst first", async () => {
    const live: AlertPage["rows"] = [];
    for (let p = 1; ; p++) {
      const got = await query<AlertPage>(page, env.url, "alerts.list", { state: "live", page: p, pageSize: 200 });
      live.push(...got.rows);
      if (live.length >= got.total || got.rows.length === 0) break;
    }
    expect(live.length).toBeGreaterThan(0);
    const keys = live.filter((a) => a.node).map((a) => `${a.node?.id}:${a.kind}`);
    expect(new Set(keys).size).toBe(keys.length);
    const nodes = new Set(live.map((a) => a.node?.id)).size;
    // 36 demo nodes: a handful of conditions each at most, never one per night of history.
    expect(live.length).toBeLessThanOrEqual(nodes * 3);
    const rank = { critical: 0, warning: 1, info: 2 } as Record<string, number>;
    const order = live.map((a) => rank[a.severity] ?? 3);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it("acknowledging with a note lowers the unacknowledged count; resolving by hand takes it off the list, with a history", async () => {
    await page.goto(`${env.url}/alerts`);
    const before = await headerCounts(page);
    const row = page
      .getByTestId("alert-row")
      .filter({ has: page.getByRole("button", { name: "Acknowledge", exact: true }) })
      .first();
    await row.waitFor();
    const title = (await row.locator("strong").first().textContent())!;
    await row.getByRole("button", { name: "Acknowledge", exact: true }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel(/Note/).fill("on it, calling the user");
    await dialog.getByRole("button", { name: "Acknowledge", exact: true }).click();
    const mine = page.getByTestId("alert-row").filter({ hasText: title });
    await mine
      .filter({ hasText: `acknowledged by ${env.email}` })
      .filter({ hasText: ": on it, calling the user" })
      .waitFor();
    await expect.poll(async () => (await headerCounts(page)).unacknowledged, { timeout: 15_000 }).toBe(before.unacknowledged - 1);
    expect((await headerCounts(page)).open).toBe(before.open);

    await mine.getByRole("button", { name: "Resolve…" }).click();
    await page
      .getByRole("dialog")
      .filter({ hasText: "Resolve:" })
      .getByLabel(/Reason/)
      .fill("user reinstalled the client");
    await page.getByRole("dialog").filter({ hasText: "Resolve:" }).getByRole("button", { name: "Resolve", exact: true }).click();
    await expect.poll(async () => (await headerCounts(page)).open, { timeout: 15_000 }).toBe(before.open - 1);
    await expect.poll(() => page.getByTestId("alert-row").filter({ hasText: title }).count(), { timeout: 15_000 }).toBe(0);

    await page.goto(`${env.url}/alerts?state=resolved`);
    const resolved = page.getByTestId("alert-row").filter({ hasText: title }).first();
    await resolved.filter({ hasText: `by ${env.email}: user reinstalled the client` }).waitFor();
    await resolved.getByText("History", { exact: true }).click();
    const history = resolved.locator("ol");
    await history.getByText("Resolved").waitFor();
    const lines = await history.locator("li").allTextContents();
    expect(lines[0]).toMatch(/Opened/);
    expect(lines.some((l) => /Acknowledged by .*on it, calling the user/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(`Resolved by ${env.email}: user reinstalled the client`);
    await screenshot(page, "alerts-resolved");
  });

  it("filters by severity, and says so when a filter in the URL is unknown", async () => {
    await page.goto(`${env.url}/alerts?severity=critical&kind=bogus`);
    await page.getByText('Ignored an unknown filter: kind "bogus".').waitFor();
    await expect.poll(() => page.evaluate(() => window.location.search), { timeout: 15_000 }).toBe("?severity=critical");
    const severities = await page.getByTestId("alert-row").evaluateAll((rows) => rows.map((r) => r.className));
    for (const c of severities) expect(c).toMatch(/critical/);
    await page.goto(`${env.url}/alerts`);
    await screenshot(page, "alerts");
  });
});
