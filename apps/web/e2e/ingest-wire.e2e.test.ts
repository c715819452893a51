import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { mutate } from "./api";
import { e2eEnv, screenshot, signedInPage } from "./browser";

// The agents' wire as a running server answers it over HTTP (issue 12, items 1 and 3): a record it
// cannot store is refused by name with 422 while the rest is stored, a body past the limit gets 413
// unread, and staff see the refusals on the agents page.

const env = e2eEnv();
let page: Page;
signedInPage(env, (p) => {
  page = p;
});

/** An agent enrolled the way the agent does it: a token from the admin, traded over HTTP. */
async function enrolledAgent(name: string): Promise<string> {
  const { token } = await mutate<{ token: string }>(page, env.url, "admin.createEnrollmentToken", { note: `e2e ${name}`, ttlHours: 1 });
  const res = await fetch(`${env.url}/api/trpc/ingest.enroll`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ json: { enrollmentToken: token, name } }),
  });
  const body = (await res.json()) as { result: { data: { json: { token: string } } } };
  return body.result.data.json.token;
}

const night = (day: number, returnCode: number) => ({
  node: "E2E-WIRE01",
  utcOffsetMinutes: 0,
  event: {
    schedule: "DAILY_INCR",
    scheduledStart: `2026-11-${String(day).padStart(2, "0")}T20:00:00`,
    startedAt: `2026-11-${String(day).padStart(2, "0")}T20:00:04`,
    endedAt: `2026-11-${String(day).padStart(2, "0")}T20:31:00`,
    status: "completed",
    returnCode,
    stats: null,
    messages: [],
    causes: [],
    cause: null,
    benign: false,
  },
});

const machine = {
  machineId: "e2e-wire-machine",
  hostname: "e2e-wire01",
  os: "linux",
  osVersion: null,
  macAddresses: [],
  clientVersion: null,
};

const ship = (token: string, body: string) =>
  fetch(`${env.url}/api/trpc/ingest.batch`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body,
  });

describe("the agents' wire", () => {
  it("refuses a record the server cannot store by name (422), stores the rest, and shows it on the agents page", async () => {
    const token = await enrolledAgent("e2e-wire01");
    const batch = { machine, events: [night(1, 0), night(2, 4294967296), night(3, 0)], problems: [], heartbeats: [] };
    const res = await ship(token, JSON.stringify({ json: batch }));
    expect(res.status).toBe(422);
    const body = (await res.json()) as {
      error: { json: { message: string; data: { rejected: unknown[]; accepted: { events: number } } } };
    };
    expect(body.error.json.message).toMatch(
      /^1 of 3 records refused, the rest stored; first: events\[1\] \(node E2E-WIRE01\): event\.returnCode/,
    );
    expect(body.error.json.data.rejected).toHaveLength(1);
    expect(body.error.json.data.accepted.events).toBe(2);

    await page.goto(`${env.url}/settings/agents`);
    const row = page.getByRole("row").filter({ hasText: "e2e-wire01" });
    await row.getByText(/^1 rejected record, the newest .* for E2E-WIRE01: event\.returnCode/).waitFor();
    await screenshot(page, "agents-rejected-record");
  });

  it("refuses a body past the limit with 413 and one line, before reading it", async () => {
    const token = await enrolledAgent("e2e-wire02");
    const huge = JSON.stringify({ json: { machine, events: [], problems: [], heartbeats: [], padding: "x".repeat(9 * 1024 * 1024) } });
    const res = await ship(token, huge);
    expect(res.status).toBe(413);
    const body = (await res.json()) as { error: { json: { message: string } } };
    expect(body.error.json.message).toBe("the request body is larger than the server's limit of 8 MiB: send it in smaller batches");
  });

  it("refuses a batch that claims another agent's machine (403)", async () => {
    const token = await enrolledAgent("e2e-wire03");
    const res = await ship(token, JSON.stringify({ json: { machine, events: [night(4, 0)], problems: [], heartbeats: [] } }));
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { json: { message: string } } };
    expect(body.error.json.message).toMatch(/^machine e2e-wire01 is watched by another agent/);
  });
});
