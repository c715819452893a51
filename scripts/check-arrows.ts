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
if (problems) {
  console.error(`${problems} import(s) break the architecture rule`);
  process.exit(1);
}
