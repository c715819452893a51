import { remedyFor } from "./remedy";
import type { DiagnosisCause } from "./types";
import { causeWords } from "./words";

/** One administrative command for `dsmadmc`, and what it tells or does. */
export interface StaffCommand {
  command: string;
  purpose: string;
}

/**
 * What the backup team does about a cause: their own steps, the `dsmadmc` commands, and the
 * message to send the machine's user. The end user's steps (`remedyFor`) stay as they are; this
 * is the other reader's half.
 */
export interface StaffRemedy {
  steps: string[];
  commands: StaffCommand[];
  /** The message to send the user, ready to paste into a mail; null when the user has nothing to do. */
  userMessage: string | null;
}

export interface StaffRemedyContext {
  /** The node's name as the TSM server knows it. */
  node: string;
  /** The night's local date, YYYY-MM-DD (the window's localStart). */
  night: string;
  os?: string | null;
}

/** A date as the TSM server reads it by default (DATEFORMAT 1, MM/DD/YYYY). */
function serverDate(isoDate: string, plusDays = 0): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + plusDays);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${d.getUTCFullYear()}`;
}

/** The commands every cause starts with: the server's own record of the night and of the node. */
function baseCommands(c: StaffRemedyContext): StaffCommand[] {
  const from = serverDate(c.night);
  const to = serverDate(c.night, 1);
  return [
    {
      command: `QUERY EVENT * * BEGINDATE=${from} ENDDATE=${to} NODES=${c.node} FORMAT=DETAILED`,
      purpose: "The server's record of the night's scheduled event: status, result and reason.",
    },
    {
      command: `QUERY ACTLOG BEGINDATE=${from} ENDDATE=${to} ORIGINATOR=CLIENT NODENAME=${c.node}`,
      purpose: "What the client told the server that night (its ANE messages).",
    },
  ];
}

const nodeDetail = (node: string): StaffCommand => ({
  command: `QUERY NODE ${node} FORMAT=DETAILED`,
  purpose: "The node's record: Locked?, Invalid Sign-on Count, Password Set Date/Time, Last Access Date/Time.",
});

const greeting = (node: string, cause: DiagnosisCause, night: string) =>
  `Hello,\n\nThe backup of your computer (TSM node ${node}) on the night of ${night} did not complete: ${causeWords[cause].toLowerCase()}.`;

const signOff = "\n\nIf anything is unclear, reply to this message.\n\nThe backup team";

/** The message for causes where the user acts: the user's own steps, numbered. */
function stepsMessage(c: StaffRemedyContext, cause: DiagnosisCause): string {
  const steps = remedyFor(cause, c.os)
    .map((s, i) => `${i + 1}. ${s}`)
    .join("\n");
  return `${greeting(c.node, cause, c.night)}\n\nPlease:\n${steps}${signOff}`;
}

/**
 * The backup team's remedy for a cause. Causes on the server side (locked, password, space,
 * refused, cancelled) are theirs to fix, and the user's message says what was done; causes on the
 * machine are the user's, and the message carries the user's steps.
 */
export function staffRemedyFor(cause: DiagnosisCause, c: StaffRemedyContext): StaffRemedy {
  const base = baseCommands(c);
  const n = c.node;
  const manual = "Ask the user to run a manual backup once it is fixed, and check the next night's event.";
  switch (cause) {
    case "node-locked":
      return {
        steps: [
          "Check why the node is locked: an administrator's LOCK NODE, or too many wrong passwords (Invalid Sign-on Count at the server's INVALIDPWLIMIT).",
          "If nobody locked it on purpose, unlock it; if wrong passwords locked it, reset the password too (below) and send it to the user.",
          manual,
        ],
        commands: [nodeDetail(n), { command: `UNLOCK NODE ${n}`, purpose: "Unlock the node so its scheduled backups run again." }, ...base],
        userMessage: `${greeting(n, cause, c.night)}\n\nWe have unlocked the node on the TSM server. Please run a manual backup now (backup-archive client: Backup) so last night's data is saved.${signOff}`,
      };
    case "password-expired":
    case "auth-failure":
      return {
        steps: [
          cause === "password-expired"
            ? "The node's password expired and the client could not renew it: set a new one on the server and send it to the user."
            : "The scheduler cannot sign on with its stored password: check the node is registered and not locked, then set a new password and send it to the user.",
          "FORCEPWRESET=NO keeps the new password valid at the next sign-on, so the scheduler can store it.",
          manual,
        ],
        commands: [
          nodeDetail(n),
          {
            command: `UPDATE NODE ${n} <new password> FORCEPWRESET=NO`,
            purpose: "Set a new password (replace <new password>); the user enters it once on the machine.",
          },
          ...base,
        ],
        userMessage: `${greeting(n, cause, c.night)}\n\nWe have set a new TSM password for the node; you will receive it separately. Please:\n${[
          ...remedyFor(cause, c.os).filter((s) => !/reset it on the TSM home page|ask the backup team/i.test(s)),
        ]
          .map((s, i) => `${i + 1}. ${s}`)
          .join("\n")}${signOff}`,
      };
    case "server-out-of-space":
      return {
        steps: [
          "The server's storage is full: nothing on the machine needs fixing.",
          "Find the full storage pool (Pct Util near 100, no scratch volumes left), the database or the recovery log, and add space or migrate.",
          "Then check the next night's events of every node on this server, not only this one.",
        ],
        commands: [
          { command: "QUERY STGPOOL FORMAT=DETAILED", purpose: "Each storage pool's capacity, Pct Util, scratch volumes and next pool." },
          { command: "QUERY DBSPACE", purpose: "The database's file systems: total and free space." },
          { command: "QUERY LOG FORMAT=DETAILED", purpose: "The recovery log's size and free space." },
          {
            command: `QUERY ACTLOG BEGINDATE=${serverDate(c.night)} ENDDATE=${serverDate(c.night, 1)} SEARCH=ANR`,
            purpose: "The server's own messages that night (ANR1221E, ANR0522W: out of space).",
          },
          ...base,
        ],
        userMessage: `${greeting(n, cause, c.night)}\n\nThe fault was on our side: the backup server ran out of space. We have fixed it, and there is nothing you need to do; your next scheduled backup will run as usual.${signOff}`,
      };
    case "server-refused":
    case "cancelled-by-server":
      return {
        steps: [
          cause === "server-refused"
            ? "The server refused the session: check whether it was disabled, at MAXSESSIONS, or whether the node name was in use by another machine."
            : "An administrator or a server limit cancelled the session: find who or what in the activity log.",
          "If the next night completed, nothing more is needed.",
        ],
        commands: [
          { command: "QUERY STATUS", purpose: "Whether the server is available to clients, and its session limits." },
          { command: "QUERY SESSION FORMAT=DETAILED", purpose: "The sessions now, to see whether the node name is in use elsewhere." },
          nodeDetail(n),
          ...base,
        ],
        userMessage: `${greeting(n, cause, c.night)}\n\nThe cause was on the backup server's side. Please run a manual backup now (backup-archive client: Backup) so last night's data is saved.${signOff}`,
      };
    case "node-retired":
      return {
        steps: [
          "Check whether the machine still exists: the node's last access, and similarly-named nodes of the same owner.",
          "If the machine is gone, deregister the node here; lock it on the server so nothing signs on as it, and remove it once its data is no longer kept.",
        ],
        commands: [
          nodeDetail(n),
          { command: `QUERY FILESPACE ${n}`, purpose: "The node's file spaces and when each was last backed up." },
          { command: `LOCK NODE ${n}`, purpose: "Keep the retired node from signing on, keeping its data." },
        ],
        userMessage: `Hello,\n\nThe TSM node ${n} has not backed up for a long time. Is the computer still in use? If it was replaced, tell us and we will retire the old node; if it is still in use, please leave it on overnight and reply so we can check it.${signOff}`,
      };
    case "sign-off-only":
      return {
        steps: ["The data was saved; only the sign-off failed. Nothing to do unless it happens every night."],
        commands: base.slice(0, 1),
        userMessage: null,
      };
    default:
      return {
        steps: [
          `The cause is on the machine (${causeWords[cause].toLowerCase()}): send the user the message below.`,
          "Check the server's record of the night to confirm what the client logged.",
          manual,
        ],
        commands: base,
        userMessage: stepsMessage(c, cause),
      };
  }
}
