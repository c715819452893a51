import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { withSettingsTable } from "@fleetwatch/api/config/settings-table";

/** `pnpm readme:settings`: rewrite the README's settings table from the server's settings schema. */
const readmePath = join(import.meta.dirname, "..", "README.md");
const before = readFileSync(readmePath, "utf8");
const after = withSettingsTable(before);
if (after === before) console.log("README.md: the settings table is up to date");
else {
  writeFileSync(readmePath, after);
  console.log("README.md: settings table rewritten");
}
