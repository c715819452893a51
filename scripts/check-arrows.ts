import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/**
 * The architecture rule, enforced: apps -> api -> db, everyone may use core, core uses only zod,
 * cron-parser, picomatch and itself (no I/O, no framework), the agent uses only core (it ships as
 * one small file; it may import the api's types with `import type`, which compiles to nothing).
 * cron-parser and picomatch are pure calculation (a maintenance window's recurrences in a time
 * zone, a profile rule's name pattern); the agent imports neither core/maintenance nor
 * core/profiles, so its bundle carries neither.
 */
const PURE_LIBRARIES = new Set(["zod", "cron-parser", "picomatch", "vitest", "fast-check"]);
const root = join(import.meta.dirname, "..");

interface Rule {
  dir: string;
  allowed: (spec: string) => boolean;
  /** Also allowed as `import type` only: erased when compiled, so no code crosses the arrow. */
  typeOnly?: (spec: string) => boolean;
  why: string;
}

const internal = (spec: string) => spec.startsWith("@fleetwatch/");
const rules: Rule[] = [
  {
    dir: "packages/core/src",
    allowed: (s) => s.startsWith(".") || PURE_LIBRARIES.has(s),
    why: "core is pure: zod, cron-parser, picomatch and itself only",
  },
  { dir: "packages/core/test", allowed: (s) => !internal(s) || s.startsWith("@fleetwatch/core"), why: "core tests use core only" },
  { dir: "packages/db/src", allowed: (s) => !internal(s), why: "db depends on nothing of ours" },
  { dir: "packages/api/src", allowed: (s) => !internal(s) || /^@fleetwatch\/(core|db)(\/|$)/.test(s), why: "api may use core and db" },
  {
    dir: "apps/agent/src",
    allowed: (s) => !internal(s) || /^@fleetwatch\/core(\/|$)/.test(s),
    // The agent's server client is typed from the api's router (AppRouter): types, never code.
    typeOnly: (s) => s === "@fleetwatch/api",
    why: "the agent uses core only (and the api's types, by `import type`)",
  },
  {
    dir: "apps/web/src",
    allowed: (s) => !/^@fleetwatch\/db(\/|$)/.test(s) && !s.startsWith("@prisma"),
    why: "the web app reaches the database through api only",
  },
];

const importRe = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function* files(dir: string): Generator<string> {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of entries) {
    if (name === "node_modules" || name === "generated" || name === "fixtures") continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.(ts|tsx)$/.test(name)) yield path;
  }
}

let problems = 0;
for (const rule of rules) {
  for (const file of files(join(root, rule.dir))) {
    const source = readFileSync(file, "utf8");
    for (const match of source.matchAll(importRe)) {
      const spec = match[1] ?? match[2] ?? "";
      if (spec.startsWith("node:") && rule.dir.startsWith("packages/core/src") && !file.endsWith(".test.ts")) {
        console.error(`${relative(root, file)}: imports ${spec}: ${rule.why}`);
        problems++;
      } else if (!spec.startsWith("node:") && !rule.allowed(spec) && !(rule.typeOnly?.(spec) && /^\s*import\s+type\s/.test(match[0]))) {
        console.error(`${relative(root, file)}: imports ${spec}: ${rule.why}`);
        problems++;
      }
    }
  }
}
/**
 * The rule for database access (README, Contributing), enforced on product code (tests and benches
 * may read and set up rows as they need): Prisma's builder by default; raw SQL only in services
 * (and db itself), always as a tagged template with bound values, never the Unsafe forms; the
 * node-postgres layer only on the hot paths a bench measured.
 */
const RAW_SQL = /\$(?:queryRaw|executeRaw)(?:Unsafe)?\b/;
const UNSAFE_SQL = /\$(?:queryRaw|executeRaw)Unsafe\b/;
const DRIVER_LAYER = /\b(?:sqlQuery|sqlTransaction|prismaSql)\b/;
const rawSqlHomes = ["packages/api/src/services/", "packages/db/src/"];
const driverHomes = [
  "packages/api/src/services/ingest/",
  "packages/api/src/services/integrations/",
  "packages/api/src/context.ts",
  "packages/db/src/",
];
let sqlProblems = 0;
for (const dir of ["packages/api/src", "packages/db/src", "apps/web/src", "apps/agent/src"]) {
  for (const file of files(join(root, dir))) {
    if (/\.test\.tsx?$/.test(file)) continue;
    const path = relative(root, file);
    const source = readFileSync(file, "utf8");
    const say = (why: string) => {
      console.error(`${path}: ${why}`);
      sqlProblems++;
    };
    if (UNSAFE_SQL.test(source)) say("an Unsafe raw query: write it as a tagged template (Prisma.sql) so every value is bound");
    else if (RAW_SQL.test(source) && !rawSqlHomes.some((h) => path.startsWith(h)))
      say("raw SQL outside a service: move the statement into the domain's service");
    if (DRIVER_LAYER.test(source) && !driverHomes.some((h) => path.startsWith(h)))
      say("the node-postgres layer (db/sql.ts) outside the hot paths a bench measured: use Prisma ($queryRaw if need be)");
  }
}
problems += sqlProblems;

if (problems) {
  console.error(`${problems} problem(s) break the architecture rules (imports, database access)`);
  process.exit(1);
}
