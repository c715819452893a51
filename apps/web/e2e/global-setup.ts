import { request } from "playwright-core";
import { e2eEnv } from "./browser";

/**
 * The tests read what the judge concluded (MISSED windows, flags such as `locked`, duplicate
 * suspects). A fresh stack's judge runs on its schedule; wait for its first run, so the tests see
 * a judged fleet rather than racing it.
 */
export default async function waitForJudgedFleet() {
  const env = e2eEnv();
  const api = await request.newContext({ baseURL: env.url });
  try {
    const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
    await api.post("/api/auth/callback/credentials", { form: { csrfToken, email: env.email, password: env.password } });
    const deadline = Date.now() + 7 * 60_000;
    let announced = false;
    for (;;) {
      const res = await api.get(`/api/trpc/fleet.overview?input=${encodeURIComponent(JSON.stringify({ json: { nights: 30 } }))}`);
      const body = (await res.json()) as { result?: { data: { json: { counts: { byFlag: Record<string, number> } } } } };
      const flags = body.result?.data.json.counts.byFlag ?? {};
      if (Object.keys(flags).length > 0) return;
      if (Date.now() > deadline) throw new Error("the judge did not run on the e2e stack within 7 minutes (no node has a flag)");
      if (!announced) console.log("e2e: waiting for the judge's first run on the fresh stack…");
      announced = true;
      await new Promise((r) => setTimeout(r, 5000));
    }
  } finally {
    await api.dispose();
  }
}
