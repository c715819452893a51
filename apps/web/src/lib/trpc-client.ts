"use client";

import type { AppRouter } from "@fleetwatch/api";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";

/** The browser's tRPC client: mutations only (reads happen in server components). Same-origin cookie session. */
export const trpcClient = createTRPCClient<AppRouter>({
  links: [httpBatchLink({ url: "/api/trpc", transformer: superjson })],
});

/** One line a person can read: the API's message for refusals and bad input, never a stack. */
export function errorLine(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const code = (error.data as { code?: string } | undefined)?.code;
    if (code === "FORBIDDEN") return "Your role does not allow this.";
    if (code === "UNAUTHORIZED") return "Your session has ended: sign in again.";
    if (code === "INTERNAL_SERVER_ERROR") return "The server could not do this; try again in a moment.";
    return error.message.split("\n")[0] ?? "Something went wrong.";
  }
  return "The server could not be reached; check the connection and try again.";
}
