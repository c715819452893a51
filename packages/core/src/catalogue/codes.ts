import type { FailureCause, MessageFlag } from "../schemas/event";
import type { RemedyKey } from "./remedies";

/**
 * One row per ANS code: [code, meaning, cause, remedy, flag?]. Severity is the code's last letter.
 * Causes follow shared/spec/parse-contract.md exactly; texts are IBM's 8.2.1 wording, summarised
 * (shared/reference/tsm-facts.md). Match on the code only: the text changes with each product rename.
 */
export type CodeRow = readonly [string, string, FailureCause | null, RemedyKey, MessageFlag?];

export const codeRows: readonly CodeRow[] = [
  // Sign-on refused: the node or its password
  ["ANS1361E", "Session rejected: the node name is locked on the server", "node-locked", "unlock-node"],
  ["ANS1533E", "Proxy rejected: the ASNODENAME target node is locked", "node-locked", "unlock-node"],
  ["ANS0298E", "Session rejected: the user ID is locked", null, "unlock-node"],
  ["ANS8056E", "The administrator ID is locked", null, "unlock-node"],
  ["ANS1352E", "Session rejected: the password has expired", "password-expired", "change-password"],
  ["ANS1831E", "Password expired; the administrator must run the client to update it", "password-expired", "change-password"],
  ["ANS1418E", "Authentication error: the admin and/or node password has expired", "password-expired", "change-password"],
  ["ANS8004W", "The password will expire within a few days", null, "change-password", "password-expiring"],
  ["ANS1025E", "Session rejected: authentication failure (wrong ID or password)", "auth-failure", "store-password"],
  ["ANS1051I", "Invalid user ID or password", null, "store-password"],
  ["ANS1353E", "Session rejected: the node is unknown to the server", "auth-failure", "contact-backup-team"],
  ["ANS5046E", "Session rejected: unknown or incorrect node ID", "auth-failure", "contact-backup-team"],
  ["ANS2050E", "The client needs a password but runs in the background and cannot prompt", "auth-failure", "store-password"],
  ["ANS1503E", "No valid stored password for the server", "auth-failure", "store-password"],
  ["ANS1835E", "PASSWORDACCESS GENERATE, but the password is not stored or was changed at the server", "auth-failure", "store-password"],
  ["ANS4083I", "A new node password has been generated", null, "none"],
  // Sign-on refused: the server
  ["ANS1351E", "Session rejected: all server sessions are in use", "server-refused", "retry-later"],
  ["ANS1354E", "Session rejected: duplicate ID (another process uses this node name)", "server-refused", "retry-later"],
  ["ANS1355E", "Session rejected: the server is disabled", "server-refused", "retry-later"],
  ["ANS1357S", "Session rejected: the client is older than the server accepts", "server-refused", "upgrade-client"],
  ["ANS1359E", "Session rejected: the node name is in use", "server-refused", "retry-later"],
  ["ANS1364E", "Session rejected: the server lacks recovery log space", "server-refused", "contact-backup-team"],
  ["ANS1365E", "Session rejected: the server lacks database space", "server-refused", "contact-backup-team"],
  ["ANS1369E", "The session was cancelled by the server administrator", "cancelled-by-server", "contact-backup-team"],
  ["ANS1311E", "The server is out of data storage space", "server-out-of-space", "contact-backup-team"],
  ["ANS1329S", "The server is out of data storage space", "server-out-of-space", "contact-backup-team"],
  // Configuration and the client machine
  ["ANS1071E", "Invalid domain name: a DOMAIN entry is not a mounted file system", "invalid-domain", "fix-domain"],
  ["ANS1063E", "The path is not a valid file system or logical volume", "invalid-domain", "fix-domain"],
  ["ANS1134E", "The drive is an invalid drive specification", "invalid-domain", "fix-domain"],
  ["ANS1149E", "No domain is available for incremental backup", "invalid-domain", "fix-domain"],
  ["ANS1030E", "The operating system refused a request for memory", "out-of-memory", "restart-scheduler"],
  ["ANS1902E", "The PRESCHEDULECMD failed; the scheduled event is not run", "pre-command-failed", "fix-pre-command"],
  ["ANS2250W", "A core file or crash report of the client was found", null, "none"],
  // The session to the server
  ["ANS1017E", "Session rejected: TCP/IP connection failure", "communication-lost", "check-network"],
  ["ANS1029E", "Communication with the server is lost", "communication-lost", "check-network"],
  ["ANS1809W", "The session was disconnected; the client will try to reconnect", null, "check-network"],
  ["ANS1810I", "The session with the server has been re-established", null, "none", "reconnected"],
  ["ANS1811S", "The session could not be re-established", "communication-lost", "check-network"],
  ["ANS5216E", "Could not establish a TCP/IP connection to the server", "communication-lost", "check-network"],
  ["ANS9020E", "A session could not be established with the server", "communication-lost", "check-network"],
  ["ANS8023E", "dsmadmc: unable to establish a session with the server", null, "check-network"],
  ["ANS8034E", "dsmadmc: the administrator ID is not known to the server", null, "contact-backup-team"],
  ["ANS0361I", "Diagnostic text", null, "none"],
  // Files
  ["ANS4023E", "File input/output error; the file is skipped", "corrupt-files", "check-disk"],
  ["ANS4046E", "The object is corrupted and unreadable", "corrupt-files", "check-disk"],
  ["ANS4047E", "Read error; the file is skipped", "corrupt-files", "check-disk"],
  ["ANS4037E", "The object changed during processing and was skipped", "files-changed", "exclude-open-files"],
  ["ANS4987E", "The object is in use by another process", "files-changed", "exclude-open-files"],
  ["ANS4005E", "The file was not found (it vanished before backup)", "files-skipped", "check-file-access"],
  ["ANS4007E", "Access to the object is denied", "files-skipped", "check-file-access"],
  ["ANS4042E", "The object name has characters the client cannot convert", "files-skipped", "check-file-access"],
  ["ANS1228E", "Sending of an object failed (a more specific message goes with it)", null, "none"],
  ["ANS1802E", "Incremental backup finished with failures", null, "none"],
  // The scheduler
  ["ANS1512E", "The scheduled event failed", null, "none"],
  ["ANS1814E", "Unable to start the scheduled event", null, "start-on-time", "window-elapsed"],
  ["ANS1815E", "Either the window has elapsed or the schedule has been deleted", null, "start-on-time", "window-elapsed"],
  ["ANS1908I", "The scheduled command completed successfully", null, "none"],
  ["ANS1909E", "The scheduled command failed", null, "none"],
  ["ANS1977E", "Dsmcad could not start the scheduler; it retries in 10 minutes", null, "restart-scheduler", "scheduler-start-failed"],
  ["ANS4900W", "The schedule opened a new session after a connection failure", null, "none"],
  ["ANS0991I", "The scheduler is listening for server requests (prompted mode)", null, "none"],
  ["ANS1483I", "Schedule log pruning started", null, "none"],
  ["ANS1484I", "Schedule log pruning finished", null, "none"],
  ["ANS1898I", "Progress: files processed so far", null, "none"],
  ["ANS1901I", "Highest return code", null, "none"],
  ["ANS8001I", "dsmadmc: return code", null, "none"],
  ["ANS8002I", "dsmadmc: highest return code", null, "none"],
];
