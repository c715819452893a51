import { lookupAns } from "../catalogue/index";
import type { Message, Severity } from "../schemas/event";

const MAX_TEXT = 8192;

/** A message from `ANSnnnnX text` starting at `i`; cause and flag come from the catalogue. */
export function makeMessage(line: string, i: number, at: string | null): Message {
  const code = line.slice(i, i + 8);
  const entry = lookupAns(code);
  const message: Message = {
    code,
    severity: code.charAt(7) as Severity,
    at,
    text: line
      .slice(i + 8)
      .replace(/^[\s:]+/, "")
      .trimEnd()
      .slice(0, MAX_TEXT),
    cause: entry?.cause ?? null,
  };
  if (entry?.flag) message.flag = entry.flag;
  setDays(message);
  return message;
}

/** A line with no timestamp continues the message before it. */
export function continueMessage(message: Message, more: string): void {
  const text = more.trim();
  if (text.length === 0 || message.text.length >= MAX_TEXT) return;
  message.text = (message.text.length > 0 ? `${message.text} ${text}` : text).slice(0, MAX_TEXT);
  setDays(message);
}

/** ANS8004W: "Your password will expire within N day(s)." */
function setDays(message: Message): void {
  if (message.flag !== "password-expiring") return;
  const m = /(\d+)\s*day/i.exec(message.text);
  if (m && Number.isSafeInteger(Number(m[1]))) message.days = Number(m[1]);
}

/** Same line in both logs: same time, code and text (spacing aside). */
export function messageKey(m: Message): string {
  return `${m.at ?? ""}\u0000${m.code}\u0000${m.text.replace(/\s+/g, " ")}`;
}

/** Problems: messages outside every event that a person should see. */
export function isProblem(m: Message): boolean {
  return m.severity !== "I" || m.flag !== undefined;
}

/** `Return code = 12.` / `Return code =12.` anywhere in the text, any spacing. */
export function returnCodeIn(text: string): number | null {
  const k = text.indexOf("eturn code");
  if (k < 0) return null;
  const m = /^eturn code\s*=\s*(-?\d+)/.exec(text.slice(k));
  return m && Number.isSafeInteger(Number(m[1])) ? Number(m[1]) : null;
}

/** Merge two time-ordered lists, keeping each list's own order (first list wins ties). */
export function mergeByTime(a: Message[], b: Message[]): Message[] {
  if (b.length === 0) return a.slice();
  if (a.length === 0) return b.slice();
  const out: Message[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if ((b[j]!.at ?? "") < (a[i]!.at ?? "")) out.push(b[j++]!);
    else out.push(a[i++]!);
  }
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}
