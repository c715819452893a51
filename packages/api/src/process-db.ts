import { getDb } from "@fleetwatch/db/client";
import { databaseUrl, serverConfig } from "./config/server-config";

/** The app process's one Prisma client, on the DATABASE_URL of its settings. */
export function processDb() {
  return getDb(databaseUrl(serverConfig()));
}
