import { adminRouter } from "./routers/admin";
import { alertsRouter } from "./routers/alerts";
import { fleetRouter } from "./routers/fleet";
import { ingestRouter } from "./routers/ingest";
import { maintenanceRouter } from "./routers/maintenance";
import { nodesRouter } from "./routers/nodes";
import { profilesRouter } from "./routers/profiles";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  ingest: ingestRouter,
  fleet: fleetRouter,
  nodes: nodesRouter,
  alerts: alertsRouter,
  maintenance: maintenanceRouter,
  profiles: profilesRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
