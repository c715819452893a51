import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Overview, query } from "./api";
import { e2eEnv, launchBrowser, newPage, overflowsSideways, PHONE, screenshot, signIn } from "./browser";

const cards = [
  "total",
  "protected",
  "atRisk",
  "needsManualBackup",
  "missed",
  "failed",
  "severed",
  "aborted",
  "inProgress",
  "locked",
  "passwordExpired",
  "stale",
  "duplicateSuspects",
  "deregistered",
] as const;

const shown = async (page: Page, key: string) => Number((await page.getByTestId(`count-${key}`).textContent())?.replace(/\D/g, ""));

describe("fleet overview", () => {
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

  it("shows the same numbers as the API's fleet.overview", async () => {
    // The judge may run between the page and the API call: compare only when the API held still around the page load.
    for (let attempt = 1; ; attempt++) {
      const before = await query<Overview>(page, env.url, "fleet.overview", { nights: 30 });
      await page.goto(`${env.url}/`);
      const api = await query<Overview>(page, env.url, "fleet.overview", { nights: 30 });
      if (JSON.stringify(before.counts) !== JSON.stringify(api.counts) && attempt < 3) continue;
      expect(api.counts.total).toBeGreaterThan(0);
      for (const key of cards) expect({ key, value: await shown(page, key) }).toEqual({ key, value: api.counts[key] });
      break;
    }
    await screenshot(page, "overview");
  });

  it("charts the nightly outcomes, the volume and the duration", async () => {
    const api = await query<Overview>(page, env.url, "fleet.overview", { nights: 30 });
    expect(api.nightly.length).toBeGreaterThan(20);
    for (const id of ["nightly-chart", "volume-chart", "duration-chart"]) {
      await page.getByTestId(id).locator("svg.recharts-surface").first().waitFor();
    }
    const bars = await page.getByTestId("nightly-chart").locator(".recharts-bar-rectangle").count();
    expect(bars).toBeGreaterThan(20);
  });

  it("switches to 90 nights", async () => {
    await page.getByRole("link", { name: "90 nights" }).click();
    await page.waitForURL(/nights=90/);
    expect(await page.getByRole("link", { name: "90 nights" }).getAttribute("aria-current")).toBe("page");
  });

  it("lists the nodes that need attention, each linking to its node with a first step", async () => {
    const api = await query<Overview>(page, env.url, "fleet.overview", { nights: 30 });
    const items = page.getByTestId("attention-item");
    if (api.attention.length === 0) {
      await expect(page.getByText("Nothing needs you right now").count()).resolves.toBe(1);
      return;
    }
    const first = api.attention[0]!;
    await expect(items.first().getByRole("link").textContent()).resolves.toBe(first.name);
    await expect(items.first().textContent()).resolves.toContain("First step");
    await items.first().getByRole("link").click();
    await page.waitForURL(`${env.url}/nodes/${first.nodeId}`);
    await expect(page.getByTestId("node-name").textContent()).resolves.toBe(first.name);
  });

  it("fits a phone screen", async () => {
    const phone = await newPage(browser, PHONE);
    await signIn(phone.page, env);
    expect(await overflowsSideways(phone.page)).toBe(false);
    await screenshot(phone.page, "overview-phone");
    await phone.context.close();
  });

  it("logged no errors in the browser", () => {
    expect(errors).toEqual([]);
  });
});
