import { appRouter } from "@fleetwatch/api";
import { createRequestContext } from "@fleetwatch/api/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { currentUser } from "~/server/auth";

function handler(req: Request) {
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
