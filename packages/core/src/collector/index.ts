export { type AdminOutput, parseAdminOutput, splitFields } from "./output";
export { type AdminQueryName, adminQueries, adminSql } from "./queries";
export { adminTimestamp, associationRecords, type Mapped, nodeRecords, type RejectedRow, scheduleRecords, serverStatus } from "./records";
