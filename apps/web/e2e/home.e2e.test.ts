import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { e2eEnv, launchBrowser, screenshot, signIn } from "./browser";

describe("home page", () => {
  const env = e2eEnv();
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });
  afterAll(async () => browser?.close());

  it("sends a visitor to sign in", async () => {
    await page.goto(env.url);
    expect(new URL(page.url()).pathname).toBe("/signin");
  });

  it("lists the events the agents shipped", async () => {
    await signIn(page, env);
    const rows = page.getByTestId("window-row");
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(10);
    const text = (await page.locator("table").innerText()).toLowerCase();
    for (const outcome of ["completed", "failed"]) expect(text).toContain(outcome);
    await screenshot(page, "home");
  });

  it("answers the health procedure without a session", async () => {
    const res = await fetch(`${env.url}/api/trpc/fleet.health`);
    const body = (await res.json()) as { result: { data: { json: { status: string } } } };
    expect(body.result.data.json.status).toBe("ok");
  });
});
