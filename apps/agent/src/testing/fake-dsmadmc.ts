import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AdminTable } from "@fleetwatch/core/collector";

/**
 * A stand-in for IBM's dsmadmc: a shell script that answers each SELECT from a canned CSV file
 * named after its table, as `dsmadmc -DATAONLY=YES -COMMAdelimited` prints it. No file (or an
 * empty one) answers as the server does for no rows: ANR2034E and exit 11. A wrong password, or
 * `down()`, answers ANS8023E. Every call's arguments, the password masked, go to calls.log.
 */
export class FakeDsmadmc {
  private constructor(
    readonly dir: string,
    readonly path: string,
  ) {}

  static async create(password: string): Promise<FakeDsmadmc> {
    const dir = await mkdtemp(join(tmpdir(), "fw-dsmadmc-"));
    const path = join(dir, "dsmadmc");
    await writeFile(path, SCRIPT);
    await chmod(path, 0o755);
    await writeFile(join(dir, "password"), password);
    return new FakeDsmadmc(dir, path);
  }

  /** Rows for a table, each a list of fields, written as dsmadmc writes them. */
  async table(name: AdminTable, rows: string[][]): Promise<void> {
    await writeFile(join(this.dir, `${name}.csv`), rows.map((r) => `${r.map(csvField).join(",")}\n`).join(""));
  }

  /** The TSM server stops answering (or comes back). */
  async down(isDown = true): Promise<void> {
    if (isDown) await writeFile(join(this.dir, "nosession"), "");
    else await rm(join(this.dir, "nosession"), { force: true });
  }

  async calls(): Promise<string[][]> {
    const text = await readFile(join(this.dir, "calls.log"), "utf8").catch(() => "");
    return text
      .split("\n")
      .filter(Boolean)
      .map((line) => line.split("\t"));
  }

  async cleanup(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

const csvField = (v: string) => (/[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

const SCRIPT = `#!/bin/sh
dir=$(dirname "$0")
pw=""
sql=""
logged=""
for a in "$@"; do
  case "$a" in
    -PAssword=*) pw="\${a#-PAssword=}"; logged="$logged	-PAssword=***" ;;
    -*) logged="$logged	$a" ;;
    *) sql="$a"; logged="$logged	$a" ;;
  esac
done
printf '%s\\n' "\${logged#	}" >> "$dir/calls.log"
if [ -f "$dir/nosession" ] || [ "$pw" != "$(cat "$dir/password")" ]; then
  [ -f "$dir/nosession" ] || echo "ANS1025E Session rejected: Authentication failure"
  printf 'ANS8023E Unable to establish session with server.\\n\\nANS8002I Highest return code was -50.\\n'
  exit 206
fi
table=$(printf '%s' "$sql" | sed -n 's/.* from \\([A-Z_]*\\).*/\\1/p')
if [ -s "$dir/$table.csv" ]; then
  cat "$dir/$table.csv"
  exit 0
fi
printf 'ANR2034E SELECT: No match found using this criteria.\\nANS8001I Return code 11.\\n'
exit 11
`;

/** Rows in a SELECT's column order from objects keyed by column name (missing columns empty). */
export function rowsFor(columns: readonly string[], rows: Array<Record<string, string>>): string[][] {
  return rows.map((r) => columns.map((c) => r[c] ?? ""));
}
