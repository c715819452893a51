import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";

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

export async function signIn(page: Page, env: E2eEnv, as: { email: string; password: string } = env) {
  await page.goto(`${env.url}/signin`);
  await page.getByLabel("Email").fill(as.email);
  await page.getByLabel("Password").fill(as.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${env.url}/`);
}

export async function screenshot(page: Page, name: string) {
  const dir = join(import.meta.dirname, "screenshots");
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}
