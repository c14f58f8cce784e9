import { getTableColumns, type Table } from 'drizzle-orm';

// Hot statements written as SQL text (one round trip where drizzle's builder would need several)
// still answer with the rows drizzle's own queries would: these helpers read them back.

/**
 * The rows of a raw `db.execute(sql…)`: postgres.js returns them as an array, PGlite as an
 * object with `rows`. Every raw statement reads its result through here.
 */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows?: T[] }).rows ?? []);
}

/**
 * Reads rows selected as `table.*` (keyed by column name, as the driver returned them) into the
 * table's row type exactly as drizzle maps its own results (dates, JSON, arrays).
 */
export function rowReader<T extends Table>(table: T): (raw: Record<string, unknown>) => T['$inferSelect'] {
  const columns = Object.entries(getTableColumns(table));
  return (raw) => {
    const row: Record<string, unknown> = {};
    for (const [key, column] of columns) {
      const value = raw[column.name];
      row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return row as T['$inferSelect'];
  };
}
