import { adminRouter } from "./routers/admin";
import { fleetRouter } from "./routers/fleet";
import { ingestRouter } from "./routers/ingest";
import { nodesRouter } from "./routers/nodes";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  ingest: ingestRouter,
  fleet: fleetRouter,
  nodes: nodesRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
