/**
 * The TSM client's options files: `dsm.opt` (every OS) and, on Unix, `dsm.sys` with one stanza per
 * server (`SErvername NAME` opens one). Option names are case-blind and may be abbreviated down to
 * the part IBM's manual writes in capitals (`NODename` -> `NOD`); `*` starts a comment line.
 */
const OPTIONS = {
  NODENAME: "NOD",
  SCHEDLOGNAME: "SCHEDLOGN",
  ERRORLOGNAME: "ERRORLOGN",
  TCPSERVERADDRESS: "TCPS",
  TCPPORT: "TCPP",
  DATEFORMAT: "DATE",
  NUMBERFORMAT: "NUM",
  TIMEFORMAT: "TIME",
  PASSWORDACCESS: "PASSWORDA",
  SCHEDLOGRETENTION: "SCHEDLOGR",
  SCHEDLOGMAX: "SCHEDLOGM",
  ERRORLOGRETENTION: "ERRORLOGR",
  ERRORLOGMAX: "ERRORLOGM",
  SERVERNAME: "SE",
  DEFAULTSERVER: "DEFAULTS",
  DOMAIN: "DOM",
  MANAGEDSERVICES: "MANAGEDS",
  SCHEDMODE: "SCHEDMOD",
} as const;
export type OptionName = keyof typeof OPTIONS;

/** The full option name an abbreviation stands for, or null for options the agent does not read. */
export function optionName(written: string): OptionName | null {
  const upper = written.toUpperCase();
  for (const [full, min] of Object.entries(OPTIONS)) if (upper.startsWith(min) && full.startsWith(upper)) return full as OptionName;
  return null;
}

export type Options = Partial<Record<OptionName, string[]>>;

export interface Stanza {
  /** null: options before any SErvername (dsm.sys) or a whole dsm.opt. */
  server: string | null;
  options: Options;
}

/** Splits an option's value into words, keeping "quoted words with spaces" whole. */
export function words(value: string): string[] {
  const out: string[] = [];
  for (const m of value.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3] ?? "");
  return out;
}

/** `sys`: SErvername opens a stanza (dsm.sys); `opt`: it names the dsm.sys stanza to use (dsm.opt). */
export function parseOptionsFile(text: string, kind: "sys" | "opt"): Stanza[] {
  const stanzas: Stanza[] = [{ server: null, options: {} }];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("*") || line.startsWith("#")) continue;
    const m = /^(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const name = optionName(m[1]!);
    if (!name) continue;
    const value = m[2]!.trim();
    if (name === "SERVERNAME" && kind === "sys") {
      stanzas.push({ server: words(value)[0] ?? value, options: {} });
      continue;
    }
    const current = stanzas[stanzas.length - 1]!;
    const values = current.options[name] ?? [];
    values.push(value);
    current.options[name] = values;
  }
  return stanzas;
}

/** The last value of an option (later lines win, as in the client), unquoted. */
export function option(options: Options, name: OptionName): string | null {
  const values = options[name];
  if (!values || values.length === 0) return null;
  const last = values[values.length - 1]!;
  return words(last)[0] ?? null;
}

/** DOMAIN may repeat and list several names per line. */
export function domains(options: Options): string[] {
  return (options.DOMAIN ?? []).flatMap(words);
}
