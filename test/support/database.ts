import postgres from 'postgres';

// Each test file gets a database of its own: an in-memory PGlite by default, or, when
// DATABASE_URL points at a PostgreSQL server, a fresh database created on it and dropped after.

export type TestDatabase = { url: string | undefined; dataDir: string; drop(): Promise<void> };

export async function createTestDatabase(): Promise<TestDatabase> {
  const base = process.env.DATABASE_URL;
  if (!base) return { url: undefined, dataDir: 'memory://', drop: async () => {} };
  const name = `herald_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dataDir: 'memory://',
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
