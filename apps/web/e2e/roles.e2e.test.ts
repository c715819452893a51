import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mutate, type NodeListRow, query, TrpcHttpError } from "./api";
import { e2eEnv, launchBrowser, newPage, screenshot, signIn } from "./browser";

describe("a viewer", () => {
  const env = e2eEnv();
  const viewer = { email: `viewer-${Date.now()}@fleetwatch.test`, password: "viewer-password-123" };
  let browser: Browser;
  let admin: Page;
  let page: Page;
  let node: NodeListRow;

  beforeAll(async () => {
    browser = await launchBrowser();
    ({ page: admin } = await newPage(browser));
    await signIn(admin, env);
    await mutate(admin, env.url, "admin.createUser", { ...viewer, role: "viewer" });
    node = (await query<{ rows: NodeListRow[] }>(admin, env.url, "nodes.list", { pageSize: 1 })).rows[0]!;
    ({ page } = await newPage(browser));
    await signIn(page, env, viewer);
  });
  afterAll(async () => browser?.close());

  it("sees the node but no action buttons", async () => {
    await page.goto(`${env.url}/nodes/${node.id}`);
    await expect(page.getByTestId("node-name").textContent()).resolves.toBe(node.name);
    for (const name of ["Deregister…", "Restore…", "Request unlock…"])
      await expect(page.getByRole("button", { name }).count()).resolves.toBe(0);
    await screenshot(page, "node-as-viewer");
  });

  it("is refused by the API when it tries to deregister anyway", async () => {
    const attempt = mutate(page, env.url, "nodes.deregister", { nodeId: node.id, reason: "a viewer trying" });
    await expect(attempt).rejects.toBeInstanceOf(TrpcHttpError);
    await expect(attempt).rejects.toMatchObject({ status: 403, code: "FORBIDDEN" });
    const after = await query<{ deregisteredAt: string | null }>(page, env.url, "nodes.byId", { nodeId: node.id, nights: 1 });
    expect(after.deregisteredAt).toBeNull();
  });

  it("has no settings or audit log in the navigation, and the pages say why", async () => {
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Settings" }).count()).resolves.toBe(0);
    await expect(nav.getByRole("link", { name: "Audit log" }).count()).resolves.toBe(0);
    await page.goto(`${env.url}/settings`);
    await expect(page.getByText("Only administrators").count()).resolves.toBe(1);
    await expect(mutate(page, env.url, "admin.updateSettings", { site: { staleDays: 1 } })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("cannot acknowledge alerts", async () => {
    await page.goto(`${env.url}/alerts`);
    await expect(page.getByRole("button", { name: /^Acknowledge/ }).count()).resolves.toBe(0);
  });
});
