import { initTRPC, TRPCError } from "@trpc/server";
import superjson, { type SuperJSONResult } from "superjson";
import { ZodError } from "zod";
import { type Caller, hasRole } from "./caller";
import type { Context } from "./context";
import { DomainError } from "./errors";

/**
 * superjson, taking each request's input as it was just parsed: annotated in place, not deep-copied
 * first (its default), which for an agent's batch of hundreds of events was a whole second copy.
 * The wire form is superjson's, unchanged.
 */
const transformer = {
  serialize: (value: unknown) => superjson.serialize(value),
  deserialize: (payload: SuperJSONResult) => superjson.deserialize(payload, { inPlace: true }),
};

const t = initTRPC.context<Context>().create({
  transformer,
  errorFormatter({ shape, error }) {
    const zod = error.cause instanceof ZodError ? error.cause : null;
    const details = error.cause instanceof DomainError ? error.cause.details : undefined;
    // Never a stack trace at a caller, nor the text of an error nobody meant for them (a driver's
    // message names tables and columns): the server's log has it.
    const message = error.code === "INTERNAL_SERVER_ERROR" ? "internal error: the server's log has the details" : shape.message;
    return {
      ...shape,
      message,
      data: {
        ...shape.data,
        ...details,
        stack: undefined,
        zodIssues: zod?.issues.slice(0, 20).map((i) => ({ path: i.path.join("."), message: i.message })),
      },
    };
  },
});

function describeZodError(error: ZodError): string {
  const first = error.issues[0];
  if (!first) return "invalid input";
  const path = first.path.length ? first.path.join(".") : "input";
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : "";
  return `${path}: ${first.message}${more}`;
}

/**
 * Domain errors are mapped to tRPC codes once, here; services never know about tRPC. Invalid
 * input becomes one line naming the first bad field, e.g. "events.0.event.status: Invalid option".
 */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (cause instanceof DomainError) throw new TRPCError({ code: cause.code, message: cause.message, cause });
  if (cause instanceof SyntaxError)
    throw new TRPCError({ code: "BAD_REQUEST", message: `the request is not valid JSON: ${cause.message}`, cause });
  if (cause instanceof ZodError) throw new TRPCError({ code: "BAD_REQUEST", message: describeZodError(cause), cause });
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(domainErrors);

function requireRole(role: "viewer" | "operator" | "admin") {
  return publicProcedure.use(({ ctx, next }) => {
    if (ctx.caller.kind !== "user") throw new TRPCError({ code: "UNAUTHORIZED", message: "sign in first" });
    if (!hasRole(ctx.caller, role)) throw new TRPCError({ code: "FORBIDDEN", message: `needs the ${role} role` });
    return next({ ctx: { ...ctx, caller: ctx.caller as Extract<Caller, { kind: "user" }> } });
  });
}

/** A signed-in user of at least the given role. */
export const viewerProcedure = requireRole("viewer");
export const operatorProcedure = requireRole("operator");
export const adminProcedure = requireRole("admin");

/** An enrolled agent, authenticated by its bearer token. */
export const agentProcedure = publicProcedure.use(({ ctx, next }) => {
  if (ctx.caller.kind !== "agent") throw new TRPCError({ code: "UNAUTHORIZED", message: "a valid agent token is required" });
  const verdict = ctx.agentLimiter?.take(ctx.caller.agentId, ctx.now().getTime());
  if (verdict && !verdict.ok) {
    // The agent backs off on 429 and keeps everything in its spool: nothing is lost.
    throw new TRPCError({
      code: "TOO_MANY_REQUESTS",
      message: `too many requests from this agent (limit ${ctx.agentLimiter?.limit.perMinute} per minute); retry in ${verdict.retryAfterSeconds} s`,
    });
  }
  return next({ ctx: { ...ctx, caller: ctx.caller as Extract<Caller, { kind: "agent" }> } });
});

/** An agent enrolled with a collector token: it reports the TSM server's records for any node. */
export const collectorProcedure = agentProcedure.use(({ ctx, next }) => {
  if (!ctx.caller.collector) {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: "this agent was not enrolled as a TSM server collector; enroll it with a collector token",
    });
  }
  return next();
});
