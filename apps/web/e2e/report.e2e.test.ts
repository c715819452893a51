import { readable, smtpSink } from "@fleetwatch/api/testing-smtp";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { mutate, type NodeListRow, query } from "./api";
import { e2eEnv, signedInPage } from "./browser";

// The morning report against the running product, jobs on: a real SMTP receiver in this process
// is the stack's mail server for the length of the test, then the settings go back as they were.

const env = e2eEnv();

interface Channels {
  email: { to: string[]; from: string; smtpUrl: string | null; dailyDigestHour: number; ownerReports: boolean };
  webhook: { url: string | null };
}

describe("the morning report page", () => {
  let page: Page;
  let before: Channels;
  signedInPage(env, (p) => {
    page = p;
  });
  beforeAll(async () => {
    before = (await query<{ channels: Channels }>(page, env.url, "admin.settings")).channels;
  });

  it("shows the digest as it will be sent, and each owner's report; Send me a test says what happened, then sends by the real mail path", async () => {
    expect(before.email.smtpUrl).toBeNull();
    // An owner for a node whose last night was missed, set by staff on the node's page.
    const missed = await query<{ rows: NodeListRow[] }>(page, env.url, "nodes.list", { outcome: "missed", sort: "name" });
    const node = missed.rows[0];
    if (!node) throw new Error("the demo fleet has no node whose last night was missed");
    await page.goto(`${env.url}/nodes/${node.id}`);
    await page.getByRole("button", { name: "Set owner…" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Contact").fill("E2E Owner");
    await dialog.getByLabel("E-mail").fill("e2e-owner@example.org");
    await dialog.getByRole("button", { name: "Save owner" }).click();
    await expect
      .poll(
        async () => (await query<{ owner: { address: string | null } }>(page, env.url, "nodes.byId", { nodeId: node.id })).owner.address,
        {
          timeout: 15_000,
        },
      )
      .toBe("e2e-owner@example.org");
    await page.reload();
    await expect
      .poll(async () => (await page.getByTestId("fact-owner").textContent()) ?? "", { timeout: 15_000 })
      .toMatch(/E2E Owner e2e-owner@example\.org \(set by staff: /);

    // No mail server yet: the page says so, and the test button says why nothing went.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Morning report" }).click();
    await page.waitForURL(`${env.url}/report`);
    await expect
      .poll(async () => (await page.getByTestId("report-state").textContent()) ?? "", { timeout: 15_000 })
      .toMatch(/^Not sent: no mail server is configured/);
    const digest = (await page.getByTestId("digest-text").textContent()) ?? "";
    expect(digest).toMatch(
      /^TSM Scheduled backup failure report, \d{4}-\d{2}-\d{2}\n\n\d+ nodes checked since .*: \d+ are fine, \d+ need attention\.\n/,
    );
    const ownerRow = page.getByTestId("owner-reports").getByRole("row", { name: /e2e-owner@example\.org/ });
    await expect.poll(async () => (await ownerRow.textContent()) ?? "", { timeout: 15_000 }).toContain(node.name);
    await page.getByRole("button", { name: "Send me a test" }).click();
    await expect
      .poll(async () => (await page.getByTestId("test-result").textContent()) ?? "", { timeout: 30_000 })
      .toBe("Not sent: no mail server is configured (Settings > Alert channels > SMTP server).");

    // A mail server, and the hour come: the test goes to the signed-in user, the job sends the day's mails.
    const sink = await smtpSink();
    try {
      await mutate(page, env.url, "admin.updateSettings", {
        channels: { ...before, email: { ...before.email, smtpUrl: sink.url, dailyDigestHour: 0 } },
      });
      await page.reload();
      await page.getByRole("button", { name: "Send me a test" }).click();
      await expect
        .poll(async () => (await page.getByTestId("test-result").textContent()) ?? "", { timeout: 30_000 })
        .toBe(`Sent to ${env.email.toLowerCase()}: the mail server accepted it.`);
      const test = sink.mails.find((m) => m.to.includes(env.email.toLowerCase()));
      const testMail = readable(test?.data ?? "").replace(/\r\n/g, "\n");
      expect(testMail).toMatch(/^Subject: \[Test\] TSM Scheduled backup failure report$/m);
      // The same renderer as the page: its first lines, word for word (nights judged since may add more below).
      expect(testMail).toContain(digest.split("\n").slice(0, 3).join("\n"));

      // The delivery job (every minute) sends the owner's report: only their node, what to do, a manual backup.
      await expect
        .poll(() => sink.mails.some((m) => m.to.includes("e2e-owner@example.org")), { timeout: 100_000, interval: 2000 })
        .toBe(true);
      const owner = readable(sink.mails.find((m) => m.to.includes("e2e-owner@example.org"))?.data ?? "").replace(/\r\n/g, "\n");
      expect(owner).toMatch(/^Subject: TSM Scheduled backup failure report$/m);
      expect(owner).toContain("Hello E2E Owner,");
      expect(owner).toContain(`== Node ${node.name}`);
      expect(owner).toContain("What to do:");
      expect(owner).toContain("A manual backup is advised");
      expect(owner.match(/^== Node /gm)).toHaveLength(1);

      await page.reload();
      await expect.poll(async () => (await page.getByTestId("report-state").textContent()) ?? "", { timeout: 15_000 }).toMatch(/^Sent /);
      await expect.poll(async () => (await ownerRow.textContent()) ?? "", { timeout: 15_000 }).toContain("delivered");
    } finally {
      await mutate(page, env.url, "admin.updateSettings", { channels: before });
      await sink.close();
    }
  }, 180_000);
});
