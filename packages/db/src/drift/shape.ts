// One neutral description of a database schema, filled from two sides (what schema.prisma says
// Prisma would create, and what PostgreSQL actually has) and compared field by field.

export interface ColumnShape {
  /** Normalised SQL type: "uuid", "text[]", "timestamptz(3)", "enum Role", ... */
  type: string;
  nullable: boolean;
  /** The default as PostgreSQL prints it (pg_get_expr), or null. */
  default: string | null;
}

export interface IndexShape {
  primary: boolean;
  unique: boolean;
  /** Column names in order, with " DESC" where descending. */
  columns: string[];
}

export interface ForeignKeyShape {
  columns: string[];
  refTable: string;
  refColumns: string[];
  /** SQL words: "CASCADE", "RESTRICT", "SET NULL", "NO ACTION", "SET DEFAULT". */
  onDelete: string;
  onUpdate: string;
}

export interface TableShape {
  columns: Map<string, ColumnShape>;
  indexes: Map<string, IndexShape>;
  foreignKeys: Map<string, ForeignKeyShape>;
}

export interface SchemaShape {
  tables: Map<string, TableShape>;
  /** Enum type name -> its labels in order. */
  enums: Map<string, string[]>;
}

export function emptyTable(): TableShape {
  return { columns: new Map(), indexes: new Map(), foreignKeys: new Map() };
}

/** Every difference as a readable line ("Window.cause: column missing"); empty when equal. */
export function diffShapes(expected: SchemaShape, actual: SchemaShape): string[] {
  const out: string[] = [];
  compareKeys(expected.enums, actual.enums, "enum", "", out, (name, want, got) => {
    if (want.join() !== got.join()) out.push(`enum ${name}: values (${got.join(", ")}), expected (${want.join(", ")})`);
  });
  compareKeys(expected.tables, actual.tables, "table", "", out, (table, want, got) => {
    compareKeys(want.columns, got.columns, "column", `${table}.`, out, (column, w, g) => {
      const at = `${table}.${column}`;
      if (w.type !== g.type) out.push(`${at}: type ${g.type}, expected ${w.type}`);
      if (w.nullable !== g.nullable)
        out.push(`${at}: ${g.nullable ? "nullable" : "NOT NULL"}, expected ${w.nullable ? "nullable" : "NOT NULL"}`);
      if (w.default !== g.default) out.push(`${at}: default ${g.default ?? "none"}, expected ${w.default ?? "none"}`);
    });
    compareKeys(want.indexes, got.indexes, "index", `${table}.`, out, (name, w, g) => {
      const kind = (i: IndexShape) => (i.primary ? "primary key" : i.unique ? "unique" : "index");
      if (kind(w) !== kind(g)) out.push(`${table}.${name}: is ${kind(g)}, expected ${kind(w)}`);
      if (w.columns.join() !== g.columns.join()) {
        out.push(`${table}.${name}: on (${g.columns.join(", ")}), expected (${w.columns.join(", ")})`);
      }
    });
    compareKeys(want.foreignKeys, got.foreignKeys, "foreign key", `${table}.`, out, (name, w, g) => {
      const render = (f: ForeignKeyShape) =>
        `(${f.columns.join(", ")}) -> ${f.refTable}(${f.refColumns.join(", ")}) ON DELETE ${f.onDelete} ON UPDATE ${f.onUpdate}`;
      if (render(w) !== render(g)) out.push(`${table}.${name}: ${render(g)}, expected ${render(w)}`);
    });
  });
  return out;
}

function compareKeys<T>(
  want: Map<string, T>,
  got: Map<string, T>,
  what: string,
  prefix: string,
  out: string[],
  same: (name: string, want: T, got: T) => void,
): void {
  for (const [name, w] of want) {
    const g = got.get(name);
    if (g === undefined) out.push(`${prefix}${name}: ${what} missing`);
    else same(name, w, g);
  }
  for (const name of got.keys()) {
    if (!want.has(name)) out.push(`${prefix}${name}: ${what} not in schema.prisma`);
  }
}
