import { type SQL, sql } from 'drizzle-orm';

/**
 * A batch written in one statement: the rows travel as one JSON parameter and PostgreSQL reads
 * them back with `jsonb_to_recordset(…) as v(column type, …)`. That column list must name the
 * rows' keys exactly, or a renamed key silently reads as null; so it is built from a record typed
 * by the rows (`RecordsetColumns<Row>`: every key, no other), and the compiler keeps both in step.
 */

/** The SQL type of each key of `Row`, in the order the column list gives them. */
export type RecordsetColumns<Row> = { readonly [K in keyof Row]-?: string };

/** `jsonb_to_recordset($rows::jsonb) as alias(key type, …)`, for a `from` clause. */
export function recordset<Row extends object>(
  alias: string,
  columns: RecordsetColumns<NoInfer<Row>>,
  rows: readonly Row[],
): SQL {
  const list = Object.entries(columns)
    .map(([key, type]) => `${key} ${type}`)
    .join(', ');
  return sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as ${sql.raw(alias)}(${sql.raw(list)})`;
}
