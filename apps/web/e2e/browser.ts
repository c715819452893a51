import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";

export interface E2eEnv {
  url: string;
  email: string;
  password: string;
}

export function e2eEnv(): E2eEnv {
  const { FLEETWATCH_E2E_URL: url, FLEETWATCH_E2E_EMAIL: email, FLEETWATCH_E2E_PASSWORD: password } = process.env;
  if (!url || !email || !password) throw new Error("no stack to test: run `pnpm test:e2e`, which starts one");
  return { url, email, password };
}

/** Debian's Chromium, never a downloaded browser; flags keep it off this closed network. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--headless",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 375, height: 812 };

/** A fresh browser context (its own cookies) with one page; the page's console errors are collected. */
export async function newPage(
  browser: Browser,
  viewport = DESKTOP,
  options: { timezoneId?: string; colorScheme?: "light" | "dark" } = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, acceptDownloads: true, ...options });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    // "Failed to load resource" names no resource in its text: the location says which.
    if (m.type() === "error") errors.push(m.location().url ? `${m.text()} (${m.location().url})` : m.text());
  });
  return { context, page, errors };
}

export async function signIn(page: Page, env: E2eEnv, as: { email: string; password: string } = env) {
  await page.goto(`${env.url}/signin`);
  await page.getByLabel("Email").fill(as.email);
  await page.getByLabel("Password").fill(as.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${env.url}/`);
}

/**
 * A browser signed in as the env's admin for the tests of one file or describe block: opened
 * before them, closed after; `ready` receives its page.
 */
export function signedInPage(env: E2eEnv, ready: (page: Page) => void) {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
    const { page } = await newPage(browser);
    await signIn(page, env);
    ready(page);
  });
  afterAll(async () => browser?.close());
}

export async function screenshot(page: Page, name: string) {
  const dir = join(import.meta.dirname, "screenshots");
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** True when the page is wider than its viewport (something sticks out sideways). */
export async function overflowsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
}
