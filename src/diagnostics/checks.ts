import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import type { Database } from '../db/client.js';
import { rowsOf } from '../db/raw-rows.js';
import type { ProviderDirectory } from '../providers/directory.js';
import { CHANNELS } from '../vocabulary.js';

// `herald doctor`'s questions, answered by the Herald that is asked: is its database there and
// migrated, is Redis (when configured) answering, does the public URL lead back to it (where
// providers post their reports), and where does each channel's traffic go for this tenant.

export type CheckStatus = 'OK' | 'WARN' | 'FAIL';
export type Check = { name: string; status: CheckStatus; detail: string };

export type DiagnosticsDeps = {
  database: Pick<Database, 'db' | 'kind' | 'ping'>;
  redisUrl: string | undefined;
  /** HERALD_PUBLIC_URL, or undefined when it was not set (the default points at this machine). */
  publicUrl: string | undefined;
  providers: ProviderDirectory;
  timeoutMs: number;
};

const JOURNAL = new URL('../../drizzle/meta/_journal.json', import.meta.url);

export async function runChecks(deps: DiagnosticsDeps, tenantId: string): Promise<Check[]> {
  return Promise.all([
    check('database', () => databaseCheck(deps)),
    check('migrations', () => migrationsCheck(deps)),
    check('redis', () => redisCheck(deps)),
    check('public URL', () => publicUrlCheck(deps)),
    ...CHANNELS.map((channel) => check(`route ${channel}`, () => routeCheck(deps, tenantId, channel))),
  ]);
}

/** A check that throws has failed, saying why. */
async function check(name: string, run: () => Promise<Omit<Check, 'name'>>): Promise<Check> {
  try {
    return { name, ...(await run()) };
  } catch (err) {
    return { name, status: 'FAIL', detail: err instanceof Error ? err.message : String(err) };
  }
}

async function databaseCheck({ database }: DiagnosticsDeps): Promise<Omit<Check, 'name'>> {
  const started = performance.now();
  await database.ping();
  const kind = database.kind === 'pglite' ? 'embedded PGlite (one process)' : 'PostgreSQL';
  return { status: 'OK', detail: `${kind}, answered in ${Math.round(performance.now() - started)} ms` };
}

async function migrationsCheck({ database }: DiagnosticsDeps): Promise<Omit<Check, 'name'>> {
  const shipped = (JSON.parse(await readFile(JOURNAL, 'utf8')) as { entries: unknown[] }).entries.length;
  const [row] = rowsOf<{ n: number | string }>(
    await database.db.execute(sql`select count(*) as n from drizzle.__drizzle_migrations`),
  );
  const applied = Number(row?.n ?? 0);
  if (applied === shipped) return { status: 'OK', detail: `${applied} of ${shipped} applied` };
  return applied < shipped
    ? { status: 'FAIL', detail: `${applied} of ${shipped} applied: restart Herald to migrate` }
    : {
        status: 'WARN',
        detail: `${applied} applied, this Herald knows ${shipped}: the database is newer than the code`,
      };
}

async function redisCheck({ redisUrl, timeoutMs }: DiagnosticsDeps): Promise<Omit<Check, 'name'>> {
  if (!redisUrl)
    return {
      status: 'OK',
      detail: 'not configured: live events travel through the database, send rate limits hold per process',
    };
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: timeoutMs });
  redis.on('error', () => {}); // the ping below reports it
  try {
    await redis.connect();
    const started = performance.now();
    await redis.ping();
    return { status: 'OK', detail: `answered in ${Math.round(performance.now() - started)} ms` };
  } finally {
    redis.disconnect();
  }
}

/** Providers post their reports to the public URL: it must lead back to a Herald. */
async function publicUrlCheck({ publicUrl, timeoutMs }: DiagnosticsDeps): Promise<Omit<Check, 'name'>> {
  if (!publicUrl)
    return {
      status: 'WARN',
      detail: 'HERALD_PUBLIC_URL is not set: providers cannot post delivery reports to this machine',
    };
  const res = await fetch(`${publicUrl}/healthz`, { signal: AbortSignal.timeout(timeoutMs) }).catch((err: Error) => {
    throw new Error(`${publicUrl}/healthz is not reachable from here: ${err.cause ?? err.message}`);
  });
  const body = (await res.json().catch(() => null)) as { status?: string } | null;
  if (res.status !== 200 || body?.status !== 'ok')
    return { status: 'FAIL', detail: `${publicUrl}/healthz answered ${res.status}, not a healthy Herald` };
  return { status: 'OK', detail: `${publicUrl} answers as a Herald` };
}

async function routeCheck(
  { providers }: DiagnosticsDeps,
  tenantId: string,
  channel: (typeof CHANNELS)[number],
): Promise<Omit<Check, 'name'>> {
  const { provider } = await providers.route(tenantId, channel, 0, false);
  if (provider.name === 'sandbox')
    return { status: 'WARN', detail: 'the sandbox: messages are simulated, nothing reaches a recipient' };
  return { status: 'OK', detail: `provider ${provider.name}` };
}
