import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { e2eEnv, launchBrowser, newPage, overflowsSideways, PHONE, screenshot, signedInPage, signIn } from "./browser";

const pages = [
  ["overview", "/"],
  ["nodes", "/nodes"],
  ["review", "/review"],
  ["alerts", "/alerts"],
  ["report", "/report"],
  ["profiles", "/profiles"],
  ["maintenance", "/maintenance"],
  ["audit", "/audit"],
  ["settings", "/settings"],
  ["settings-agents", "/settings/agents"],
  ["settings-users", "/settings/users"],
  ["settings-badges", "/settings/badges"],
  ["settings-api-keys", "/settings/api-keys"],
  ["api-docs", "/api-docs"],
  ["preferences", "/preferences"],
] as const;

describe("every page", () => {
  const env = e2eEnv();
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());

  for (const [label, viewport] of [
    ["desktop", undefined],
    ["phone", PHONE],
  ] as const) {
    it(`renders at ${label} width without sideways scrolling or browser errors`, async () => {
      const { page, errors, context } = await newPage(browser, viewport);
      await signIn(page, env);
      for (const [name, path] of pages) {
        await page.goto(`${env.url}${path}`);
        await page.locator("main h1").first().waitFor();
        expect({ path, overflows: await overflowsSideways(page) }).toEqual({ path, overflows: false });
        await screenshot(page, label === "desktop" ? `page-${name}` : `page-${name}-phone`);
      }
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it("can be driven from the keyboard: skip link, brand, navigation, with a visible focus ring", async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, env);
    // A fresh load: after the client-side redirect from sign-in, Chromium starts tabbing from
    // where the sign-in button was, not from the top of the page.
    await page.goto(`${env.url}/`);
    await page.keyboard.press("Tab");
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe("Skip to the page");
    await page.keyboard.press("Tab");
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe("Fleetwatch");
    await page.keyboard.press("Tab");
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe("Overview");
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
    expect(outline).not.toBe("none");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.waitForURL(`${env.url}/nodes`);
    await context.close();
  });
});

describe("admin work", () => {
  const env = e2eEnv();
  let page: Page;
  signedInPage(env, (p) => {
    page = p;
  });

  it("creates an enrollment token and shows it once with the enroll command", async () => {
    await page.goto(`${env.url}/settings/agents`);
    const note = `e2e lab ${Date.now()}`;
    await page.getByLabel("Note").fill(note);
    await page.getByRole("button", { name: "Create token" }).click();
    const token = (await page.getByTestId("enrollment-token").textContent())?.trim() ?? "";
    expect(token.length).toBeGreaterThan(10);
    await expect(page.getByText(`--token ${token}`).count()).resolves.toBe(1);
    await page.goto(`${env.url}/settings/agents`);
    await page.getByRole("cell", { name: note }).waitFor();
    await expect(page.getByTestId("enrollment-token").count()).resolves.toBe(0);
    // Audited: who made it and what it allows (issue 16.8).
    await page.goto(`${env.url}/audit`);
    await expect(page.locator('[data-action="enrollment-token.create"]').filter({ hasText: note }).count()).resolves.toBeGreaterThan(0);
  });

  it("saves a threshold, refuses an inconsistent one with one line, and records it", async () => {
    await page.goto(`${env.url}/settings`);
    await page.getByLabel("Stale after (days)").fill("30");
    await page.getByRole("button", { name: "Save thresholds" }).click();
    await page.getByText("Saved.").waitFor();
    await page.reload();
    await expect(page.getByLabel("Stale after (days)").inputValue()).resolves.toBe("30");

    await page.getByLabel("Warn before expiry (days)").fill("400");
    await page.getByRole("button", { name: "Save thresholds" }).click();
    const error = page.getByRole("alert").filter({ hasText: "passwordWarningDays" });
    await error.waitFor();
    expect((await error.textContent())?.split("\n").length).toBe(1);

    await page.goto(`${env.url}/audit`);
    await expect(page.locator('[data-action="settings.update"]').count()).resolves.toBeGreaterThan(0);
  });
});
