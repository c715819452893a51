/**
 * `dsmadmc -dataonly=yes -commadelimited` output: one row per line, fields separated by commas,
 * no header (shared/reference/tsm-facts.md §2.3). A SELECT that finds nothing prints ANR2034E and
 * exits 11: an empty result, not an error. Whether fields holding a comma are quoted is not
 * documented, so a field may be double-quoted ("" inside stands for one quote) or bare.
 */

type AdminOutput = { ok: true; rows: string[][] } | { ok: false; error: string };

/** Server and admin-client messages: ANR/ANS + 4 digits + severity letter. */
const MESSAGE = /^(AN[RS]\d{4}[IWES])\b/;
const NO_MATCH = "ANR2034E";
/** Return-code lines dsmadmc prints after the data: information, not rows. */
const RETURN_CODE = /^ANS800[12]I\b/;

export function parseAdminOutput(text: string, expectedColumns: number): AdminOutput {
  const rows: string[][] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === "") continue;
    const message = MESSAGE.exec(line.trimStart());
    if (message) {
      const code = message[1] as string;
      if (code === NO_MATCH || RETURN_CODE.test(line.trimStart())) continue;
      // Any other E or S message means the query did not run (no session, not authorised, bad SQL).
      if (code.endsWith("E") || code.endsWith("S")) return { ok: false, error: line.trim() };
      continue;
    }
    const fields = splitFields(line);
    if (fields.length !== expectedColumns) {
      return { ok: false, error: `line ${i + 1}: expected ${expectedColumns} fields, found ${fields.length}` };
    }
    rows.push(fields);
  }
  return { ok: true, rows };
}

/** One comma-delimited line; a quoted field may hold commas and doubled quotes. */
function splitFields(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = "";
      i++;
      while (i < line.length) {
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += line[i];
        i++;
      }
      fields.push(value);
      const comma = line.indexOf(",", i);
      if (comma < 0) return fields;
      i = comma + 1;
    } else {
      const comma = line.indexOf(",", i);
      fields.push((comma < 0 ? line.slice(i) : line.slice(i, comma)).trim());
      if (comma < 0) return fields;
      i = comma + 1;
    }
  }
}
