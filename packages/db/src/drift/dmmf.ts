import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { defaultSchemaPath } from "../paths";

// Prisma's DMMF datamodel for schema.prisma, read the one way the installed Prisma 7 offers
// without @prisma/internals: `prisma generate` with a generator that writes out what it is given.

export interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "object" | "enum" | "unsupported";
  isList: boolean;
  isRequired: boolean;
  type: string;
  nativeType?: [string, string[]] | null;
  hasDefaultValue: boolean;
  default?: unknown;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}

export interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}

export interface DmmfIndex {
  model: string;
  type: "id" | "normal" | "unique" | "fulltext";
  dbName?: string | null;
  algorithm?: string;
  fields: { name: string; sortOrder?: "asc" | "desc" }[];
}

export interface DmmfEnum {
  name: string;
  dbName?: string | null;
  values: { name: string; dbName: string | null }[];
}

export interface Datamodel {
  models: DmmfModel[];
  enums: DmmfEnum[];
  indexes: DmmfIndex[];
}

export async function loadDatamodel(schemaPath: string = defaultSchemaPath()): Promise<Datamodel> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "fleetwatch-dmmf-"));
  try {
    const generator = fileURLToPath(new URL("./dmmf-generator.cjs", import.meta.url));
    const schema = (await readFile(schemaPath, "utf8")).replace(/^generator\s+\w+\s*\{[\s\S]*?^\}/gm, "");
    const block = `generator dmmf {\n  provider = ${JSON.stringify(`node '${generator}'`)}\n  output   = ${JSON.stringify(dir)}\n}\n`;
    const schemaFile = path.join(dir, "schema.prisma");
    await writeFile(schemaFile, `${schema}\n${block}`);
    const cli = createRequire(import.meta.url).resolve("prisma/build/index.js");
    await promisify(execFile)(process.execPath, [cli, "generate", "--schema", schemaFile], {
      cwd: dir, // no prisma.config.ts here: the CLI reads only the schema file it is given
      env: {
        ...process.env,
        // The CLI insists on a schema engine path even though generate never runs it.
        PRISMA_SCHEMA_ENGINE_BINARY: existsSync("/bin/true") ? "/bin/true" : "/usr/bin/true",
        CHECKPOINT_DISABLE: "1",
        PRISMA_HIDE_UPDATE_MESSAGE: "1",
      },
    });
    return JSON.parse(await readFile(path.join(dir, "dmmf.json"), "utf8")) as Datamodel;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
