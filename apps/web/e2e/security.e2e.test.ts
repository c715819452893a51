import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type APIRequestContext, type Browser, request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mutate, type NodeListRow, query } from "./api";
import { e2eEnv, launchBrowser, newPage, signIn } from "./browser";

const env = e2eEnv();

/** An HTTP client with the admin's session cookie (and no Origin header of its own). */
async function adminApi(): Promise<APIRequestContext> {
  const api = await request.newContext({ baseURL: env.url });
  const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
  await api.post("/api/auth/callback/credentials", { form: { csrfToken, email: env.email, password: env.password } });
  return api;
}

const trpcBody = (input: unknown) => ({ data: { json: input }, headers: { "content-type": "application/json" } });

describe("security headers", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());

  it("come with every page and API answer; HSTS only behind https", async () => {
    const api = await adminApi();
    try {
      for (const path of ["/", "/signin", "/nodes", "/api/trpc/fleet.health", "/api/trpc/fleet.overview?input=%7B%22json%22%3A%7B%7D%7D"]) {
        const res = await api.get(path, { maxRedirects: 0 });
        const h = res.headers();
        expect({ path, status: res.status() < 500 }).toEqual({ path, status: true });
        expect(h["content-security-policy"], path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'/);
        expect(h["content-security-policy"], path).toContain("frame-ancestors 'none'");
        expect(h["content-security-policy"], path).toContain("object-src 'none'");
        expect(h["content-security-policy"], path).not.toContain("unsafe-eval");
        expect({
          path,
          xfo: h["x-frame-options"],
          nosniff: h["x-content-type-options"],
          referrer: h["referrer-policy"],
          permissions: h["permissions-policy"]?.includes("camera=()"),
          hsts: h["strict-transport-security"],
        }).toEqual({ path, xfo: "DENY", nosniff: "nosniff", referrer: "same-origin", permissions: true, hsts: undefined });
      }
      // A fresh nonce each time.
      const nonce = async () => (await api.get("/signin")).headers()["content-security-policy"]?.match(/'nonce-([^']+)'/)?.[1];
      expect(await nonce()).not.toBe(await nonce());
      // Behind a TLS-terminating proxy (X-Forwarded-Proto: https): HSTS too.
      const behindTls = await api.get("/signin", { headers: { "x-forwarded-proto": "https" } });
      expect(behindTls.headers()["strict-transport-security"]).toBe("max-age=31536000");
      // Static files and agents' bearer calls keep the constant ones.
      const agentCall = await api.get("/api/trpc/fleet.health", { headers: { authorization: "Bearer fwa_none" } });
      expect(agentCall.headers()["x-content-type-options"]).toBe("nosniff");
      expect(agentCall.headers()["x-frame-options"]).toBe("DENY");
    } finally {
      await api.dispose();
    }
  });

  it("every page runs under the CSP with no violation, its scripts running", async () => {
    const { page, errors, context } = await newPage(browser);
    const violations: string[] = [];
    await page.exposeFunction("reportCspViolation", (line: string) => violations.push(line));
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) =>
        (window as unknown as { reportCspViolation(l: string): void }).reportCspViolation(
          `${e.violatedDirective} ${e.blockedURI} at ${document.location.pathname}`,
        ),
      );
    });
    await page.goto(`${env.url}/signin`);
    // The button is enabled only once React has hydrated: Next's scripts ran under the policy.
    await page.getByRole("button", { name: "Sign in" }).and(page.locator(":enabled")).waitFor();
    await signIn(page, env);
    const api = await adminApi();
    const node = (await query<{ rows: NodeListRow[] }>(api, env.url, "nodes.list", { pageSize: 1 })).rows[0]!;
    await api.dispose();
    for (const path of [
      "/",
      "/nodes",
      `/nodes/${node.id}`,
      "/review",
      "/alerts",
      "/audit",
      "/settings",
      "/settings/agents",
      "/settings/users",
      "/settings/badges",
    ]) {
      const res = await page.goto(`${env.url}${path}`);
      expect(res?.headers()["content-security-policy"], path).toContain("'nonce-");
      await page.locator("main h1").first().waitFor();
      await page.waitForLoadState("networkidle");
    }
    // A client-side navigation and a dialog: scripts loaded later run too.
    await page.goto(`${env.url}/`);
    await page.getByRole("link", { name: "Nodes" }).first().click();
    await page.waitForURL(`${env.url}/nodes`);
    await page.goto(`${env.url}/no-such-page`);
    await page.waitForLoadState("networkidle");
    expect(violations).toEqual([]);
    expect(errors.filter((e) => !e.includes("404"))).toEqual([]);
    await context.close();
  });

  it("the dashboard cannot be framed by another site", async () => {
    // Another site's page that frames Fleetwatch's sign-in page. It is served from 127.0.0.1 (the
    // stack is localhost: another origin, another site); a public one would not do, Chromium keeps
    // public pages from framing local addresses whatever the headers say.
    const attacker = createServer((_req, res) => {
      res.setHeader("content-type", "text/html");
      res.end(`<h1>Win a prize</h1><iframe src="${env.url}/signin" width="800" height="600"></iframe>`);
    });
    await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
    const { page, context } = await newPage(browser);
    try {
      await page.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
      await expect.poll(() => page.frames().length).toBe(2);
      const frame = page.frames().find((f) => f !== page.mainFrame())!;
      await frame.waitForLoadState("load");
      // Framed, the frame would hold the sign-in page (its title is in the HTML as sent); refused,
      // it holds the browser's error page.
      const title = await frame.title().catch(() => "");
      expect({ url: frame.url(), title }).toEqual({
        url: "chrome-error://chromewebdata/",
        title: expect.not.stringContaining("Fleetwatch"),
      });
    } finally {
      await context.close();
      attacker.close();
    }
  });
});

describe("cross-site state changes", () => {
  let api: APIRequestContext;
  beforeAll(async () => {
    api = await adminApi();
  });
  afterAll(async () => api?.dispose());

  const tokenCount = async () => (await query<unknown[]>(api, env.url, "admin.enrollmentTokens")).length;

  it("a POST from another origin with the admin's cookie is refused with 403 and one line; the site's own and agents' pass", async () => {
    const before = await tokenCount();
    const foreign: Record<string, string>[] = [
      { origin: "http://evil.example" },
      { origin: "null" },
      { referer: "http://evil.example/attack.html" },
    ];
    for (const headers of foreign) {
      const res = await api.post("/api/trpc/admin.createEnrollmentToken", {
        data: { json: { note: "cross-site" } },
        headers: { "content-type": "application/json", ...headers },
      });
      expect(res.status()).toBe(403);
      expect(res.headers()["x-frame-options"]).toBe("DENY");
      const body = (await res.json()) as { error: { json: { message: string; data: { code: string } } } };
      expect(body.error.json.data.code).toBe("FORBIDDEN");
      expect(body.error.json.message).toMatch(
        /^cross-site request refused: (Origin|Referer) "(http:\/\/evil\.example|null)" is not this site$/,
      );
    }
    // next-auth's own POSTs: signing out, and signing someone in (login CSRF).
    for (const path of ["/api/auth/signout", "/api/auth/callback/credentials"]) {
      const res = await api.post(path, { form: { email: env.email }, headers: { origin: "http://evil.example" }, maxRedirects: 0 });
      expect({ path, status: res.status() }).toEqual({ path, status: 403 });
    }
    expect(await tokenCount()).toBe(before);

    // The site's own origin, and callers that send none (scripts, agents with a bearer token), still work.
    const same = await api.post("/api/trpc/admin.createEnrollmentToken", {
      ...trpcBody({ note: "same-origin" }),
      headers: { "content-type": "application/json", origin: env.url, referer: `${env.url}/settings/agents` },
    });
    expect(same.status()).toBe(200);
    const { token } = await mutate<{ token: string }>(api, env.url, "admin.createEnrollmentToken", { note: "no origin" });
    expect(await tokenCount()).toBe(before + 2);

    // An agent over plain HTTP: enrolls and ships with no Origin, as undici sends it.
    const anonymous = await request.newContext({ baseURL: env.url });
    try {
      const enrolled = await mutate<{ token: string }>(anonymous, env.url, "ingest.enroll", {
        enrollmentToken: token,
        name: "origin-test",
      });
      const batch = await anonymous.post("/api/trpc/ingest.batch", {
        data: {
          json: {
            machine: {
              machineId: "origin-test-machine",
              hostname: "origin-test",
              os: null,
              osVersion: null,
              macAddresses: [],
              clientVersion: null,
            },
            events: [],
            problems: [],
            heartbeats: [],
            announcements: [],
          },
        },
        headers: { "content-type": "application/json", authorization: `Bearer ${enrolled.token}` },
      });
      expect(batch.status()).toBe(200);
    } finally {
      await anonymous.dispose();
    }
  });
});

describe("sign-in throttling", () => {
  let browser: Browser;
  let admin: APIRequestContext;
  const user = { email: `throttled-${Date.now()}@fleetwatch.test`, password: "throttle-password-123" };
  // Its own address (the stack trusts X-Forwarded-For's last entry), so 127.0.0.1 stays unthrottled for the other tests.
  const address = "203.0.113.77";

  beforeAll(async () => {
    browser = await launchBrowser();
    admin = await adminApi();
    await mutate(admin, env.url, "admin.createUser", { ...user, role: "viewer" });
  });
  afterAll(async () => {
    await admin?.dispose();
    await browser?.close();
  });

  async function attempt(password: string) {
    const api = await request.newContext({ baseURL: env.url, extraHTTPHeaders: { "x-forwarded-for": address } });
    try {
      const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
      const started = Date.now();
      const res = await api.post("/api/auth/callback/credentials", {
        form: { csrfToken, email: user.email, password, json: "true" },
        maxRedirects: 0,
      });
      const ms = Date.now() - started;
      const session = (await (await api.get("/api/auth/session")).json()) as { user?: { email?: string } };
      return { status: res.status(), retryAfter: res.headers()["retry-after"], body: await res.text(), ms, signedIn: session.user?.email };
    } finally {
      await api.dispose();
    }
  }

  it("wrong passwords slow down, then 429 with Retry-After; the right one is refused in one line until the back-off ends", async () => {
    // A person at the form, from 127.0.0.1: the account is backed off wherever the guesses came from.
    const { page, context } = await newPage(browser);
    await page.goto(`${env.url}/signin`);
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);

    const wrong = [];
    for (let i = 0; i < 5; i++) wrong.push(await attempt(`wrong-${i}`));
    expect(wrong.map((w) => w.status)).toEqual([401, 401, 401, 401, 401]);
    // Failures past the third are answered late on purpose (0.5 s, then 1 s).
    expect(wrong[4]!.ms).toBeGreaterThanOrEqual(1000);
    console.log(`sign-in throttling: the five wrong answers took ${wrong.map((w) => w.ms).join(", ")} ms`);

    await page.getByRole("button", { name: "Sign in" }).click();
    // The form's own line (Next's route announcer is a role="alert" too).
    await page.getByText(/^Too many failed sign-ins for this account; try again in \d+ s\.$/).waitFor();
    expect(new URL(page.url()).pathname).toBe("/signin");

    const during = await attempt(user.password);
    expect(during.status).toBe(429);
    const wait = Number(during.retryAfter);
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(Number(process.env.FLEETWATCH_SIGNIN_BACKOFF_SECONDS ?? 60));
    expect(JSON.parse(during.body).error).toMatch(/^Too many failed sign-ins for this account; try again in \d+ s\.$/);
    expect(during.signedIn).toBeUndefined();

    await new Promise((r) => setTimeout(r, (wait + 1) * 1000));
    const after = await attempt(user.password);
    expect({ status: after.status, signedIn: after.signedIn }).toEqual({ status: 200, signedIn: user.email });
    await signIn(page, env, user);
    await context.close();

    const audit = await query<{ rows: { action: string; detail: { email?: string } | null }[] }>(admin, env.url, "admin.auditLog", {
      page: 1,
      pageSize: 50,
    });
    expect(audit.rows.some((r) => r.action === "signin.throttled" && r.detail?.email === user.email)).toBe(true);
  });
});
