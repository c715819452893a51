import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { query, type RecentWindow } from "./api";
import { e2eEnv, launchBrowser, newPage, overflowsSideways, PHONE, screenshot, signIn } from "./browser";

describe("node detail", () => {
  const env = e2eEnv();
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let missed: RecentWindow;

  beforeAll(async () => {
    browser = await launchBrowser();
    ({ page, errors } = await newPage(browser));
    await signIn(page, env);
    const recent = await query<RecentWindow[]>(page, env.url, "fleet.recentWindows", { limit: 500 });
    const found = recent.find((w) => w.outcome === "missed" && w.cause);
    if (!found) throw new Error("the demo fleet has no diagnosed MISSED window in its last 500");
    missed = found;
  });
  afterAll(async () => browser?.close());

  it("shows a MISSED night in the strip and the timeline, with its cause and remedy", async () => {
    await page.goto(`${env.url}/nodes/${missed.node.id}`);
    await expect(page.getByTestId("node-name").textContent()).resolves.toBe(missed.node.name);
    const cell = page.locator(`a[href="#w-${missed.id}"]`);
    await expect(cell.getAttribute("data-outcome")).resolves.toBe("missed");
    // What a person sees: the cell in the legend's colour for MISSED, not the grey of "no window".
    const colour = await cell.evaluate((el) => getComputedStyle(el).backgroundColor);
    const legend = await page
      .locator("figcaption i")
      .nth(await legendIndex(page, "missed"))
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    const grey = await page.evaluate(() => {
      const probe = document.body.appendChild(document.createElement("i"));
      probe.style.background = "var(--none)";
      const value = getComputedStyle(probe).backgroundColor;
      probe.remove();
      return value;
    });
    expect(colour).toBe(legend);
    expect(colour).not.toBe(grey);
    await cell.click();
    const entry = page.locator(`#w-${missed.id}`);
    await expect(entry.getAttribute("data-outcome")).resolves.toBe("missed");
    await entry.locator("summary").first().waitFor();
    if ((await entry.locator("details").first().getAttribute("open")) === null) await entry.locator("summary").first().click();
    const cause = (await entry.getByTestId("timeline-cause").textContent())?.trim() ?? "";
    expect(cause).not.toBe("");
    expect(cause).not.toBe("–");
    const steps = await entry.getByTestId("remedy").locator("li").allTextContents();
    const node = await query<{ windows: { id: string; diagnosis: { cause: string; remedy: string[] } | null }[] }>(
      page,
      env.url,
      "nodes.byId",
      {
        nodeId: missed.node.id,
        nights: 90,
      },
    );
    const diagnosis = node.windows.find((w) => w.id === missed.id)?.diagnosis;
    expect(diagnosis?.remedy.length).toBeGreaterThan(0);
    expect(steps).toEqual(diagnosis?.remedy);
    await screenshot(page, "node-missed");
  });

  it("shows the node's facts, per-night charts and 90-night strip", async () => {
    await expect(page.getByTestId("fact-locked").textContent()).resolves.toMatch(/^Locked(Yes|No|no sign of it)/);
    await expect(page.getByTestId("fact-agent").count()).resolves.toBe(1);
    expect(await page.locator("ol[aria-label^='Last 90 nights'] > li").count()).toBeGreaterThan(20);
    expect(await page.locator(".recharts-surface").count()).toBeGreaterThanOrEqual(3);
  });

  it("shows a failed night's ANS messages with the log lines around them", async () => {
    const recent = await query<RecentWindow[]>(page, env.url, "fleet.recentWindows", { limit: 500 });
    const failed = recent.find((w) => w.outcome === "failed");
    if (!failed) throw new Error("the demo fleet has no FAILED window in its last 500");
    await page.goto(`${env.url}/nodes/${failed.node.id}#w-${failed.id}`);
    const entry = page.locator(`#w-${failed.id}`);
    await entry.locator("summary").first().waitFor();
    if ((await entry.locator("details").first().getAttribute("open")) === null) await entry.locator("summary").first().click();
    await entry.getByText(/^ANS messages/).click();
    const excerpt = entry.getByTestId("night-excerpt");
    await excerpt.waitFor();
    // The messages, marked, between the raw lines the agent read around them.
    expect(await excerpt.locator("mark").first().textContent()).toMatch(/ANS\d{4}[WES] /);
    expect((await excerpt.textContent())?.split("\n").filter(Boolean).length).toBeGreaterThan(1);
  });

  it("shows one raw-log excerpt per night, each line once, every message's line marked (issue 16.3)", async () => {
    // The failed nights with the most messages: the ones whose excerpts used to repeat.
    const recent = await query<RecentWindow[]>(page, env.url, "fleet.recentWindows", { limit: 500 });
    type Win = { id: string; messages: { code: string; context: unknown }[] };
    let chosen: { nodeId: string; window: Win } | null = null;
    for (const w of recent.filter((r) => r.outcome === "failed").slice(0, 20)) {
      const node = await query<{ windows: Win[] }>(page, env.url, "nodes.byId", { nodeId: w.node.id, nights: 90 });
      const win = node.windows.find((x) => x.id === w.id);
      if (win && win.messages.filter((m) => m.context).length >= 2) {
        chosen = { nodeId: w.node.id, window: win };
        break;
      }
    }
    if (!chosen) throw new Error("the demo fleet has no failed night with two or more ANS messages in its last 500 windows");
    await page.goto(`${env.url}/nodes/${chosen.nodeId}#w-${chosen.window.id}`);
    const entry = page.locator(`#w-${chosen.window.id}`);
    await entry.locator("summary").first().waitFor();
    if ((await entry.locator("details").first().getAttribute("open")) === null) await entry.locator("summary").first().click();
    await entry.getByText(/^ANS messages/).click();
    await expect(entry.getByTestId("night-excerpt").count()).resolves.toBe(1);
    const lines = ((await entry.getByTestId("night-excerpt").textContent()) ?? "").split("\n").filter((l) => l && l !== "⋯");
    expect(new Set(lines).size).toBe(lines.length);
    const marked = (
      await entry
        .getByTestId("night-excerpt")
        .locator("mark")
        .evaluateAll((els) => els.map((e) => e.getAttribute("data-codes")))
    ).join(" ");
    const codes = chosen.window.messages.filter((m) => m.context).map((m) => m.code);
    expect(marked.split(" ").sort()).toEqual(codes.sort());
    await screenshot(page, "node-excerpt");
  });

  it("gives the backup team the dsmadmc commands to copy and the message for the user (issue 16.4)", async () => {
    const locked = await query<{ rows: { id: string; name: string }[] }>(page, env.url, "nodes.list", { flag: "locked" });
    type Win = { id: string; cause: string | null; diagnosis: { cause: string } | null };
    let found: { node: { id: string; name: string }; window: Win } | null = null;
    for (const n of locked.rows) {
      const node = await query<{ windows: Win[] }>(page, env.url, "nodes.byId", { nodeId: n.id, nights: 90 });
      const w = node.windows.find((x) => x.diagnosis?.cause === "node-locked");
      if (w) {
        found = { node: n, window: w };
        break;
      }
    }
    if (!found) throw new Error("the demo fleet has no locked node with a night diagnosed as locked");
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: env.url });
    await page.goto(`${env.url}/nodes/${found.node.id}#w-${found.window.id}`);
    const entry = page.locator(`#w-${found.window.id}`);
    await entry.locator("summary").first().waitFor();
    if ((await entry.locator("details").first().getAttribute("open")) === null) await entry.locator("summary").first().click();
    const staff = entry.getByTestId("staff-remedy");
    const commands = await staff.getByTestId("staff-command").allTextContents();
    expect(commands).toContain(`UNLOCK NODE ${found.node.name}`);
    expect(commands.some((c) => c.startsWith("QUERY EVENT * * BEGINDATE=") && c.includes(`NODES=${found.node.name}`))).toBe(true);
    await staff.getByRole("button", { name: `Copy UNLOCK NODE ${found.node.name}` }).click();
    await staff.getByText("Copied").waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`UNLOCK NODE ${found.node.name}`);
    await staff.getByText("Message to send the user").click();
    const message = (await staff.getByTestId("user-message").textContent()) ?? "";
    expect(message).toContain(found.node.name);
    expect(message).toContain("We have unlocked the node");
    // The end user's own steps stay beside it.
    expect((await entry.getByTestId("remedy").textContent()) ?? "").toMatch(/unlock/i);
    await screenshot(page, "node-staff-remedy");
  });

  it("answers an unknown node with the not-found page", async () => {
    // The status stays 200 once the loading skeleton has streamed; the page says what happened.
    await page.goto(`${env.url}/nodes/00000000-0000-4000-8000-000000000000`);
    await page.getByText("There is no node with this address").waitFor();
  });

  it("fits a phone screen", async () => {
    const phone = await newPage(browser, PHONE);
    await signIn(phone.page, env);
    await phone.page.goto(`${env.url}/nodes/${missed.node.id}`);
    expect(await overflowsSideways(phone.page)).toBe(false);
    await screenshot(phone.page, "node-phone");
    await phone.context.close();
  });

  it("logged no errors in the browser", () => {
    expect(errors.filter((e) => !e.includes("404"))).toEqual([]);
  });
});

/** The position of an outcome's swatch in the strip's legend, by its label. */
async function legendIndex(page: Page, label: string): Promise<number> {
  const labels = (await page.locator("figcaption [aria-hidden] > span").allTextContents()).map((t) => t.trim());
  const i = labels.indexOf(label);
  if (i < 0) throw new Error(`the legend has no "${label}": ${labels.join(", ")}`);
  return i;
}
