import pg from "pg";
import { emptyTable, type SchemaShape } from "./shape";

// What PostgreSQL actually has in the current schema, from information_schema, pg_indexes and
// pg_constraint, normalised to the same words expected.ts uses.

const ACTIONS: Record<string, string> = { a: "NO ACTION", r: "RESTRICT", c: "CASCADE", n: "SET NULL", d: "SET DEFAULT" };
const ARRAY_ELEMENTS: Record<string, string> = {
  _text: "text",
  _int4: "integer",
  _int8: "bigint",
  _bool: "boolean",
  _uuid: "uuid",
  _jsonb: "jsonb",
  _timestamptz: "timestamptz",
};

interface ColumnRow {
  table_name: string;
  column_name: string;
  data_type: string;
  udt_name: string;
  is_nullable: "YES" | "NO";
  column_default: string | null;
  datetime_precision: number | null;
  character_maximum_length: number | null;
  numeric_precision: number | null;
  numeric_scale: number | null;
}

export async function actualShape(url: string): Promise<SchemaShape> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const shape: SchemaShape = { tables: new Map(), enums: new Map() };

    const tables = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
       WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'`,
    );
    for (const row of tables.rows) shape.tables.set(row.table_name, emptyTable());

    const columns = await client.query<ColumnRow>(
      `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default, datetime_precision,
              character_maximum_length, numeric_precision, numeric_scale
       FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
    );
    for (const c of columns.rows) {
      shape.tables.get(c.table_name)?.columns.set(c.column_name, {
        type: columnType(c),
        nullable: c.is_nullable === "YES",
        default: c.column_default,
      });
    }

    const indexes = await client.query<{ tablename: string; indexname: string; indexdef: string; primary: boolean }>(
      `SELECT i.tablename, i.indexname, i.indexdef, tc.constraint_type IS NOT NULL AS primary
       FROM pg_indexes i LEFT JOIN information_schema.table_constraints tc
         ON tc.table_schema = i.schemaname AND tc.constraint_name = i.indexname AND tc.constraint_type = 'PRIMARY KEY'
       WHERE i.schemaname = current_schema() AND i.tablename <> '_prisma_migrations'`,
    );
    for (const i of indexes.rows) {
      const columnList = i.indexdef.slice(i.indexdef.lastIndexOf("(") + 1, i.indexdef.lastIndexOf(")"));
      shape.tables.get(i.tablename)?.indexes.set(i.indexname, {
        primary: i.primary,
        unique: /^CREATE UNIQUE INDEX/.test(i.indexdef),
        columns: columnList.split(",").map((part) =>
          part
            .trim()
            .replace(/"/g, "")
            .replace(/\s+ASC$/, ""),
        ),
      });
    }

    const fks = await client.query<{
      name: string;
      table: string;
      ref_table: string;
      on_delete: string;
      on_update: string;
      columns: string[];
      ref_columns: string[];
    }>(
      `SELECT con.conname::text AS name, rel.relname::text AS table, ref.relname::text AS ref_table,
              con.confdeltype AS on_delete, con.confupdtype AS on_update,
              ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, ord)
                    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.ord) AS columns,
              ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, ord)
                    JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.ord) AS ref_columns
       FROM pg_constraint con
       JOIN pg_class rel ON rel.oid = con.conrelid
       JOIN pg_class ref ON ref.oid = con.confrelid
       JOIN pg_namespace n ON n.oid = rel.relnamespace
       WHERE con.contype = 'f' AND n.nspname = current_schema()`,
    );
    for (const f of fks.rows) {
      shape.tables.get(f.table)?.foreignKeys.set(f.name, {
        columns: f.columns,
        refTable: f.ref_table,
        refColumns: f.ref_columns,
        onDelete: ACTIONS[f.on_delete] ?? f.on_delete,
        onUpdate: ACTIONS[f.on_update] ?? f.on_update,
      });
    }

    const enums = await client.query<{ name: string; labels: string[] }>(
      `SELECT t.typname::text AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
       WHERE n.nspname = current_schema() GROUP BY t.typname`,
    );
    for (const e of enums.rows) shape.enums.set(e.name, e.labels);
    return shape;
  } finally {
    await client.end();
  }
}

function columnType(c: ColumnRow): string {
  switch (c.data_type) {
    case "ARRAY":
      return `${ARRAY_ELEMENTS[c.udt_name] ?? c.udt_name.slice(1)}[]`;
    case "USER-DEFINED":
      return `enum ${c.udt_name}`;
    case "timestamp with time zone":
      return `timestamptz(${c.datetime_precision})`;
    case "timestamp without time zone":
      return `timestamp(${c.datetime_precision})`;
    case "character varying":
      return c.character_maximum_length ? `varchar(${c.character_maximum_length})` : "varchar";
    case "character":
      return `char(${c.character_maximum_length})`;
    case "numeric":
      return c.numeric_precision ? `numeric(${c.numeric_precision},${c.numeric_scale})` : "numeric";
    default:
      return c.data_type;
  }
}
