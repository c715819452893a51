import type { AppRouter } from "@fleetwatch/api";
import type { AnyTRPCMutationProcedure, AnyTRPCQueryProcedure, inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { Dispatcher } from "undici";
import request from "undici/lib/api/api-request.js";
// undici's HTTP/1.1 client alone: its index also loads fetch, WebSocket, mocks and caches, about
// 8 MiB of RSS the daemon never uses (see README, agent memory).
import Agent from "undici/lib/dispatcher/agent.js";

// The server's procedures as types only: `import type` is erased, so the bundle gains no byte of
// the api package (scripts/check-arrows.ts allows the agent exactly this import of it).
type Procedures = AppRouter["_def"]["record"];
type Inputs = inferRouterInputs<AppRouter>;
type Outputs = inferRouterOutputs<AppRouter>;
/** `router.procedure` for every procedure of one kind (the agent's calls are all two levels deep). */
type PathsOf<Kind> = {
  [R in keyof Procedures & string]: {
    [N in keyof Procedures[R] & string]: Procedures[R][N] extends Kind ? `${R}.${N}` : never;
  }[keyof Procedures[R] & string];
}[keyof Procedures & string];
export type MutationPath = PathsOf<AnyTRPCMutationProcedure>;
export type QueryPath = PathsOf<AnyTRPCQueryProcedure>;
type At<T, P> = P extends `${infer R}.${infer N}` ? (R extends keyof T ? (N extends keyof T[R] ? T[R][N] : never) : never) : never;
/** What a procedure takes, and what it answers, as the server's router says. */
export type InputOf<P extends string> = At<Inputs, P>;
export type OutputOf<P extends string> = At<Outputs, P>;

/** A failed call, with what the shipper needs to decide: retry, wait, or give up. */
export class ServerError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly retryAfterMs: number | null,
    /** The tRPC error code (BAD_REQUEST, UNAUTHORIZED, ...) when the server gave one. */
    readonly code: string | null = null,
    /** The error's `data` as the server sent it (a 422 names the refused records there). */
    readonly data: Record<string, unknown> | null = null,
  ) {
    super(message);
    this.name = "ServerError";
  }

  /**
   * 4xx other than 408/429 will not get better by retrying the same request. No readable answer
   * at all (status null, or a 2xx/3xx whose body broke off) may mean the server committed and
   * died before answering: retrying is right, and the server's idempotency makes it safe.
   */
  get retryable(): boolean {
    const s = this.status;
    return s === null || s < 400 || s >= 500 || s === 408 || s === 429;
  }
}

export interface ServerClient {
  mutation<P extends MutationPath>(path: P, input: InputOf<P>): Promise<OutputOf<P>>;
  query<P extends QueryPath>(path: P): Promise<OutputOf<P>>;
  close(): Promise<void>;
}

/**
 * A minimal tRPC-over-HTTP client on undici: keep-alive, a deadline on every request, and errors
 * as one line. The server uses superjson; plain JSON wrapped as `{ json }` is valid superjson.
 */
export function createServerClient(opts: { server: string; token: string | null; timeoutMs?: number }): ServerClient {
  const timeout = opts.timeoutMs ?? 30_000;
  const dispatcher = new Agent({
    keepAliveTimeout: 30_000,
    connectTimeout: Math.min(timeout, 10_000),
    headersTimeout: timeout,
    bodyTimeout: timeout,
  });
  const base = opts.server.replace(/\/+$/, "");
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "fleetwatch-agent" };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;

  async function call<T>(method: "GET" | "POST", path: string, input?: unknown): Promise<T> {
    let res: Dispatcher.ResponseData;
    try {
      const url = new URL(`${base}/api/trpc/${path}`); // a bad server URL is a ServerError too, as below
      res = await request.call(dispatcher, {
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method,
        headers,
        body: method === "POST" ? JSON.stringify({ json: input }) : undefined,
        signal: AbortSignal.timeout(timeout),
      });
    } catch (error) {
      throw new ServerError(`cannot reach ${base}: ${describe(error)}`, null, null);
    }
    let payload: unknown;
    try {
      payload = await res.body.json();
    } catch (error) {
      // A 2xx whose body broke off is no answer: report it without a status so it is retried.
      throw new ServerError(
        `${base} answered ${res.statusCode} with an unreadable body: ${describe(error)}`,
        res.statusCode >= 400 ? res.statusCode : null,
        retryAfter(res.headers["retry-after"]),
      );
    }
    const body = payload as {
      result?: { data?: { json?: T } };
      error?: { json?: { message?: string; data?: { code?: string } & Record<string, unknown> } };
    };
    if (res.statusCode >= 400 || body.error) {
      const message = body.error?.json?.message ?? `HTTP ${res.statusCode}`;
      const code = body.error?.json?.data?.code ?? null;
      const data = body.error?.json?.data ?? null;
      throw new ServerError(`server refused ${path}: ${message}`, res.statusCode, retryAfter(res.headers["retry-after"]), code, data);
    }
    return body.result?.data?.json as T;
  }

  return {
    mutation: (path, input) => call("POST", path, input),
    query: (path) => call("GET", path),
    close: () => dispatcher.close(),
  };
}

function retryAfter(value: string | string[] | undefined): number | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return null;
  const seconds = Number(v);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    return code ? `${code} ${error.message}` : error.message;
  }
  return String(error);
}
