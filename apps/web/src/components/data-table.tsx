import type { ReactNode } from "react";

/** A column's heading, and the classes its heading takes (hide-sm, num). */
export interface Column {
  label: string;
  className?: string;
  /** Heard by screen readers only: a column of buttons needs a name but no visible heading. */
  hidden?: boolean;
}

/**
 * A list as a table that scrolls inside its box on a narrow screen: one heading a column, one row
 * a record, or the `empty` line when there is none. `false` leaves a column out (staff-only ones).
 */
export function DataTable<T>({
  columns,
  rows,
  row,
  empty,
  testId,
}: {
  columns: (Column | false)[];
  rows: readonly T[];
  row: (record: T) => ReactNode;
  empty?: ReactNode;
  testId?: string;
}) {
  if (rows.length === 0 && empty) return <p className="empty">{empty}</p>;
  return (
    <div className="table-wrap">
      <table data-testid={testId}>
        <thead>
          <tr>
            {columns.map(
              (c) =>
                c && (
                  <th key={c.label} scope="col" className={c.className}>
                    {c.hidden ? <span className="visually-hidden">{c.label}</span> : c.label}
                  </th>
                ),
            )}
          </tr>
        </thead>
        <tbody>{rows.map((r) => row(r))}</tbody>
      </table>
    </div>
  );
}
