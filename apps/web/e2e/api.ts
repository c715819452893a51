import type { APIRequestContext, Page } from "playwright-core";

/**
 * The tRPC HTTP API as the signed-in page sees it (its cookies). Inputs and outputs go through
 * superjson's wire form `{ json }`; dates come back as ISO strings, which is all tests compare.
 */
type Requester = Page | APIRequestContext;
const req = (r: Requester) => ("request" in r ? r.request : r);

export class TrpcHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function unwrap<T>(res: { status(): number; json(): Promise<unknown> }): Promise<T> {
  const body = (await res.json()) as { result?: { data: { json: T } }; error?: { json: { message: string; data: { code: string } } } };
  if (body.error) throw new TrpcHttpError(res.status(), body.error.json.data.code, body.error.json.message);
  return body.result!.data.json;
}

export async function query<T>(r: Requester, base: string, path: string, input?: unknown): Promise<T> {
  const q = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  return unwrap<T>(await req(r).get(`${base}/api/trpc/${path}${q}`));
}

export async function mutate<T>(r: Requester, base: string, path: string, input: unknown): Promise<T> {
  return unwrap<T>(
    await req(r).post(`${base}/api/trpc/${path}`, { data: { json: input }, headers: { "content-type": "application/json" } }),
  );
}

/** The shapes the tests read (a subset of the API's outputs). */
export interface Overview {
  counts: Record<string, number | Record<string, number>> & { total: number; locked: number };
  nightly: { night: string }[];
  attention: { nodeId: string; name: string }[];
}
export interface NodeListRow {
  id: string;
  name: string;
  lastOutcome: string | null;
  flags: { kind: string }[];
}
export interface RecentWindow {
  id: string;
  outcome: string;
  cause: string | null;
  node: { id: string; name: string };
}
