import { USER_BODY_LIMIT_BYTES } from "@fleetwatch/core/schemas";
import { ZodError, type z } from "zod";
import { withinBodyLimit } from "../body-limit";
import { type Caller, hasRole } from "../caller";
import type { Db } from "../context";
import { DomainError, type DomainErrorCode } from "../errors";
import { authenticateApiKey } from "../services/admin/api-keys";
import { API_BASE, openApiDocument } from "./openapi";
import type { Operation } from "./operation";
import { operations } from "./routes";

const STATUS: Record<DomainErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNPROCESSABLE_CONTENT: 422,
  TOO_MANY_REQUESTS: 429,
};

/** Every error of /api/v1: `{ error: { status, code, message } }`, one line, never a stack. */
export function errorResponse(status: number, message: string, headers: Record<string, string> = {}): Response {
  const code =
    status === 405 ? "method_not_allowed" : (Object.entries(STATUS).find(([, s]) => s === status)?.[0] ?? "internal").toLowerCase();
  return Response.json({ error: { status, code, message } }, { status, headers: { "cache-control": "no-store", ...headers } });
}

function describeZodError(error: ZodError, where: string): string {
  const first = error.issues[0];
  if (!first) return `${where}: invalid`;
  const path = first.path.length ? first.path.join(".") : where;
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : "";
  return `${path}: ${first.message}${more}`;
}

/** `/nodes/{id}` as a pattern with named groups; compiled once. */
const routes = operations.map((op) => ({
  op,
  pattern: new RegExp(`^${API_BASE}${op.path.replace(/\{(\w+)\}/g, "(?<$1>[^/]+)")}/?$`),
}));

function parse<S extends z.ZodType>(schema: S | undefined, value: unknown, where: string): z.output<S> | undefined {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (!result.success) throw new DomainError("BAD_REQUEST", describeZodError(result.error, where));
  return result.data;
}

/** A query string as an object; a repeated name keeps its last value. */
const queryOf = (url: URL) => Object.fromEntries(url.searchParams.entries());

async function bodyOf(request: Request): Promise<unknown> {
  // Read no further than the limit: a body too large is refused unread, not buffered whole.
  const limited = await withinBodyLimit(request, USER_BODY_LIMIT_BYTES);
  if (limited instanceof Response) throw tooLarge();
  const text = await limited.text();
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DomainError("BAD_REQUEST", `the request body is not valid JSON: ${(error as Error).message.split("\n")[0]}`);
  }
}

const tooLarge = () =>
  new DomainError("PAYLOAD_TOO_LARGE", `the request body is larger than the limit of ${USER_BODY_LIMIT_BYTES / 1024 / 1024} MiB`);

export interface ApiOptions {
  db: Db;
  now?: () => Date;
  /** Where a server error's detail goes (the process's log); never to the caller. */
  log?: (line: string) => void;
}

/**
 * The HTTP API at /api/v1 as a fetch handler (Request in, Response out), so the web app mounts it
 * as a route and tests drive it over plain HTTP. Every operation but the document needs an API key.
 */
export async function handleApiRequest(request: Request, opts: ApiOptions): Promise<Response> {
  const url = new URL(request.url);
  const method = request.method.toUpperCase();
  if (url.pathname === `${API_BASE}/openapi.json` || url.pathname === `${API_BASE}/openapi.json/`) {
    if (method !== "GET" && method !== "HEAD") return errorResponse(405, "use GET", { allow: "GET" });
    return Response.json(openApiDocument(), { headers: { "cache-control": "no-cache" } });
  }
  const matching = routes.map((r) => ({ ...r, match: r.pattern.exec(url.pathname) })).filter((r) => r.match);
  if (!matching.length) return errorResponse(404, `no such API operation: ${url.pathname.slice(0, 200)} (see ${API_BASE}/openapi.json)`);
  const route = matching.find((r) => r.op.method.toUpperCase() === method);
  if (!route?.match) {
    const allow = matching.map((r) => r.op.method.toUpperCase()).join(", ");
    return errorResponse(405, `${method} is not allowed here; use ${allow}`, { allow });
  }
  const now = (opts.now ?? (() => new Date()))();
  try {
    const caller = await authenticateApiKey(opts.db, request.headers.get("authorization"), now);
    if (!caller) {
      const given = /^Bearer\s+\S/i.test(request.headers.get("authorization") ?? "");
      return errorResponse(
        401,
        given ? "this API key is not valid: unknown, revoked or expired" : "an API key is required: send Authorization: Bearer fw_…",
        { "www-authenticate": 'Bearer realm="fleetwatch"' },
      );
    }
    return await run(route.op, request, url, route.match.groups ?? {}, { db: opts.db, caller, now });
  } catch (error) {
    if (error instanceof DomainError) return errorResponse(STATUS[error.code], error.message);
    opts.log?.(`api ${method} ${url.pathname}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return errorResponse(500, "internal error: the server's log has the details");
  }
}

async function run(op: Operation, request: Request, url: URL, groups: Record<string, string>, ctx: { db: Db; caller: Caller; now: Date }) {
  if (!hasRole(ctx.caller, op.role)) {
    const scope = op.role === "admin" ? "an admin" : "a read-write";
    throw new DomainError("FORBIDDEN", `this key may not ${op.summary.toLowerCase()}: it needs ${scope} key`);
  }
  const params = parse(op.params, groups, "path");
  const query = parse(op.query, queryOf(url), "query");
  const body = op.body ? parse(op.body, await bodyOf(request), "body") : undefined;
  const result = await op.handle({ ...ctx, params, query, body } as Parameters<Operation["handle"]>[0]);
  // What leaves is what the document says: JSON as sent, then parsed by the answer's schema.
  const wire = JSON.parse(JSON.stringify(result));
  try {
    return Response.json(op.response.parse(wire), { headers: { "cache-control": "no-store" } });
  } catch (error) {
    if (error instanceof ZodError)
      throw new Error(`${op.operationId}: the answer does not fit its schema: ${describeZodError(error, "answer")}`);
    throw error;
  }
}
