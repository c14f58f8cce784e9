import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Knobs shared by every scenario, read from the environment once.

export type DbKind = 'postgres' | 'pglite';

export type BenchOptions = {
  /** Concurrent clients, each with one request in flight (closed loop). */
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  db: DbKind;
  /** Connection string of the PostgreSQL server that hosts the throw-away database. */
  adminUrl: string;
  /** Checkout whose src/main.ts is started: this one, or another to compare a change (A/B). */
  heraldDir: string;
};

function number(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number >= ${min}, got "${raw}"`);
  return n;
}

export function readOptions(env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const db = env.BENCH_DB ?? 'postgres';
  if (db !== 'postgres' && db !== 'pglite') throw new Error(`BENCH_DB must be postgres or pglite, got "${db}"`);
  return {
    concurrency: Math.round(number(env, 'BENCH_CONCURRENCY', 64, 1)),
    warmupMs: number(env, 'BENCH_WARMUP_SECONDS', 2, 0) * 1000,
    durationMs: number(env, 'BENCH_SECONDS', 10, 0.1) * 1000,
    db,
    // Only locates the server: the bench creates and drops its own database next to the named one.
    adminUrl: env.BENCH_PG_URL ?? env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    heraldDir: resolve(env.BENCH_HERALD_DIR ?? fileURLToPath(new URL('../../', import.meta.url))),
  };
}
