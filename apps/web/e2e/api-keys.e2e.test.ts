import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type NodeListRow, query } from "./api";
import { e2eEnv, launchBrowser, newPage, signIn } from "./browser";

const env = e2eEnv();

/** As curl sends it: `curl -H "Authorization: Bearer <key>" <site><path>`, no cookie, no Origin. */
async function curl(path: string, key: string | null, init: { method?: "GET" | "POST"; body?: string; origin?: string } = {}) {
  const res = await fetch(`${env.url}${path}`, {
    method: init.method ?? "GET",
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(init.body ? { "content-type": "application/json" } : {}),
      ...(init.origin ? { origin: init.origin } : {}),
    },
    body: init.body,
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}

describe("API keys and /api/v1 on the running site", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());

  it("an admin makes a key in Settings, and curl with it lists the locked nodes; revoked, it is refused", async () => {
    const { page, errors, context } = await newPage(browser);
    await signIn(page, env);
    await page.goto(`${env.url}/settings/api-keys`);
    await page.getByLabel("Name").fill("e2e script");
    await page.getByLabel("Scope").selectOption("read");
    await page.getByRole("button", { name: "Make key" }).click();
    const key = (await page.getByTestId("api-key").textContent()) ?? "";
    expect(key).toMatch(/^fw_/);

    const { status, json } = await curl("/api/v1/nodes?flag=locked", key);
    expect(status).toBe(200);
    const locked = await query<{ rows: NodeListRow[] }>(page, env.url, "nodes.list", { flag: "locked", pageSize: 500 });
    expect(locked.rows.length).toBeGreaterThan(0);
    expect((json.items as NodeListRow[]).map((n) => n.name).sort()).toEqual(locked.rows.map((n) => n.name).sort());
    expect((json.items as NodeListRow[]).every((n) => n.flags.some((f) => f.kind === "locked"))).toBe(true);
    // Security headers stay on the API's answers, though the proxy skips bearer calls.
    expect(status && (await curl("/api/v1/nodes", key)).headers.get("x-content-type-options")).toBe("nosniff");

    // A read key may not write, whatever Origin it comes with: 403 from the API, not the proxy.
    const alert = await curl("/api/v1/alerts?limit=1", key);
    const alertId = (alert.json.items as { id: string }[])[0]?.id ?? "00000000-0000-4000-8000-000000000000";
    const refused = await curl(`/api/v1/alerts/${alertId}/acknowledge`, key, { method: "POST", origin: "http://evil.example" });
    expect(refused.status).toBe(403);
    expect((refused.json.error as { message: string }).message).toMatch(/read-write key/);

    await page.reload();
    const row = page.getByRole("row").filter({ hasText: "e2e script" });
    await row.getByRole("button", { name: "Revoke…" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke", exact: true }).click();
    await row
      .locator(".form-error")
      .getByText(/^revoked /)
      .waitFor();
    expect((await curl("/api/v1/nodes", key)).status).toBe(401);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("serves the OpenAPI document without a key, and answers bad input in one line, never 500", async () => {
    const doc = await curl("/api/v1/openapi.json", null);
    expect(doc.status).toBe(200);
    expect(doc.json.openapi).toBe("3.1.0");
    expect((await curl("/api/v1/nodes", null)).status).toBe(401);
    const bad = await curl("/api/v1/nodes?limit=0", "fw_unknown");
    expect(bad.status).toBe(401);
  });
});
