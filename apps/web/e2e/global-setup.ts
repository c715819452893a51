import { request } from "playwright-core";
import { e2eEnv } from "./browser";

/**
 * The tests read what the judge concluded (MISSED windows, flags such as `locked`, duplicate
 * suspects). A fresh stack's judge runs on its schedule, and a run may fall in the middle of the
 * demo load; wait until the fleet shows what the seeded demo always holds (a locked node, a
 * duplicate pair, a node whose last night was missed), so the tests see a judged fleet.
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
      const body = (await res.json()) as { result?: { data: { json: { counts: { missed: number; byFlag: Record<string, number> } } } } };
      const counts = body.result?.data.json.counts;
      const judged = counts && counts.missed > 0 && (counts.byFlag.locked ?? 0) > 0 && (counts.byFlag["duplicate-suspect"] ?? 0) > 0;
      if (judged) return;
      if (Date.now() > deadline)
        throw new Error("the e2e stack's fleet was not judged within 7 minutes (no missed node, locked node or duplicate suspect)");
      if (!announced) console.log("e2e: waiting for the judge's first run on the fresh stack…");
      announced = true;
      await new Promise((r) => setTimeout(r, 5000));
    }
  } finally {
    await api.dispose();
  }
}
