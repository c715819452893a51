import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { query, type RecentWindow } from "./api";
import { e2eEnv, launchBrowser, newPage, overflowsSideways, screenshot, signIn } from "./browser";

const WIDE = { width: 1440, height: 900 };
const NARROW = { width: 390, height: 844 };

/** What a clock in `zone` reads at `at`, and the zone's short name, as the pages write them (en-GB). */
function clockIn(zone: string, at: Date) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short" })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return { hm: `${parts.hour}:${parts.minute}`, name: parts.timeZoneName as string };
}

/** Sign in with the browser in `zone` and wait until the server has heard of it (one refresh). */
async function signedInAt(browser: Browser, zone: string, viewport = WIDE, colorScheme: "light" | "dark" = "light") {
  const env = e2eEnv();
  const session = await newPage(browser, viewport, { timezoneId: zone, colorScheme });
  await signIn(session.page, env);
  await session.page.waitForFunction((z) => document.cookie.includes(`fleetwatch-browser-tz=${z}`), zone);
  return session;
}

describe("time in the viewer's zone (issue 16.5)", () => {
  const env = e2eEnv();
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());

  it("shows the overview's time in the browser's zone with the zone named", async () => {
    const { page, context } = await signedInAt(browser, "Asia/Tokyo");
    await page.goto(`${env.url}/`);
    const text = (await page.getByTestId("updated").textContent())?.trim() ?? "";
    const now = clockIn("Asia/Tokyo", new Date());
    const before = clockIn("Asia/Tokyo", new Date(Date.now() - 60_000));
    expect([`updated ${now.hm} ${now.name}`, `updated ${before.hm} ${now.name}`]).toContain(text);
    await context.close();
  });

  it("shows a node's times in the viewer's zone, the node's own local time on hover", async () => {
    const { page, context } = await signedInAt(browser, "Asia/Tokyo");
    const recent = await query<RecentWindow[]>(page, env.url, "fleet.recentWindows", { limit: 200 });
    const failed = recent.find((w) => w.outcome === "failed")!;
    await page.goto(`${env.url}/nodes/${failed.node.id}`);
    const when = page.getByTestId("when").first();
    const at = new Date((await when.getAttribute("datetime"))!);
    const tokyo = clockIn("Asia/Tokyo", at);
    const shown = (await when.textContent()) ?? "";
    expect(shown).toContain(tokyo.hm);
    expect(shown.endsWith(tokyo.name)).toBe(true);
    const node = await query<{ timeZone: string | null }>(page, env.url, "nodes.byId", { nodeId: failed.node.id, nights: 1 });
    const title = (await when.getAttribute("title")) ?? "";
    expect(title).toMatch(/^On the node: /);
    if (node.timeZone) expect(title).toContain(clockIn(node.timeZone, at).hm);
    await context.close();
  });

  it("lets a person choose another zone in their preferences, and go back to the browser's", async () => {
    const { page, context } = await signedInAt(browser, "Asia/Tokyo");
    await page.goto(`${env.url}/preferences`);
    await page.getByLabel("Show times in").selectOption("America/New_York");
    await page.getByText("Times now show in America/New_York.").waitFor();
    await page.goto(`${env.url}/`);
    const ny = clockIn("America/New_York", new Date());
    expect((await page.getByTestId("updated").textContent())?.trim().endsWith(ny.name)).toBe(true);
    await page.goto(`${env.url}/preferences`);
    await page.getByLabel("Show times in").selectOption("");
    await page.getByText("Times now show in Asia/Tokyo.").waitFor();
    await context.close();
  });
});

describe("dark mode after the system's setting, with a toggle (issue 16.12)", () => {
  const env = e2eEnv();
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());

  const background = (page: import("playwright-core").Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const DARK = "rgb(13, 17, 23)";
  const LIGHT = "rgb(246, 247, 249)";

  it("follows a dark system, turns light and back at the toggle, and keeps the choice across pages", async () => {
    const { page, context } = await signedInAt(browser, "Europe/London", WIDE, "dark");
    await page.goto(`${env.url}/`);
    expect(await background(page)).toBe(DARK);
    await page.getByTestId("theme-toggle").click();
    await page.waitForFunction((light) => getComputedStyle(document.body).backgroundColor === light, LIGHT);
    await page.goto(`${env.url}/nodes`);
    expect(await background(page)).toBe(LIGHT);
    await page.getByTestId("theme-toggle").click();
    await page.waitForFunction((dark) => getComputedStyle(document.body).backgroundColor === dark, DARK);
    // Preferences: back to the system's setting (dark here).
    await page.goto(`${env.url}/preferences`);
    await page.getByLabel("As the system is set").check();
    await page.getByText("Saved for this browser.").waitFor();
    await page.goto(`${env.url}/`);
    expect(await background(page)).toBe(DARK);
    await context.close();
  });

  it("follows a light system", async () => {
    const { page, context } = await signedInAt(browser, "Europe/London", WIDE, "light");
    await page.goto(`${env.url}/`);
    expect(await background(page)).toBe(LIGHT);
    await context.close();
  });

  it("colours a node's strip in the dark palette, as its legend says", async () => {
    const { page, context } = await signedInAt(browser, "Europe/London", WIDE, "dark");
    const recent = await query<RecentWindow[]>(page, env.url, "fleet.recentWindows", { limit: 500 });
    const missed = recent.find((w) => w.outcome === "missed")!;
    await page.goto(`${env.url}/nodes/${missed.node.id}`);
    const cell = page.locator(`a[href="#w-${missed.id}"]`);
    expect(await cell.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(171, 125, 248)");
    await context.close();
  });
});

describe("demo data that reads right (issue 16.13)", () => {
  const env = e2eEnv();
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());

  it("shows a Windows PC as Windows and a Mac as macOS, not the demo host's Linux", async () => {
    const { page, context } = await signedInAt(browser, "Europe/London");
    await page.goto(`${env.url}/nodes?pageSize=100`);
    const rows = page.getByTestId("node-row");
    const seen = new Map<string, string>();
    for (let i = 0; i < (await rows.count()); i++) {
      const name = (await rows.nth(i).locator("td.row-link a").textContent()) ?? "";
      seen.set(name, ((await rows.nth(i).getByTestId("node-os").textContent()) ?? "").trim());
    }
    const family = (pattern: RegExp) => [...seen].filter(([name]) => pattern.test(name)).map(([, os]) => os);
    expect(family(/-PC\d/).length).toBeGreaterThan(0);
    expect(new Set(family(/-PC\d/))).toEqual(new Set(["Windows"]));
    expect(new Set(family(/-MAC\d/))).toEqual(new Set(["macOS"]));
    expect(new Set(family(/-SRV\d/))).toEqual(new Set(["Linux"]));
    await context.close();
  });

  it("does not say a node that looks dead was in contact minutes ago", async () => {
    const { page, context } = await signedInAt(browser, "Europe/London");
    await page.goto(`${env.url}/review`);
    const dead = page.getByTestId("dead-twin");
    expect(await dead.count()).toBeGreaterThan(0);
    for (let i = 0; i < (await dead.count()); i++) {
      expect((await dead.nth(i).getByTestId("twin-last-contact").textContent())?.trim()).toMatch(/ d ago$|^never$/);
    }
    await context.close();
  });
});

describe("a node's charts point at trouble (issue 16.6)", () => {
  const env = e2eEnv();
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());

  it("shades the usual range, marks the failed nights, and a click opens the night's entry", async () => {
    const { page, context } = await signedInAt(browser, "Europe/London");
    const recent = await query<RecentWindow[]>(page, env.url, "fleet.recentWindows", { limit: 500 });
    type Win = { id: string; localStart: string; outcome: string; benign: boolean; bytesTransferred: number | null };
    let found: { nodeId: string; windows: Win[] } | null = null;
    for (const id of [...new Set(recent.filter((w) => w.outcome === "failed").map((w) => w.node.id))]) {
      const node = await query<{ windows: Win[]; typical: { bytes: unknown } }>(page, env.url, "nodes.byId", { nodeId: id, nights: 90 });
      if (node.typical.bytes && node.windows.some((w) => w.outcome === "failed" && !w.benign && w.bytesTransferred)) {
        found = { nodeId: id, windows: node.windows };
        break;
      }
    }
    if (!found) throw new Error("the demo fleet has no node with a failed night that sent data");
    await page.goto(`${env.url}/nodes/${found.nodeId}`);
    const charts = page.getByTestId("night-chart");
    await charts.first().locator("rect[data-night]").first().waitFor();
    expect(await page.locator(".typical-range").count()).toBeGreaterThan(0);
    const marked = charts.nth(1).locator('rect[data-mark="failed"]');
    const failedWithData = found.windows.filter((w) => w.outcome === "failed" && !w.benign && w.bytesTransferred);
    expect(await marked.count()).toBe(failedWithData.length);
    // Failed bars are drawn in the failure colour, the others in the chart's own.
    const fill = await marked.first().evaluate((el) => getComputedStyle(el).fill);
    const ordinary = await charts
      .nth(1)
      .locator("rect[data-night]:not([data-mark])")
      .first()
      .evaluate((el) => getComputedStyle(el).fill);
    expect(fill).not.toBe(ordinary);
    const night = await marked.first().getAttribute("data-night");
    await marked.first().click();
    const target = found.windows.find((w) => w.localStart.startsWith(night!) && w.outcome === "failed")!;
    await page.waitForURL((u) => u.hash === `#w-${target.id}`);
    expect(await page.locator(`#w-${target.id} details`).first().getAttribute("open")).not.toBeNull();
    await context.close();
  });
});

describe("screenshots of the overview, a node, the review and the alerts page (issue 16)", () => {
  const env = e2eEnv();
  let browser: Browser;
  let nodeId: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    const { page, context } = await newPage(browser);
    await signIn(page, env);
    const recent = await query<RecentWindow[]>(page, env.url, "fleet.recentWindows", { limit: 200 });
    nodeId = recent.find((w) => w.outcome === "failed")!.node.id;
    await context.close();
  });
  afterAll(async () => browser?.close());

  for (const scheme of ["light", "dark"] as const) {
    for (const [label, viewport] of [
      ["1440", WIDE],
      ["390", NARROW],
    ] as const) {
      it(`at ${label} px, ${scheme}`, async () => {
        const { page, context, errors } = await signedInAt(browser, "Europe/London", viewport, scheme);
        for (const [name, path] of [
          ["overview", "/"],
          ["node", `/nodes/${nodeId}`],
          ["review", "/review"],
          ["alerts", "/alerts"],
        ] as const) {
          await page.goto(`${env.url}${path}`);
          await page.locator("main h1").first().waitFor();
          expect({ path, overflows: await overflowsSideways(page) }).toEqual({ path, overflows: false });
          await screenshot(page, `ux-${name}-${label}-${scheme}`);
        }
        expect(errors).toEqual([]);
        await context.close();
      });
    }
  }
});
