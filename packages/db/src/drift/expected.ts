import type { Datamodel, DmmfField, DmmfModel } from "./dmmf";
import { emptyTable, type SchemaShape, type TableShape } from "./shape";

// What `prisma migrate` would create for a datamodel on PostgreSQL: Prisma's type mapping,
// default constraint names and referential actions, written down once.

const MAX_IDENTIFIER = 63; // PostgreSQL truncates longer names; Prisma truncates before the suffix.

const SCALAR_TYPES: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Boolean: "boolean",
  DateTime: "timestamp(3)",
  Json: "jsonb",
  Float: "double precision",
  Decimal: "numeric(65,30)",
  Bytes: "bytea",
};

const NATIVE_TYPES: Record<string, (args: string[]) => string> = {
  Uuid: () => "uuid",
  Text: () => "text",
  Integer: () => "integer",
  BigInt: () => "bigint",
  SmallInt: () => "smallint",
  Boolean: () => "boolean",
  JsonB: () => "jsonb",
  Json: () => "json",
  DoublePrecision: () => "double precision",
  Real: () => "real",
  ByteA: () => "bytea",
  Date: () => "date",
  Timestamptz: ([p]) => `timestamptz(${p ?? 6})`,
  Timestamp: ([p]) => `timestamp(${p ?? 6})`,
  VarChar: ([n]) => (n ? `varchar(${n})` : "varchar"),
  Char: ([n]) => `char(${n ?? 1})`,
  Decimal: ([p, s]) => (p ? `numeric(${p},${s ?? 0})` : "numeric"),
};

const ACTIONS: Record<string, string> = {
  Cascade: "CASCADE",
  Restrict: "RESTRICT",
  NoAction: "NO ACTION",
  SetNull: "SET NULL",
  SetDefault: "SET DEFAULT",
};

// Defaults Prisma fills in on the client side; they leave no trace in the database.
const CLIENT_DEFAULTS = new Set(["uuid", "cuid", "nanoid", "ulid"]);

export function expectedShape(dm: Datamodel): SchemaShape {
  const tableOf = (name: string) => {
    const model = dm.models.find((m) => m.name === name);
    return model?.dbName ?? name;
  };
  const enumDbName = new Map(dm.enums.map((e) => [e.name, e.dbName ?? e.name]));
  const shape: SchemaShape = {
    tables: new Map(),
    enums: new Map(dm.enums.map((e) => [e.dbName ?? e.name, e.values.map((v) => v.dbName ?? v.name)])),
  };

  for (const model of dm.models) {
    const table = tableOf(model.name);
    const t: TableShape = emptyTable();
    shape.tables.set(table, t);
    for (const f of model.fields.filter((f) => f.kind === "scalar" || f.kind === "enum")) {
      t.columns.set(column(f), {
        type: columnType(f, enumDbName),
        nullable: !f.isRequired || f.isList, // Prisma makes list columns nullable
        default: columnDefault(f, table, dm),
      });
    }
    for (const f of model.fields.filter((f) => f.kind === "object" && f.relationFromFields?.length)) {
      const from = (f.relationFromFields ?? []).map((n) => fieldOf(model, n));
      const target = dm.models.find((m) => m.name === f.type);
      const required = from.every((x) => x.isRequired);
      t.foreignKeys.set(constraintName(table, from.map(column), "_fkey"), {
        columns: from.map(column),
        refTable: tableOf(f.type),
        refColumns: (f.relationToFields ?? []).map((n) => (target ? column(fieldOf(target, n)) : n)),
        onDelete: ACTIONS[f.relationOnDelete ?? (required ? "Restrict" : "SetNull")] ?? "?",
        onUpdate: ACTIONS[f.relationOnUpdate ?? "Cascade"] ?? "?",
      });
    }
  }

  for (const index of dm.indexes) {
    const model = dm.models.find((m) => m.name === index.model);
    const t = model && shape.tables.get(tableOf(model.name));
    if (!model || !t || index.type === "fulltext") continue;
    const names = index.fields.map((x) => column(fieldOf(model, x.name)));
    const suffix = index.type === "id" ? "_pkey" : index.type === "unique" ? "_key" : "_idx";
    const name =
      index.dbName ??
      (index.type === "id" ? constraintName(tableOf(model.name), [], suffix) : constraintName(tableOf(model.name), names, suffix));
    t.indexes.set(name, {
      primary: index.type === "id",
      unique: index.type !== "normal",
      columns: index.fields.map((x, i) => `${names[i]}${x.sortOrder === "desc" ? " DESC" : ""}`),
    });
  }
  return shape;
}

function column(f: DmmfField): string {
  return f.dbName ?? f.name;
}

function fieldOf(model: DmmfModel, name: string): DmmfField {
  const field = model.fields.find((f) => f.name === name);
  if (!field) throw new Error(`DMMF: ${model.name}.${name} not found`);
  return field;
}

function columnType(f: DmmfField, enumDbName: Map<string, string>): string {
  let type: string;
  if (f.kind === "enum") type = `enum ${enumDbName.get(f.type) ?? f.type}`;
  else if (f.nativeType) type = NATIVE_TYPES[f.nativeType[0]]?.(f.nativeType[1]) ?? f.nativeType[0].toLowerCase();
  else type = SCALAR_TYPES[f.type] ?? `unknown ${f.type}`;
  return f.isList ? `${type}[]` : type;
}

/** The default as PostgreSQL prints it back, for the defaults Prisma puts in the database. */
function columnDefault(f: DmmfField, table: string, dm: Datamodel): string | null {
  const d = f.default;
  if (!f.hasDefaultValue || d === undefined || d === null) return null;
  if (typeof d === "object" && !Array.isArray(d) && "name" in d) {
    const fn = d as { name: string; args: unknown[] };
    if (CLIENT_DEFAULTS.has(fn.name)) return null;
    if (fn.name === "now") return "CURRENT_TIMESTAMP";
    if (fn.name === "autoincrement") return `nextval('${quoteIdent(`${table}_${column(f)}_seq`)}'::regclass)`;
    if (fn.name === "dbgenerated") return String(fn.args[0] ?? "");
    return `${fn.name}()`;
  }
  if (f.kind === "enum") {
    const e = dm.enums.find((x) => x.name === f.type);
    const value = e?.values.find((v) => v.name === d)?.dbName ?? String(d);
    return `'${value.replace(/'/g, "''")}'::${quoteIdent(e?.dbName ?? f.type)}`;
  }
  if (typeof d === "string") return `'${d.replace(/'/g, "''")}'::${f.type === "Json" ? "jsonb" : "text"}`;
  return String(d);
}

/** Prisma's default names: `<table>_<columns>_<suffix>`, cut before the suffix to fit 63 bytes. */
function constraintName(table: string, columns: string[], suffix: string): string {
  const base = [table, ...columns].join("_");
  return base.length + suffix.length > MAX_IDENTIFIER ? `${base.slice(0, MAX_IDENTIFIER - suffix.length)}${suffix}` : `${base}${suffix}`;
}

function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}
