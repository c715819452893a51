import { causeLabel } from "@fleetwatch/core/words";
/**
 * The daily e-mail that replaces the university's "TSM Scheduled backup failure report"
 * (shared/seeds/000_*.txt): one section per node, each failed night with its status in capitals
 * (MISSED, FAILED, SEVERED, ABORTED, the words staff already know), the cause found, the steps
 * to follow, and the node's open flags. Pure: data in, text and HTML out.
 */

/** The subject staff's mail rules already match on: kept word for word. */
export const DIGEST_SUBJECT = "TSM Scheduled backup failure report";

export type DigestOutcome = "missed" | "failed" | "severed" | "aborted";

export interface DigestNight {
  outcome: DigestOutcome;
  schedule: string;
  /** The node's local start, `YYYY-MM-DDTHH:MM:SS`. */
  localStart: string;
  cause: string | null;
  /** The strongest fact behind the cause, as a person reads it. */
  evidence: string | null;
  remedy: string[];
}

export interface DigestFlag {
  /** The domain's word: `needs-manual-backup`, `locked`... */
  kind: string;
  /** `YYYY-MM-DD`. */
  since: string;
  detail: string | null;
}

export interface DigestNode {
  name: string;
  server: string;
  contact: string | null;
  nights: DigestNight[];
  flags: DigestFlag[];
}

export interface DigestInput {
  /** The report's date, `YYYY-MM-DD`. */
  date: string;
  /** Nodes checked (every active one): the digest says so, so that silence is never the only sign of health. */
  checked: number;
  /** Since when the nights are reported (the previous report), as it should read. */
  since: string;
  nodes: DigestNode[];
  /** Nodes left out to keep the mail readable; the dashboard has them all. */
  omittedNodes?: number;
}

export interface RenderedDigest {
  subject: string;
  text: string;
  html: string;
  /** Nothing to report: every node checked is fine (the mail still goes, and says so). */
  allFine: boolean;
}

/** The subject of a day when every node is fine: an inbox shows it without opening the mail. */
export const allFineSubject = (checked: number) =>
  checked === 0 ? "TSM Scheduled backup report: no node checked" : `TSM Scheduled backup report: all ${count(checked, "node")} fine`;

/** Nights of one node with the same status, cause and steps: said once, with every date. */
interface NightGroup {
  outcome: DigestOutcome;
  schedule: string;
  starts: string[];
  cause: string | null;
  evidence: string | null;
  remedy: string[];
}

export function renderDigest(input: DigestInput): RenderedDigest {
  const nodes = input.nodes.filter((n) => n.nights.length > 0 || n.flags.length > 0);
  const allFine = nodes.length === 0;
  const needing = nodes.length + (input.omittedNodes ?? 0);
  const fine = Math.max(0, input.checked - needing);
  const subject = allFine ? allFineSubject(input.checked) : DIGEST_SUBJECT;
  const intro = allFine
    ? [
        input.checked === 0
          ? `No node was checked since ${input.since}: Fleetwatch knows of no active node yet.`
          : `${count(input.checked, "node")} checked since ${input.since}: all ${input.checked} are fine. Every scheduled backup completed and no node needs action.`,
      ]
    : [
        `${count(input.checked, "node")} checked since ${input.since}: ${fine} ${fine === 1 ? "is" : "are"} fine, ${needing} ${needing === 1 ? "needs" : "need"} attention.`,
        `${count(nodes.length, "node")} below had a scheduled backup that did not complete since ${input.since}, or a problem that needs action.`,
        "Some or all of their data has NOT been backed up. Each node has its own name, password and TSM installation: work through every node listed, and run a manual backup once the cause is fixed.",
      ];
  const more = input.omittedNodes ? [`...and ${count(input.omittedNodes, "more node")}: see the Fleetwatch dashboard.`] : [];

  const text: string[] = [`${subject}, ${input.date}`, "", ...intro, ""];
  const html: string[] = [`<h1>${esc(subject)}, ${esc(input.date)}</h1>`, ...intro.map((p) => `<p>${esc(p)}</p>`)];
  for (const node of nodes) {
    const heading = `${node.name}${node.server ? ` on ${node.server}` : ""}${node.contact ? ` (contact: ${node.contact})` : ""}`;
    text.push(`== Node ${heading} ==`, "");
    html.push(`<h2>Node ${esc(heading)}</h2>`);
    for (const g of groupNights(node.nights)) {
      const when = `${g.schedule} ${g.starts.map(shortStart).join(", ")}`;
      text.push(`${g.outcome.toUpperCase()}: ${when}`, `  Cause: ${causeWords(g.cause)}`);
      if (g.evidence) text.push(`  Evidence: ${g.evidence}`);
      if (g.remedy.length > 0) text.push("  What to do:", ...g.remedy.map((s, i) => `    ${i + 1}. ${s}`));
      text.push("");
      html.push(
        `<p><strong>${g.outcome.toUpperCase()}</strong>: ${esc(when)}<br>Cause: ${esc(causeWords(g.cause))}${
          g.evidence ? `<br>Evidence: ${esc(g.evidence)}` : ""
        }</p>`,
      );
      if (g.remedy.length > 0) html.push(`<p>What to do:</p><ol>${g.remedy.map((s) => `<li>${code(esc(s))}</li>`).join("")}</ol>`);
    }
    if (node.flags.length > 0) {
      const lines = node.flags.map((f) => `${causeWords(f.kind)} since ${f.since}${f.detail ? `: ${f.detail}` : ""}`);
      text.push("Open flags:", ...lines.map((l) => `  - ${l}`), "");
      html.push(`<p>Open flags:</p><ul>${lines.map((l) => `<li>${esc(l)}</li>`).join("")}</ul>`);
    }
  }
  text.push(...more, ...(more.length ? [""] : []), footer);
  html.push(...more.map((m) => `<p>${esc(m)}</p>`), `<p><small>${esc(footer)}</small></p>`);
  return {
    subject,
    text: `${text.join("\n")}\n`,
    html: `<!doctype html><html><body style="font-family:sans-serif">${html.join("\n")}</body></html>\n`,
    allFine,
  };
}

const footer =
  "Sent once a day by Fleetwatch. If the steps do not explain a failure, send dsmsched.log and dsmerror.log from the machine to the backup team.";

function groupNights(nights: DigestNight[]): NightGroup[] {
  const groups = new Map<string, NightGroup>();
  const ordered = [...nights].sort((a, b) => a.localStart.localeCompare(b.localStart));
  for (const n of ordered) {
    const key = JSON.stringify([n.outcome, n.schedule, n.cause, n.remedy]);
    const g = groups.get(key);
    if (g) {
      g.starts.push(n.localStart);
      // The latest night's evidence is the one a person can still check.
      g.evidence = n.evidence ?? g.evidence;
    } else {
      groups.set(key, {
        outcome: n.outcome,
        schedule: n.schedule,
        starts: [n.localStart],
        cause: n.cause,
        evidence: n.evidence,
        remedy: n.remedy,
      });
    }
  }
  return [...groups.values()];
}

/** `2026-03-05T22:00:00` -> `2026-03-05 22:00`. */
const shortStart = (s: string) => s.replace("T", " ").slice(0, 16);

/** The words staff read for a cause or a flag (core's one list), not the identifier. */
const causeWords = (c: string | null) => (c ? causeLabel(c) : "not yet known");

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Remedy steps quote commands in backticks (`dsmc incremental`): shown as code. */
const code = (escaped: string) => escaped.replace(/`([^`]+)`/g, "<code>$1</code>");
