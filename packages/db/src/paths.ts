import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The repository root: the nearest folder with pnpm-workspace.yaml above this file, or above
 * the working directory when this file was bundled somewhere else.
 */
export function repoRoot(): string {
  const starts = [path.dirname(fileURLToPath(import.meta.url)), process.cwd()];
  for (const start of starts) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      if (existsSync(path.join(dir, "pnpm-workspace.yaml"))) return dir;
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error("cannot find the repository root (no pnpm-workspace.yaml above this folder)");
}

export function defaultMigrationsDir(): string {
  return path.join(repoRoot(), "prisma", "migrations");
}

export function defaultSchemaPath(): string {
  return path.join(repoRoot(), "prisma", "schema.prisma");
}
