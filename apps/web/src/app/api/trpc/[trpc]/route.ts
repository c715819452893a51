import { appRouter } from "@fleetwatch/api";
import { bodyLimitFor, withinBodyLimit } from "@fleetwatch/api/body-limit";
import { createRequestContext } from "@fleetwatch/api/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { currentUser } from "~/server/auth";

async function handler(incoming: Request) {
  // Checked before tRPC parses anything: a 50 MB body is refused unread (413).
  const limit = bodyLimitFor(new URL(incoming.url).pathname, incoming.headers.has("authorization"));
  const req = await withinBodyLimit(incoming, limit);
  if (req instanceof Response) return req;
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () => {
      const authorization = req.headers.get("authorization");
      // An agent's bearer token wins; a cookie session is only read for browser calls.
      const user = authorization ? null : await currentUser();
      return createRequestContext({ authorization, user });
    },
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`trpc ${path ?? "?"}: ${error.message}`);
    },
  });
}

export { handler as GET, handler as POST };
