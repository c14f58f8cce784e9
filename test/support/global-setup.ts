import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/client.js';

// Migrations run once per `vitest run`, not once per Herald a test starts: a migrated
// PostgreSQL database every test database is created from (CREATE DATABASE … TEMPLATE), or a
// migrated PGlite data directory every in-memory database is loaded from. Booting an empty
// PGlite (its initdb) costs seconds; loading a dump a fraction of that. Herald still runs its
// migrations at start and finds them applied.

declare module 'vitest' {
  export interface ProvidedContext {
    /** PostgreSQL: name of the migrated template database. */
    templateDatabase: string | undefined;
    /** PGlite: path of a dump (dumpDataDir) of a migrated data directory. */
    pgliteDump: string | undefined;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const base = process.env.DATABASE_URL;
  if (base) {
    const name = `herald_tpl_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    const url = new URL(base);
    url.pathname = `/${name}`;
    const template = openDatabase({ url: url.toString(), dataDir: 'memory://', poolSize: 1 });
    try {
      await template.migrate();
    } finally {
      // No connection may stay open on a template database, or CREATE DATABASE from it fails.
      await template.close();
    }
    project.provide('templateDatabase', name);
    project.provide('pgliteDump', undefined);
    return async () => {
      try {
        await admin.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await admin.end();
      }
    };
  }
  const dir = await mkdtemp(join(tmpdir(), 'herald-test-pglite-'));
  const file = join(dir, 'migrated.tar');
  const database = openDatabase({ dataDir: 'memory://' });
  try {
    await database.migrate();
    const client = (database.db as unknown as { $client: { dumpDataDir(c: 'none'): Promise<Blob> } }).$client;
    await writeFile(file, Buffer.from(await (await client.dumpDataDir('none')).arrayBuffer()));
  } finally {
    await database.close();
  }
  project.provide('templateDatabase', undefined);
  project.provide('pgliteDump', file);
  return () => rm(dir, { recursive: true, force: true });
}
