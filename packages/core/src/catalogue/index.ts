import type { FailureCause, MessageFlag, Severity } from "../schemas/event";
import { codeRows } from "./codes";
import type { RemedyKey } from "./remedies";

export { type RemedyKey, remedyKeys } from "./remedies";

export type AnsEntry = {
  code: string;
  severity: Severity;
  meaning: string;
  /** The failure cause this message is evidence of (parse contract, "Causes"), or null. */
  cause: FailureCause | null;
  /** Evidence for the server rather than a cause (password expiring, window elapsed...). */
  flag: MessageFlag | null;
  remedy: RemedyKey;
};

/** The ANS catalogue, keyed by code (`ANS1512E`). */
export const ansCatalogue: ReadonlyMap<string, AnsEntry> = new Map(
  codeRows.map(([code, meaning, cause, remedy, flag]) => [
    code,
    { code, severity: code.charAt(7) as Severity, meaning, cause, flag: flag ?? null, remedy },
  ]),
);

/** The entry for a code, or undefined for a code the catalogue does not know. */
export function lookupAns(code: string): AnsEntry | undefined {
  return ansCatalogue.get(code.toUpperCase());
}
