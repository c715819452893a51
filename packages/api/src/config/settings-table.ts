import { SERVER_SETTINGS } from "./server-config";

/** The README's settings table sits between these lines, written by `pnpm readme:settings`. */
export const TABLE_BEGIN =
  "<!-- settings:begin (generated from packages/api/src/config/server-config.ts by `pnpm readme:settings`; do not edit by hand) -->";
export const TABLE_END = "<!-- settings:end -->";

/**
 * The settings table in Markdown: every setting, its default and what it does, in the schema's
 * order; columns padded as the formatter (biome) writes them, so `pnpm lint` leaves it be.
 */
export function settingsTable(): string {
  const rows = [
    ["Setting", "Default", "What it does"],
    ...Object.entries(SERVER_SETTINGS).map(([name, s]) => [`\`${name}\``, s.shownDefault, s.description]),
  ];
  const widths = [0, 1, 2].map((i) => Math.max(3, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  const [head = [], ...body] = rows;
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

/** `readme` with its table replaced by the current one; throws when the markers are missing. */
export function withSettingsTable(readme: string): string {
  const begin = readme.indexOf(TABLE_BEGIN);
  const end = readme.indexOf(TABLE_END);
  if (begin < 0 || end < begin) throw new Error(`the README has no settings table: put ${TABLE_BEGIN} and ${TABLE_END} where it goes`);
  return `${readme.slice(0, begin + TABLE_BEGIN.length)}\n${settingsTable()}\n${readme.slice(end)}`;
}

/** The table as the README has it now (null without markers). */
export function settingsTableIn(readme: string): string | null {
  const begin = readme.indexOf(TABLE_BEGIN);
  const end = readme.indexOf(TABLE_END);
  return begin < 0 || end < begin ? null : readme.slice(begin + TABLE_BEGIN.length, end).trim();
}
