export { type AdminOutput, parseAdminOutput, splitFields } from "./output";
export { type AdminQueryName, adminQueries, adminSql, EVENT_LOOKBACK_HOURS } from "./queries";
export {
  adminTimestamp,
  associationRecords,
  eventRecords,
  type Mapped,
  nodeRecords,
  type RejectedRow,
  scheduleRecords,
  serverStatus,
} from "./records";
export { outcomeOfServerStatus } from "./server-status";
