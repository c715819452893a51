import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type NodeListRow, type Overview, query } from "./api";
import { DESKTOP, e2eEnv, launchBrowser, newPage, overflowsSideways, PHONE, screenshot, signIn } from "./browser";

type List = { total: number; rows: NodeListRow[] };

describe("node list", () => {
  const env = e2eEnv();
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    browser = await launchBrowser();
    ({ page, errors } = await newPage(browser));
    await signIn(page, env);
  });
  afterAll(async () => browser?.close());

  it("lists every active node with its count", async () => {
    await page.goto(`${env.url}/nodes`);
    const api = await query<List>(page, env.url, "nodes.list", {});
    await expect(page.getByTestId("node-total").textContent()).resolves.toContain(`${api.total} nodes`);
    expect(await page.getByTestId("node-row").count()).toBe(Math.min(api.total, 50));
    await screenshot(page, "nodes");
  });

  it("shows missed and failed nights both in a row and in the last 30, worst first by default (issue 16.2)", async () => {
    await page.goto(`${env.url}/nodes?pageSize=100`);
    const head = (await page.locator("thead").textContent()) ?? "";
    expect(head).toContain("Missed nights");
    expect(head).toContain("Failed nights");
    expect(head).toContain("in a row");
    expect(head).toContain("last 30");
    const rows = page.getByTestId("node-row");
    const count = await rows.count();
    const cell = async (i: number, id: string) => Number(await rows.nth(i).getByTestId(id).textContent());
    const seen: { name: string; streak: number; recent: number; missed30: number; missedStreak: number }[] = [];
    for (let i = 0; i < count; i++) {
      const missedStreak = await cell(i, "missed-streak");
      const missed30 = await cell(i, "missed-30");
      seen.push({
        name: (await rows.nth(i).locator("td.row-link a").textContent()) ?? "",
        streak: missedStreak + (await cell(i, "failed-streak")),
        recent: missed30 + (await cell(i, "failed-30")),
        missed30,
        missedStreak,
      });
    }
    expect(seen[0]!.streak).toBeGreaterThan(0);
    for (let i = 1; i < seen.length; i++) {
      const [a, b] = [seen[i - 1]!, seen[i]!];
      expect(a.streak > b.streak || (a.streak === b.streak && a.recent >= b.recent), `${a.name} before ${b.name}`).toBe(true);
    }
    // The "Missed 3 of 19" node: the 30-night column counts what its page lists, not the streak.
    const api = await query<{ rows: (NodeListRow & { missed30: number })[] }>(page, env.url, "nodes.list", { pageSize: 100 });
    const often = seen.find((r) => r.missed30 > r.missedStreak);
    expect(often, "a demo node that missed more nights than its current streak").toBeDefined();
    const id = api.rows.find((r) => r.name === often!.name)!.id;
    const node = await query<{ windows: { scheduledStart: string; outcome: string }[] }>(page, env.url, "nodes.byId", {
      nodeId: id,
      nights: 60,
    });
    const since = Date.now() - 30 * 86_400_000;
    const missed = node.windows.filter((w) => w.outcome === "missed" && Date.parse(w.scheduledStart) >= since).length;
    expect(often!.missed30).toBe(missed);
  });

  it("filters by the locked flag, in the URL, each row showing the badge", async () => {
    await page.getByLabel("Flag").selectOption("locked");
    await page.waitForURL(/[?&]flag=locked/);
    const api = await query<List>(page, env.url, "nodes.list", { flag: "locked" });
    const overview = await query<Overview>(page, env.url, "fleet.overview", { nights: 30 });
    expect(api.total).toBeGreaterThan(0);
    expect(api.total).toBe(overview.counts.locked);
    const rows = page.getByTestId("node-row");
    await expect(rows.count()).resolves.toBe(api.total);
    for (let i = 0; i < api.total; i++) await expect(rows.nth(i).locator('[data-flag="locked"]').count()).resolves.toBe(1);
    await expect(page.getByTestId("node-total").textContent()).resolves.toContain(String(api.total));
    await screenshot(page, "nodes-locked");
  });

  it("exports the filtered list as CSV", async () => {
    const api = await query<List>(page, env.url, "nodes.list", { flag: "locked" });
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^fleetwatch-nodes-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readFile((await download.path())!, "utf8");
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toContain("node");
    expect(lines.length).toBe(api.total + 1);
    for (const row of api.rows) expect(csv).toContain(row.name);
  });

  it("exports the screen's words, times in the viewer's zone and every cell filled, a MISSED node's cause too (issue 16.9)", async () => {
    // The browser's zone is New York (below): the export's times are New York's, named in the header.
    const ny = await newPage(browser, DESKTOP, { timezoneId: "America/New_York" });
    await signIn(ny.page, env);
    await ny.page.goto(`${env.url}/nodes`);
    await ny.page.waitForFunction(() => document.cookie.includes("fleetwatch-browser-tz=America/New_York"));
    const [download] = await Promise.all([ny.page.waitForEvent("download"), ny.page.getByRole("link", { name: "Export CSV" }).click()]);
    const [header, ...rows] = parseCsv(await readFile((await download.path())!, "utf8"));
    expect(header).toContain("last backup (America/New_York)");
    expect(header).toContain("missed, last 30 nights");
    const col = (name: string) => header!.indexOf(name);
    for (const row of rows) {
      expect(row.length).toBe(header!.length);
      for (const cell of row) expect(cell.trim(), `a cell of ${row[0]}`).not.toBe("");
      expect(row[col("last outcome")]).not.toMatch(/in-progress|_/);
    }
    const api = await query<{ total: number; rows: (NodeListRow & { lastCompletedAt: string | null })[] }>(ny.page, env.url, "nodes.list", {
      pageSize: 500,
    });
    const missed = rows.filter((r) => r[col("last outcome")] === "missed");
    expect(missed.length).toBeGreaterThan(0);
    for (const r of missed) expect(r[col("cause")]).not.toMatch(/^(not diagnosed yet|–)$/);
    // A time as New York reads it, not UTC's.
    const withBackup = api.rows.find((r) => r.lastCompletedAt)!;
    const row = rows.find((r) => r[0] === withBackup.name)!;
    const expected = new Intl.DateTimeFormat("en-CA", {
      timeZone: "America/New_York",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .format(new Date(withBackup.lastCompletedAt!))
      .replace(",", "");
    expect(row[col("last backup (America/New_York)")]).toBe(expected);
    await ny.context.close();
  });

  it("searches by name", async () => {
    await page.goto(`${env.url}/nodes`);
    const api = await query<List>(page, env.url, "nodes.list", {});
    const term = api.rows[0]!.name.slice(0, 4);
    await page.getByLabel("Search by name").fill(term);
    await page.getByLabel("Search by name").press("Enter");
    await page.waitForURL(new RegExp(`search=${term}`));
    const names = await page.getByTestId("node-row").locator("td.row-link a").allTextContents();
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(n.toLowerCase()).toContain(term.toLowerCase());
  });

  it("sorts by a column and pages through", async () => {
    await page.goto(`${env.url}/nodes?pageSize=25`);
    await page.getByRole("link", { name: /^Last backup/ }).click();
    await page.waitForURL(/sort=lastCompletedAt/);
    expect(await page.locator('th[aria-sort="ascending"]').textContent()).toContain("Last backup");
    const api = await query<List>(page, env.url, "nodes.list", {});
    if (api.total > 25) {
      await page.getByRole("link", { name: "Next →" }).click();
      await page.waitForURL(/page=2/);
      await expect(page.getByTestId("page-range").textContent()).resolves.toMatch(/^26–/);
    }
  });

  it("says which filters of the URL it does not know and drops them from the URL (issue 16.11)", async () => {
    await page.goto(`${env.url}/nodes?flag=bogus&outcome=missed`);
    const notice = page.getByTestId("dropped-filters");
    await expect(notice.textContent()).resolves.toContain("“flag=bogus”");
    await page.waitForURL((u) => !u.search.includes("bogus"));
    expect(new URL(page.url()).search).toBe("?outcome=missed");
    const api = await query<List>(page, env.url, "nodes.list", { outcome: "missed" });
    await expect(page.getByTestId("node-total").textContent()).resolves.toContain(`${api.total} node`);
    // A known filter alone says nothing.
    await page.goto(`${env.url}/nodes?flag=locked`);
    await page.getByTestId("node-total").waitFor();
    await expect(page.getByTestId("dropped-filters").count()).resolves.toBe(0);
  });

  it("fits a phone screen (the table scrolls inside its box)", async () => {
    const phone = await newPage(browser, PHONE);
    await signIn(phone.page, env);
    await phone.page.goto(`${env.url}/nodes`);
    expect(await overflowsSideways(phone.page)).toBe(false);
    await screenshot(phone.page, "nodes-phone");
    await phone.context.close();
  });

  it("logged no errors in the browser", () => {
    expect(errors).toEqual([]);
  });
});

/** A CSV file's rows (RFC 4180: quoted cells may hold commas, quotes doubled, CRLF between rows). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\n") {
      row.push(cell.replace(/\r$/, ""));
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  return rows;
}
