import type { Role } from "@fleetwatch/db/client";
import type { z } from "zod";
import type { Caller } from "../caller";
import type { Db } from "../context";

type Shape = z.ZodObject | undefined;
type In<S extends Shape> = S extends z.ZodObject ? z.output<S> : undefined;

export interface HandlerArgs<P extends Shape, Q extends Shape, B extends Shape> {
  db: Db;
  caller: Caller;
  now: Date;
  params: In<P>;
  query: In<Q>;
  body: In<B>;
}

/**
 * One operation of /api/v1: its address, the least role that may call it, its inputs and answer as
 * zod schemas, and the service call. The handler (handler.ts) and the OpenAPI document
 * (openapi.ts) are both made from the same list, so they cannot disagree.
 */
export interface Operation<P extends Shape = Shape, Q extends Shape = Shape, B extends Shape = Shape> {
  method: "get" | "post";
  /** Below /api/v1, OpenAPI style: `/nodes/{id}`. */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  /** The least role a key must act as; an API key's scope gives viewer (read), operator (write) or admin. */
  role: Role;
  params?: P;
  query?: Q;
  body?: B;
  response: z.ZodType;
  /** Answers that are not 200 and not the shared errors, for the document (409 on a repeated action, say). */
  conflict?: string;
  handle(args: HandlerArgs<P, Q, B>): Promise<unknown>;
}

export function operation<P extends Shape = undefined, Q extends Shape = undefined, B extends Shape = undefined>(
  op: Operation<P, Q, B>,
): Operation {
  return op as unknown as Operation;
}
