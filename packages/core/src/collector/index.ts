export { parseAdminOutput } from "./output";
export { type AdminQueryName, type AdminTable, adminQueries, adminSql } from "./queries";
export {
  associationRecords,
  eventRecords,
  nodeRecords,
  type RejectedRow,
  scheduleRecords,
  serverStatus,
} from "./records";
export { outcomeOfServerStatus } from "./server-status";
