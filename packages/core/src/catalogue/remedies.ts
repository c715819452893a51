/**
 * Remedy keys: stable names for "what a person should do", so the server's diagnosis can map each
 * to written steps (per operating system where the guide has them) without parsing message text.
 */
export const remedyKeys = [
  "unlock-node", // ask the backup team to unlock the node (guide 1.2)
  "change-password", // reset the node password, then update the scheduler (guide 1.2)
  "store-password", // run the client once by hand so it stores the password for the scheduler
  "retry-later", // the server refused for a passing reason (busy, disabled): the next window may work
  "upgrade-client", // the server wants a newer client
  "contact-backup-team", // only the server's administrators can fix it (space, cancelled session)
  "fix-domain", // correct the DOMAIN option; quote names with spaces (guide 2.1.3.2)
  "restart-scheduler", // memory grows in long-running schedulers (guide 2.1.3.4)
  "fix-pre-command", // the PRESCHEDULECMD failed, so the backup never ran
  "check-network", // the session was lost: network, firewall, sleep, server down (guide 3)
  "exclude-open-files", // close or exclude files that are open or locked (guide 2.1.3.1)
  "check-disk", // unreadable or corrupt files: run a disk check (guide 2.1.3.6)
  "check-file-access", // files vanished, are denied, or have names the client cannot convert
  "start-on-time", // the machine came back after the window closed: leave it on, Wake on LAN
  "none", // informational: nothing to do
] as const;

export type RemedyKey = (typeof remedyKeys)[number];
