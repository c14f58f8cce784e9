import { readFile } from 'node:fs/promises';
import postgres from 'postgres';
import { inject } from 'vitest';

// Each test file gets a database of its own: an in-memory PGlite by default, or, when
// DATABASE_URL points at a PostgreSQL server, a fresh database created on it and dropped after.
// Both start migrated, cloned from what test/support/global-setup.ts migrated once.

export type TestDatabase = {
  url: string | undefined;
  dataDir: string;
  /** PGlite: the migrated data directory to start from. */
  loadDataDir: Blob | undefined;
  drop(): Promise<void>;
};

let pgliteDump: Promise<Blob> | undefined;

export async function createTestDatabase(): Promise<TestDatabase> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const file = inject('pgliteDump');
    // Read once per test file; a Blob is immutable, so every Herald of the file loads the same one.
    if (file) pgliteDump ??= readFile(file).then((bytes) => new Blob([bytes]));
    return { url: undefined, dataDir: 'memory://', loadDataDir: await pgliteDump, drop: async () => {} };
  }
  const template = inject('templateDatabase');
  const name = `herald_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"${template ? ` template "${template}"` : ''}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dataDir: 'memory://',
    loadDataDir: undefined,
    drop: async () => {
      const sql = postgres(base, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await sql.end();
      }
    },
  };
}
