import { isWindows, type OsFamily, osFamily } from "./os";
import { collectLogsSteps, diskCheckSteps, MANUAL_BACKUP, powerSteps, restartSchedulerSteps, startSchedulerSteps } from "./remedy-steps";
import type { DiagnosisCause } from "./types";

/**
 * The steps a person follows for a cause, in plain words, from the university's guide
 * (shared/seeds/000_*.txt): section 1 for MISSED, 2 for FAILED, 3 for SEVERED, 4 when nothing
 * explains it. `os` is whatever the node or machine record says (win32, WinNT, Macintosh,
 * `WIN:Windows XP`, linux...); steps differ by OS where the guide has OS steps.
 *
 * Every remedy ends with running a manual backup, as the guide insists, except where that makes
 * no sense: a retired node ends with deregistering it, and a benign sign-off-only failure saved
 * the data already.
 */
export function remedyFor(cause: DiagnosisCause, os: string | null | undefined): string[] {
  const f = osFamily(os);
  if (cause === "node-retired") return retired();
  if (cause === "sign-off-only") {
    return [
      "The backup itself completed: no object failed, only the sign-off from the server did (ANS1512E with 0 failed objects).",
      "Nothing needs doing: the failure can be ignored.",
    ];
  }
  return [...stepsFor(cause, f), MANUAL_BACKUP];
}

function retired(): string[] {
  return [
    "Check whether the machine that used this node name has been replaced, rebuilt or is no longer used.",
    "Look for similarly-named nodes registered to the same owner: one may be active and backed up while this one no longer exists.",
    "If the machine is in fact still in use, work through the MISSED checks (locked node, password, power, network, scheduler) and run a manual backup.",
    "Otherwise deregister the node so it leaves the backup schedule (its history is kept, and deregistering can be undone).",
  ];
}

function stepsFor(cause: Exclude<DiagnosisCause, "node-retired" | "sign-off-only">, f: OsFamily): string[] {
  switch (cause) {
    case "node-locked":
      return [
        "The node is locked on the TSM server: it cannot back up until it is unlocked.",
        "Ask the backup team to unlock it (Request unlock on the node's client information page of the self-registration site).",
      ];
    case "password-expired":
      return [
        "The node's password has expired: reset it on the TSM home page (choose the node, then Change Client Password, and follow the instructions).",
        ...newPasswordSteps(f),
      ];
    case "auth-failure":
      return [
        "The scheduler could not sign on: its stored password is wrong or missing (ANS1025E, ANS2050E, ANS1503E, ANS1835E), or the server does not know the node name (ANS1353E).",
        "Run the backup-archive client by hand once, as the user the scheduler runs as (Administrator/root), e.g. `dsmc query session`, and enter the node's password so it is stored.",
        ...(isWindows(f) || f === "unknown" ? [windowsSchedulerPassword] : []),
        "If the server does not know the node, check NODENAME in the options file, or ask the backup team whether the node is registered.",
      ];
    case "started-too-late":
      return [
        "The machine came back after the backup window had closed: the scheduler found the window gone (ANS1814E/ANS1815E).",
        "Leave the machine switched on and awake through the whole window, or register for the Wake on LAN service.",
        ...powerSteps(f),
      ];
    case "pre-command-failed":
      return [
        "The command the client runs before each backup (PRESCHEDULECMD in the options file) failed, so the backup was not run (ANS1902E).",
        "Run that command by hand, as the scheduler's user, to see why it fails; fix it, or remove the option if it is no longer needed.",
        "After changing the options file, restart the scheduler.",
        ...restartSchedulerSteps(f),
      ];
    case "machine-off":
      return [
        "The machine was switched off during the backup window: it must be on for a scheduled backup to run.",
        "Leave it on overnight, or register for the Wake on LAN service so it is switched on for the backup.",
        "If it is registered for Wake on LAN and did not switch on, report it to the Help Centre: that is a fault of the Wake on LAN service.",
      ];
    case "machine-asleep":
      return [
        "The machine was asleep during the backup window, so the backup could not start.",
        ...(isWindows(f) || f === "unknown"
          ? [
              "A Windows Vista/7 machine woken from sleep goes back to sleep two minutes later: if it is to be woken for the backup, shut it down instead of putting it to sleep.",
            ]
          : []),
        "Set the power management so the computer does not go to sleep:",
        ...powerSteps(f),
      ];
    case "off-network":
      return [
        "The machine was on but could not reach the TSM server during the window.",
        "Leave it connected to the physical university network (a cable) overnight: over a VPN, or with no connection, the scheduled backup does not start.",
        "Check that no firewall blocks the connection to the TSM server (TCP port 1500 unless your site says otherwise).",
      ];
    case "scheduler-not-running":
      return [
        "The machine was on and could reach the server, but the TSM client scheduler was not running (or the client acceptor, dsmcad, could not start it: ANS1977E).",
        ...startSchedulerSteps(f),
        "Look in dsmerror.log for why the scheduler stopped.",
      ];
    case "server-refused":
      return [
        "The TSM server refused the session: all its sessions were busy, it was disabled, the node name was in use, or the client is too old for it.",
        "A busy or disabled server passes: if the next backups succeed, nothing more is needed.",
        "If the log says the client is down-level (ANS1357S), upgrade the backup-archive client.",
        "If it keeps happening, contact the backup team.",
      ];
    case "cancelled-by-server":
      return [
        "The server's administrators cancelled the session (for example for exceeding a daily limit).",
        "Contact the backup team to find out why before the next backup.",
      ];
    case "server-out-of-space":
      return [
        "The TSM server's storage is full: nothing on this machine needs fixing.",
        "Contact the backup team: they need to add space.",
      ];
    case "invalid-domain":
      return [
        "The client's DOMAIN names a drive or partition it cannot see (ANS1071E/ANS1063E/ANS1134E); the message, or the one next to it, names it.",
        "Only whole drives or partitions can be domains: a folder such as /data/fred must not be listed on its own (it is backed up with the partition that holds it).",
        "Remove drives that are no longer present (on Windows, also UNC paths that are no longer valid, e.g. after the machine was renamed).",
        'Put quotation marks around a name with spaces, or TSM reads it as several domains: DOMAIN "/data/fred backup", not DOMAIN /data/fred backup.',
        ...(f === "mac" || f === "unknown"
          ? ["On a Mac, make sure the client is TSM 6.1.3 or later (early 6.1 versions misread DOMAIN statements), and upgrade if not."]
          : []),
        "Correct the domain: run the client (on a Mac, TSM Tools for Administrators), Edit > Client Preferences > Backup tab; or edit DOMAIN in the options file.",
        "Then restart the scheduler so it reads the new domain.",
        ...restartSchedulerSteps(f),
      ];
    case "out-of-memory":
      return [
        "The scheduler ran out of memory (ANS1030E): its memory use grows the longer it runs.",
        ...restartSchedulerSteps(f),
        "Restart it regularly, or reboot the machine regularly (a reboot restarts it).",
      ];
    case "communication-lost":
      return [
        "The session to the TSM server was lost during the backup.",
        "Likely causes: the machine was switched off, crashed or went to sleep during the backup; the network dropped (cable, Wi-Fi, VPN); a firewall cut or delayed the traffic; very large files timed out; or the server cut the session.",
        "If you know the machine crashed or the backup was cancelled, the manual backup below is all that is needed.",
        "Keep the machine on the wired network and awake for the whole backup:",
        ...powerSteps(f),
      ];
    case "corrupt-files":
      return [
        "Some files could not be read and may be corrupt (ANS4023E/ANS4046E/ANS4047E; dsmerror.log names them). Check the disk:",
        ...diskCheckSteps(f),
      ];
    case "files-changed":
      return [
        "Files were open or changed while TSM read them (ANS4037E/ANS4987E; dsmerror.log names them), so TSM marked the backup failed.",
        "Close all files and programs before the backup runs.",
        "Files that are always open (log files, database files) cannot be closed: exclude them from backup (an EXCLUDE line in the options file or the include-exclude list), or use the client's open-file support.",
      ];
    case "files-skipped":
      return [
        "Some files were skipped: they vanished before TSM reached them, access was denied, or their names have characters the client cannot convert (dsmerror.log names them).",
        "Vanished temporary files need nothing. For access denied, run the scheduler as a user that can read the files (Administrator/root); rename or exclude files whose names cannot be converted.",
      ];
    case "aborted":
      return [
        "The backup simply stopped, with no error: the machine may have crashed, been switched off or gone to sleep, or the client ran out of memory.",
        ...(f === "mac" || f === "unknown"
          ? [
              "On a Mac holding over a million files on one drive the client can run out of memory: see the page on backups that fail to complete.",
            ]
          : []),
        "Make sure the machine stays on and awake for the whole backup:",
        ...powerSteps(f),
      ];
    case "machine-died":
      return [
        "The machine stopped reporting during the backup (switched off, crashed, or asleep), so the backup was cut off.",
        "Check that the machine is running; if it crashed, find out why before the next backup.",
        "Make sure it stays on and awake for the whole backup:",
        ...powerSteps(f),
      ];
    case "unknown":
      return ["None of the usual causes explains this backup.", ...collectLogsSteps(f)];
  }
}

const windowsSchedulerPassword =
  "On Windows, update the TSM scheduler service with the new password: backup-archive client, Utilities > Setup Wizard > Help me configure the client scheduler, or `dsmcutil updatepw /node:<node> /password:<new password>`.";

/** Guide 1.2: after a password change, Windows users update the scheduler; elsewhere the client stores it. */
function newPasswordSteps(f: OsFamily): string[] {
  const unix =
    "On Mac, Linux and Unix, run the client once by hand as root (e.g. `dsmc query session`) and enter the new password so it is stored for the scheduler.";
  if (isWindows(f)) return [windowsSchedulerPassword];
  if (f === "unknown") return [windowsSchedulerPassword, unix];
  return [unix];
}
