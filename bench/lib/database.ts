import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { BenchOptions } from './options.js';

/** A database that exists for one benchmark run only. */
export type BenchDatabase = {
  /** For the summary, e.g. "PostgreSQL 15.20" or "PGlite (embedded)". */
  label: string;
  /** What Herald needs to use it; `DATABASE_URL: undefined` means "remove it from the env". */
  env: Record<string, string | undefined>;
  drop(): Promise<void>;
};

async function withAdmin<T>(url: string, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export async function createBenchDatabase(opts: Pick<BenchOptions, 'db' | 'adminUrl'>): Promise<BenchDatabase> {
  if (opts.db === 'pglite') {
    const dir = await mkdtemp(join(tmpdir(), 'herald-bench-'));
    return {
      label: 'PGlite (embedded)',
      env: { DATABASE_URL: undefined, HERALD_DATA_DIR: dir },
      drop: () => rm(dir, { recursive: true, force: true }),
    };
  }
  // Hex only, so the name is safe to splice into DDL.
  const name = `herald_bench_${randomBytes(4).toString('hex')}`;
  let version: string;
  try {
    version = await withAdmin(opts.adminUrl, async (sql) => {
      const [row] = await sql<{ server_version: string }[]>`show server_version`;
      await sql.unsafe(`create database ${name}`);
      return row?.server_version ?? '?';
    });
  } catch (err) {
    const where = new URL(opts.adminUrl).host;
    throw new Error(
      `cannot create a database on PostgreSQL at ${where} (${err instanceof Error ? err.message : err}).\n` +
        `Start it (pg_ctlcluster --skip-systemctl-redirect <version> main start), point BENCH_PG_URL at another ` +
        `server, or run on embedded PGlite with BENCH_DB=pglite.`,
    );
  }
  const url = new URL(opts.adminUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    label: `PostgreSQL ${version.split(' ')[0]}`,
    env: { DATABASE_URL: url.toString() },
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await withAdmin(opts.adminUrl, (sql) => sql.unsafe(`drop database if exists ${name} with (force)`));
    },
  };
}
