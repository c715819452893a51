import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path id that cannot be a node's: the 404 page, not an error. */
export function requireUuid(id: string): string {
  if (!UUID.test(id)) notFound();
  return id;
}

/** The API's NOT_FOUND becomes the 404 page; anything else goes to the error boundary. */
export function notFoundOn404(error: unknown): never {
  if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
  throw error;
}
