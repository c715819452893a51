import { isUnixLike, isWindows, type OsFamily } from "./os";

/**
 * The guide's operating-system steps (shared/seeds/000_*.txt), written once and used by several
 * causes. With an unknown OS every variant is given, each introduced by its OS.
 */

export const MANUAL_BACKUP =
  "Run a manual backup now (backup-archive client: Backup, or `dsmc incremental` as Administrator/root) so the data this backup left out is saved.";

const forOs = (f: OsFamily, steps: { windowsXp?: string; windows: string; mac: string; unix: string }): string[] => {
  if (f === "windows-xp") return [steps.windowsXp ?? steps.windows];
  if (f === "windows") return [steps.windows];
  if (f === "mac") return [steps.mac];
  if (isUnixLike(f)) return [steps.unix];
  return [steps.windowsXp, steps.windows, steps.mac, steps.unix].filter((s): s is string => s !== undefined);
};

/** Guide 1.3: keep the machine from sleeping through the window. */
export function powerSteps(f: OsFamily): string[] {
  return forOs(f, {
    windowsXp:
      "On Windows XP/2003: Start > Control Panel > Power Options > Power Schemes: set System standby to Never. On a laptop left on with its lid closed: Advanced tab > When I close the lid of my portable computer: Do nothing.",
    windows:
      "On Windows Vista/7 and later: Start > Control Panel > Power Options > Change when the computer sleeps: set Put the computer to sleep to Never. Back in Power Options > Choose what the power button does: When I press the power button must not be Sleep; on a laptop left on with its lid closed, set When I close the lid to Do nothing.",
    mac: "On a Mac: System Preferences > Energy Saver: set the computer (not the display) never to go to sleep.",
    unix: "On Linux: turn off automatic suspend in the desktop's power settings (or `systemctl mask sleep.target suspend.target hibernate.target`).",
  });
}

/** Guide 1.3 ("Checking the Client Scheduler"): the scheduler must run, and start with the machine. */
export function startSchedulerSteps(f: OsFamily): string[] {
  return forOs(f, {
    windows:
      "On Windows: open Services (services.msc), find the TSM scheduler service (TSM Client Scheduler, or TSM Client Acceptor where dsmcad manages it), start it and set its Startup type to Automatic.",
    mac: "On a Mac: open TSM Tools for Administrators and start the scheduler; make sure it starts when the machine does.",
    unix: "On Linux/Unix: check with `ps -ef | grep dsm` that dsmcad (or `dsmc schedule`) runs; start it (`systemctl start dsmcad`, or `/etc/init.d/dsmcad start` on older systems) and enable it at boot.",
  });
}

/** Guide 2.1.3.2 and 2.1.3.4: restart the scheduler so it rereads its options and frees its memory. */
export function restartSchedulerSteps(f: OsFamily): string[] {
  return forOs(f, {
    windows:
      "On Windows: open Services (services.msc) and restart the TSM scheduler service (TSM Client Scheduler or TSM Client Acceptor).",
    mac: "On a Mac: open TSM Tools for Administrators, stop the scheduler and start it again.",
    unix: "On Linux/Unix: restart the scheduler (`systemctl restart dsmcad`, or `/etc/init.d/dsmcad restart`; for `dsmc schedule`, stop the process and start it again).",
  });
}

/** Guide 2.1.3.6: unreadable files may be a failing disk. */
export function diskCheckSteps(f: OsFamily): string[] {
  return [
    ...forOs(f, {
      windows:
        "On Windows: in (My) Computer right-click the drive (e.g. C:) > Properties > Tools > Error-checking > Check Now; tick Automatically fix file system errors, click Start, answer Yes to check the disk at the next restart, then restart (this is chkdsk /f).",
      mac: "On a Mac: Finder > Applications > Utilities > Disk Utility; select the drive and, under First Aid, click Verify Disk (Repair Disk if it finds errors).",
      unix: "On Linux/Unix: check the file system with fsck (on an unmounted file system, e.g. at boot), as your system's documentation describes.",
    }),
    "If the errors remain, or the disk may be failing, ask your local IT for advice.",
  ];
}

/** The log and options files the backup team needs (guide section 4), where they are by default. */
export function collectLogsSteps(f: OsFamily): string[] {
  const files = isWindows(f)
    ? "dsmsched.log, dsmerror.log and dsm.opt"
    : f === "unknown"
      ? "dsmsched.log, dsmerror.log and dsm.opt (and dsm.sys on Mac, Linux and Unix)"
      : "dsmsched.log, dsmerror.log, dsm.opt and dsm.sys";
  return [
    `Collect ${files} from the machine.`,
    ...forOs(f, {
      windows:
        "On Windows they are in the client's folder (by default C:\\Program Files\\Tivoli\\TSM\\baclient); the automated log collection for Windows sends them for you.",
      mac: "On a Mac the logs are in /Library/Logs/tivoli/tsm and the options in /Library/Application Support/tivoli/tsm/client/ba/bin, unless SCHEDLOGNAME/ERRORLOGNAME say otherwise.",
      unix: "On Linux/Unix they are in /opt/tivoli/tsm/client/ba/bin (or where SCHEDLOGNAME/ERRORLOGNAME point).",
    }),
    "Send them to the backup team (reply to the backup failure report, or e-mail the team), saying what you have already tried.",
  ];
}
