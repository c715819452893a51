import { remedyFor } from "../diagnosis/remedy";
import { MANUAL_BACKUP } from "../diagnosis/remedy-steps";
import type { DiagnosisCause } from "../diagnosis/types";
import { causeLabel, causeWords } from "../diagnosis/words";
import { type NodeOwner, nodeOwner, type OwnerFacts } from "./owner";

/**
 * The morning report a node's owner gets: only their nodes, only those with a MISSED, FAILED or
 * SEVERED night since the last report, each night with what happened, why and what to do, and the
 * advice to run a manual backup. It reads as the university's "TSM Scheduled backup failure
 * report" (shared/seeds/000_*.txt) did: for the person at the machine, not for the backup team.
 * Pure: data in, text and HTML out.
 */

/** The subject the guide tells users to look for: kept word for word. */
export const CONTACT_REPORT_SUBJECT = "TSM Scheduled backup failure report";

/** An aborted backup is a FAILED one in the guide's words (2.1.3.5: the backup simply stops). */
export type ReportOutcome = "missed" | "failed" | "severed" | "aborted";

export interface ReportNight {
  outcome: ReportOutcome;
  schedule: string;
  /** The node's local start, `YYYY-MM-DDTHH:MM:SS`. */
  localStart: string;
  cause: string | null;
  /** The strongest fact behind the cause, as a person reads it. */
  evidence: string | null;
  /** The diagnosis's steps; empty: the steps for the cause are used. */
  remedy: string[];
}

export interface ReportNode {
  /** The node's id, carried through for links; the report never shows it. */
  id?: string;
  name: string;
  server: string;
  os: string | null;
  owner: OwnerFacts;
  nights: ReportNight[];
}

export interface ContactReport {
  /** Lower-cased; one report per address. */
  address: string;
  /** The owner as named on the first of their nodes, if named. */
  name: string | null;
  nodes: { id?: string; name: string; server: string; os: string | null; nights: ReportNight[] }[];
}

export interface ContactReports {
  reports: ContactReport[];
  /** Nodes with a bad night whose owner has no address: nobody hears of them but the backup team. */
  unaddressed: { id?: string; name: string; server: string; owner: NodeOwner }[];
}

/** One report per owner address, for the nodes with a bad night only; sorted by address and node. */
export function contactReports(nodes: ReportNode[]): ContactReports {
  const byAddress = new Map<string, ContactReport>();
  const unaddressed: ContactReports["unaddressed"] = [];
  for (const node of [...nodes].sort((a, b) => a.name.localeCompare(b.name) || a.server.localeCompare(b.server))) {
    if (node.nights.length === 0) continue;
    const owner = nodeOwner(node.owner);
    if (!owner.address) {
      unaddressed.push({ id: node.id, name: node.name, server: node.server, owner });
      continue;
    }
    let report = byAddress.get(owner.address);
    if (!report) {
      report = { address: owner.address, name: owner.name, nodes: [] };
      byAddress.set(owner.address, report);
    }
    report.nodes.push({ id: node.id, name: node.name, server: node.server, os: node.os, nights: node.nights });
  }
  return { reports: [...byAddress.values()].sort((a, b) => a.address.localeCompare(b.address)), unaddressed };
}

export interface RenderedReport {
  subject: string;
  text: string;
  html: string;
}

/** What each status means, in the guide's words (sections 1, 2 and 3). */
const happened: Record<ReportOutcome, string> = {
  missed: "The scheduled backup did not start: nothing was backed up.",
  failed: "The backup started but could not complete: some, all or none of the data may have been sent to the backup server.",
  severed: "The connection between the computer and the backup server was lost while the backup was running.",
  aborted: "The backup started and then simply stopped, with no error: the data after that point was not backed up.",
};

/** The word the guide files the status under; an aborted backup is under FAILED. */
const statusWord = (o: ReportOutcome) => (o === "aborted" ? "FAILED" : o.toUpperCase());

interface NightGroup {
  outcome: ReportOutcome;
  schedule: string;
  starts: string[];
  cause: string | null;
  evidence: string | null;
  remedy: string[];
}

/** Nights of one node with the same status, cause and steps are said once, with every date. */
function groupNights(nights: ReportNight[], os: string | null): NightGroup[] {
  const groups = new Map<string, NightGroup>();
  for (const n of [...nights].sort((a, b) => a.localStart.localeCompare(b.localStart))) {
    const remedy = stepsFor(n, os);
    const key = JSON.stringify([n.outcome, n.schedule, n.cause, remedy]);
    const g = groups.get(key);
    if (g) {
      g.starts.push(n.localStart);
      // The latest night's evidence is the one a person can still check.
      g.evidence = n.evidence ?? g.evidence;
    } else
      groups.set(key, { outcome: n.outcome, schedule: n.schedule, starts: [n.localStart], cause: n.cause, evidence: n.evidence, remedy });
  }
  return [...groups.values()];
}

/** The diagnosis's steps, else the steps for the cause; a manual backup always ends them (guide 1.4). */
function stepsFor(n: ReportNight, os: string | null): string[] {
  const cause = n.cause && Object.hasOwn(causeWords, n.cause) ? (n.cause as DiagnosisCause) : "unknown";
  const steps = n.remedy.length > 0 ? n.remedy : remedyFor(cause, os);
  return steps.some((s) => /manual backup/i.test(s)) ? steps : [...steps, MANUAL_BACKUP];
}

const shortStart = (s: string) => s.replace("T", " ").slice(0, 16);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export const MANUAL_BACKUP_ADVICE =
  "A manual backup is advised: once the cause is fixed (or straight away, if you already know why), run a manual backup so that your current data is backed up and secure.";

/** The report for one owner, as it is mailed: `date` is the report's date, `since` when the last report went out. */
export function renderContactReport(report: ContactReport, args: { date: string; since: string }): RenderedReport {
  const greeting = report.name && !report.name.includes("@") ? `Hello ${report.name},` : "Hello,";
  const nodeCount = report.nodes.length;
  const intro = [
    nodeCount === 1
      ? `The scheduled backup of your TSM node below was MISSED, FAILED or SEVERED since ${args.since}. Some or all of the data on that computer has NOT been backed up.`
      : `The scheduled backups of your ${plural(nodeCount, "TSM node")} below were MISSED, FAILED or SEVERED since ${args.since}. Some or all of the data on those computers has NOT been backed up.`,
    "Please fix the cause as soon as you can, so that the next scheduled backups run, and run a manual backup so that your current data is backed up.",
    ...(nodeCount > 1 ? ["Each node has its own name, password and installation of TSM: go through the steps for every node listed."] : []),
  ];
  const footer = [
    "If the steps do not explain the failure, reply to this message (or write to the backup team) and attach dsmsched.log and dsmerror.log from the computer, saying what you have already tried.",
    "You receive this report because you are the contact for these nodes on the TSM server. If that is wrong, tell the backup team.",
  ];

  const text: string[] = [`${CONTACT_REPORT_SUBJECT}, ${args.date}`, "", greeting, "", ...intro.flatMap((p) => [p, ""])];
  const html: string[] = [
    `<h1>${esc(CONTACT_REPORT_SUBJECT)}, ${esc(args.date)}</h1>`,
    `<p>${esc(greeting)}</p>`,
    ...intro.map((p) => `<p>${esc(p)}</p>`),
  ];
  for (const node of report.nodes) {
    const heading = `Node ${node.name}${node.server ? ` (TSM server ${node.server})` : ""}`;
    text.push(`== ${heading} ==`, "");
    html.push(`<h2>${esc(heading)}</h2>`);
    for (const g of groupNights(node.nights, node.os)) {
      const when = `scheduled backup ${g.schedule}, ${g.starts.length === 1 ? "due" : "due on"} ${g.starts.map(shortStart).join(", ")}`;
      const evidence = g.evidence ? `. ${g.evidence.charAt(0).toUpperCase()}${g.evidence.slice(1)}` : "";
      const why = `${g.cause ? causeLabel(g.cause) : "Not yet known"}${evidence}`;
      text.push(
        `${statusWord(g.outcome)}: ${when}`,
        `  What happened: ${happened[g.outcome]}`,
        `  Why: ${why}`,
        "  What to do:",
        ...g.remedy.map((s, i) => `    ${i + 1}. ${s}`),
        "",
      );
      html.push(
        `<p><strong>${statusWord(g.outcome)}</strong>: ${esc(when)}</p>`,
        `<p>What happened: ${esc(happened[g.outcome])}<br>Why: ${esc(why)}</p>`,
        `<p>What to do:</p><ol>${g.remedy.map((s) => `<li>${code(esc(s))}</li>`).join("")}</ol>`,
      );
    }
  }
  text.push(MANUAL_BACKUP_ADVICE, "", ...footer.flatMap((p) => [p, ""]));
  html.push(`<p><strong>${esc(MANUAL_BACKUP_ADVICE)}</strong></p>`, ...footer.map((p) => `<p><small>${esc(p)}</small></p>`));
  return {
    subject: CONTACT_REPORT_SUBJECT,
    text: `${text.join("\n").trimEnd()}\n`,
    html: `<!doctype html><html><body style="font-family:sans-serif">${html.join("\n")}</body></html>\n`,
  };
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Remedy steps quote commands in backticks (`dsmc incremental`): shown as code. */
const code = (escaped: string) => escaped.replace(/`([^`]+)`/g, "<code>$1</code>");
