import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { e2eEnv, launchBrowser, newPage, screenshot, signIn } from "./browser";

describe("sign-in", () => {
  const env = e2eEnv();
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());

  it("sends a visitor to sign in, from any page", async () => {
    const { page } = await newPage(browser);
    for (const path of ["/", "/nodes", "/settings"]) {
      await page.goto(`${env.url}${path}`);
      expect(new URL(page.url()).pathname).toBe("/signin");
    }
    await screenshot(page, "signin");
  });

  it("refuses a wrong password with one line", async () => {
    const { page } = await newPage(browser);
    await page.goto(`${env.url}/signin`);
    await page.getByLabel("Email").fill(env.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Wrong email or password.").waitFor();
    expect(new URL(page.url()).pathname).toBe("/signin");
  });

  it("signs in, shows who is signed in, and signs out", async () => {
    const { page } = await newPage(browser);
    await signIn(page, env);
    await expect(page.getByRole("banner").textContent()).resolves.toContain(env.email);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/signin/);
    await page.goto(`${env.url}/nodes`);
    expect(new URL(page.url()).pathname).toBe("/signin");
  });

  it("answers the health procedure without a session, and nothing else", async () => {
    const health = await fetch(`${env.url}/api/trpc/fleet.health`);
    expect(((await health.json()) as { result: { data: { json: { status: string } } } }).result.data.json.status).toBe("ok");
    const overview = await fetch(`${env.url}/api/trpc/fleet.overview`);
    expect(overview.status).toBe(401);
  });
});
