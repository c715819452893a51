import { spawnSync } from "node:child_process";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { e2eEnv, launchBrowser, newPage, signIn } from "./browser";

// /metrics and badges are read by programs (Prometheus, status pages, shields.io), not browsers:
// plain GETs with no session, through the same proxy every request passes.

const env = e2eEnv();

describe("GET /metrics", () => {
  it("answers the stack's own machine with an exposition promtool accepts, and refuses another address", async () => {
    const res = await fetch(`${env.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const body = await res.text();
    expect(body).toMatch(/^fleetwatch_nodes\{state="protected"\} \d+$/m);
    expect(body).toMatch(/^fleetwatch_node_last_success_timestamp_seconds\{node="[^"]+",server="[^"]*",domain="[^"]*"\} \d/m);
    const check = spawnSync("promtool", ["check", "metrics"], { input: body, encoding: "utf8" });
    expect(`${check.stdout}${check.stderr}`).toBe("");
    expect(check.status).toBe(0);

    // A reverse proxy in front appends the client's address; one outside the allow-list is refused.
    const outside = await fetch(`${env.url}/metrics`, { headers: { "x-forwarded-for": "203.0.113.9" } });
    expect(outside.status).toBe(403);
    expect(await outside.text()).toBe("metrics: 203.0.113.9 is not on FLEETWATCH_METRICS_ALLOW\n");
  });
});

describe("status badges", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());

  it("an admin makes one in settings; it renders for anyone with its address until revoked", async () => {
    const { context, page } = await newPage(browser);
    try {
      await signIn(page, env);
      await page.goto(`${env.url}/settings/badges`);
      await page.getByLabel("Note").fill("e2e status page");
      await page.getByRole("button", { name: "Make badge" }).click();
      const svgUrl = (await page.getByTestId("badge-svg-url").textContent()) ?? "";
      const jsonUrl = (await page.getByTestId("badge-json-url").textContent()) ?? "";
      expect(svgUrl).toMatch(/\/badge\/fwb_[A-Za-z0-9_-]{32}\.svg$/);

      // No cookie, no Origin: what a status page's visitors and shields.io send.
      const svg = await fetch(svgUrl);
      expect(svg.status).toBe(200);
      expect(svg.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
      expect(await svg.text()).toMatch(/<title>fleet backups: \d+ protected, \d+ at risk, \d+ failing<\/title>/);
      const json = (await (await fetch(jsonUrl)).json()) as Record<string, unknown>;
      expect(json).toMatchObject({ schemaVersion: 1, label: "fleet backups", message: expect.stringMatching(/protected/) });

      // A status page on another origin shows it as an image.
      const { context: visitor, page: statusPage } = await newPage(browser);
      try {
        await statusPage.setContent(`<img id="badge" src="${svgUrl}">`);
        await statusPage.waitForFunction(() => (document.getElementById("badge") as HTMLImageElement).complete);
        expect(await statusPage.evaluate(() => (document.getElementById("badge") as HTMLImageElement).naturalWidth)).toBeGreaterThan(50);
      } finally {
        await visitor.close();
      }

      const row = page.getByRole("row", { name: /e2e status page/ });
      await row.getByRole("button", { name: "Revoke…" }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Revoke", exact: true }).click();
      await expect.poll(async () => (await fetch(svgUrl)).status).toBe(404);
      expect((await fetch(jsonUrl)).status).toBe(404);
      await expect.poll(async () => (await row.textContent()) ?? "").toMatch(/revoked/);
    } finally {
      await context.close();
    }
  });
});
