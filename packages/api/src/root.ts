import { adminRouter } from "./routers/admin";
import { alertsRouter } from "./routers/alerts";
import { fleetRouter } from "./routers/fleet";
import { groupsRouter } from "./routers/groups";
import { ingestRouter } from "./routers/ingest";
import { maintenanceRouter } from "./routers/maintenance";
import { nodesRouter } from "./routers/nodes";
import { profilesRouter } from "./routers/profiles";
import { reportRouter } from "./routers/report";
import { viewsRouter } from "./routers/views";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  ingest: ingestRouter,
  fleet: fleetRouter,
  nodes: nodesRouter,
  alerts: alertsRouter,
  maintenance: maintenanceRouter,
  profiles: profilesRouter,
  report: reportRouter,
  admin: adminRouter,
  groups: groupsRouter,
  views: viewsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
