/**
 * Node names that stand for the same machine after a rebuild or replacement: `CHEM-PC7` and
 * `chem_pc7-old`, `LAPTOP` and `LAPTOP2`, `SRV` and `SRV-20190131`. Names are compared after
 * folding case and dropping separators (`-`, `_`, `.`, spaces), and after taking off the
 * suffixes people add when they re-register a machine.
 */

export type SuffixKind = "marker" | "date" | "counter";

export interface NormalisedName {
  /** Upper case, separators dropped: `CHEM-PC7-OLD` -> `CHEMPC7OLD`. */
  full: string;
  /** `full` without the re-registration suffixes: `CHEMPC7`. */
  base: string;
  /** The suffixes taken off, last first, as written (`OLD`, `2019`, `2`). */
  suffixes: string[];
  kinds: SuffixKind[];
}

/** Words people append to a re-registered node. Only taken off after a separator: GOLD keeps its OLD. */
const MARKERS = new Set(["OLD", "NEW", "BAK", "BACKUP", "ORIG", "PREV", "TEMP", "TMP"]);

function isYear(y: number): boolean {
  return y >= 1990 && y <= 2099;
}

function isDate(digits: string): boolean {
  const n = (from: number, len: number) => Number(digits.slice(from, from + len));
  const validDay = (y: number, m: number, d: number) => m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
  switch (digits.length) {
    case 4: // 2019
      return isYear(n(0, 4));
    case 6: // 201901 (year, month) or 190131 (yymmdd)
      return (isYear(n(0, 4)) && n(4, 2) >= 1 && n(4, 2) <= 12) || validDay(2000 + n(0, 2), n(2, 2), n(4, 2));
    case 8: // 20190131 or 31012019
      return (isYear(n(0, 4)) && validDay(n(0, 4), n(4, 2), n(6, 2))) || (isYear(n(4, 4)) && validDay(n(4, 4), n(2, 2), n(0, 2)));
    default:
      return false;
  }
}

/** One suffix off the last token, or null. `separated`: the token stands on its own after a separator. */
function takeSuffix(token: string, separated: boolean): { rest: string; suffix: string; kind: SuffixKind } | null {
  if (separated) {
    if (MARKERS.has(token)) return { rest: "", suffix: token, kind: "marker" };
    if (/^\d+$/.test(token) && isDate(token)) return { rest: "", suffix: token, kind: "date" };
    // A small counter (2, 12), never a zero-padded serial (001): PC-001 and PC-002 are two machines.
    if (/^[1-9]\d?$/.test(token)) return { rest: "", suffix: token, kind: "counter" };
    return null;
  }
  const date = /^(.*[A-Z])(\d{8}|\d{6}|\d{4})$/.exec(token);
  if (date && isDate(date[2] as string)) return { rest: date[1] as string, suffix: date[2] as string, kind: "date" };
  const counter = /^(.*[A-Z])([1-9]\d?)$/.exec(token);
  if (counter) return { rest: counter[1] as string, suffix: counter[2] as string, kind: "counter" };
  return null;
}

export function normaliseNodeName(name: string): NormalisedName {
  const tokens = name
    .toUpperCase()
    .split(/[-_.\s]+/)
    .filter((t) => t.length > 0);
  const full = tokens.join("");
  const suffixes: string[] = [];
  const kinds: SuffixKind[] = [];
  // At most one suffix of each kind (PC-2019-OLD), and never the whole name.
  for (let i = 0; i < 3 && tokens.length > 0; i++) {
    const last = tokens[tokens.length - 1] as string;
    const cut = takeSuffix(last, tokens.length > 1);
    if (!cut || kinds.includes(cut.kind)) break;
    if (cut.rest === "") tokens.pop();
    else tokens[tokens.length - 1] = cut.rest;
    suffixes.push(cut.suffix);
    kinds.push(cut.kind);
  }
  return { full, base: tokens.join(""), suffixes, kinds };
}

/**
 * Why two names look like one machine, or null. Equal after folding case and separators; or one
 * is the other plus suffixes; or both are one base with different suffixes, unless both are only
 * counters (PC1 and PC2 are a row of lab machines, not a rebuild).
 */
export function nameMatch(a: NormalisedName, b: NormalisedName): string | null {
  if (a.full === b.full) return "equal after folding case and separators";
  if (a.base === b.full && a.suffixes.length > 0) return `the same name plus ${suffixText(a)}`;
  if (b.base === a.full && b.suffixes.length > 0) return `the same name plus ${suffixText(b)}`;
  if (a.base === b.base && a.base !== "" && a.suffixes.length > 0 && b.suffixes.length > 0) {
    const countersOnly = [...a.kinds, ...b.kinds].every((k) => k === "counter");
    if (!countersOnly) return `the same name with ${suffixText(a)} and ${suffixText(b)}`;
  }
  return null;
}

function suffixText(n: NormalisedName): string {
  return n.suffixes
    .map((s, i) => `${n.kinds[i] === "marker" ? "the suffix" : `the ${n.kinds[i]}`} ${s}`)
    .reverse()
    .join(" and ");
}
