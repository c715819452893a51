import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type NodeListRow, query } from "./api";
import { e2eEnv, launchBrowser, newPage, screenshot, signIn } from "./browser";

type NodeFacts = { id: string; name: string; deregisteredAt: string | null; deregisteredReason: string | null };

describe("deregistering a duplicate, and restoring it", () => {
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

  const byId = (nodeId: string) => query<NodeFacts>(page, env.url, "nodes.byId", { nodeId, nights: 1 });

  async function auditHas(action: string, name: string) {
    await page.goto(`${env.url}/audit`);
    const rows = page.locator(`[data-testid="audit-row"][data-action="${action}"]`, { hasText: name });
    return rows.count();
  }

  it("from the node page: deregister with a reason, then restore; both in the audit log", async () => {
    const suspects = await query<{ rows: NodeListRow[] }>(page, env.url, "nodes.list", { flag: "duplicate-suspect" });
    const node = suspects.rows[0];
    if (!node) throw new Error("the demo fleet has no duplicate suspect");
    await page.goto(`${env.url}/nodes/${node.id}`);

    await page.getByRole("button", { name: "Deregister…" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Reason").fill("e2e: the dead twin of a renamed machine");
    await dialog.getByRole("button", { name: "Deregister", exact: true }).click();
    await page.getByTestId("deregistered-notice").waitFor();
    expect((await byId(node.id)).deregisteredReason).toBe("e2e: the dead twin of a renamed machine");
    await screenshot(page, "node-deregistered");

    await page.getByRole("button", { name: "Restore…" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Restore", exact: true }).click();
    await page.getByRole("button", { name: "Deregister…" }).waitFor();
    expect((await byId(node.id)).deregisteredAt).toBeNull();

    expect(await auditHas("node.deregister", node.name)).toBeGreaterThan(0);
    expect(await auditHas("node.restore", node.name)).toBeGreaterThan(0);
    await screenshot(page, "audit");
  });

  it("from the duplicates review: deregister the dead one, then undo", async () => {
    await page.goto(`${env.url}/review`);
    const pair = page
      .getByTestId("duplicate-pair")
      .filter({ has: page.getByTestId("dead-twin") })
      .first();
    await pair.waitFor();
    await screenshot(page, "review");
    const dead = (await pair.getByTestId("dead-twin").getByRole("link").first().textContent())!.trim();

    await pair.getByRole("button", { name: /^Deregister the dead one/ }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Reason").fill("e2e: never backed up since the new name appeared");
    await dialog.getByRole("button", { name: "Deregister", exact: true }).click();
    const notice = page.getByTestId("undo-notice");
    await notice.waitFor();
    await expect(notice.textContent()).resolves.toContain(dead);
    const deadId = new URL(page.url()).searchParams.get("undo")!;
    expect((await byId(deadId)).deregisteredAt).not.toBeNull();
    await screenshot(page, "review-undo");

    await notice.getByRole("button", { name: "Undo" }).click();
    await page.waitForURL(`${env.url}/review`);
    await page.getByTestId("undo-notice").waitFor({ state: "detached" });
    expect((await byId(deadId)).deregisteredAt).toBeNull();

    expect(await auditHas("node.deregister", dead)).toBeGreaterThan(0);
    expect(await auditHas("node.restore", dead)).toBeGreaterThan(0);
  });

  it("logged no errors in the browser", () => {
    expect(errors).toEqual([]);
  });
});
