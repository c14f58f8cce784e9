import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import type { Database } from '../db/client.js';
import { rowsOf } from '../db/raw-rows.js';
import type { OutboundGuard } from '../net/outbound.js';
import { listProviderConfigs } from '../providers/configure.js';
import {
  checkConfiguredProvider,
  checkCredentials,
  type CredentialCheckResult,
  type EnvironmentProvider,
} from '../providers/credential-check.js';
import type { ProviderDirectory } from '../providers/directory.js';
import { CHANNELS } from '../vocabulary.js';

// `herald doctor`'s questions, answered by the Herald that is asked: is its database there and
// migrated, is Redis (when configured) answering, does the public URL lead back to it (where
// providers post their reports), where does each channel's traffic go for this tenant, and do
// the tenant's own providers accept their credentials (and, asked by the operator, the
// installation's providers from the environment).

export type CheckStatus = 'OK' | 'WARN' | 'FAIL';
export type Check = { name: string; status: CheckStatus; detail: string };

export type DiagnosticsDeps = {
  database: Pick<Database, 'db' | 'kind' | 'ping'>;
  redisUrl: string | undefined;
  /** HERALD_PUBLIC_URL, or undefined when it was not set (the default points at this machine). */
  publicUrl: string | undefined;
  providers: ProviderDirectory;
  /** Tenant providers' credential checks connect through it, as their sends do. */
  outbound: OutboundGuard;
  /** The installation's providers (environment); only the operator's diagnostics check them. */
  environmentProviders: EnvironmentProvider[];
  timeoutMs: number;
};

const JOURNAL = new URL('../../drizzle/meta/_journal.json', import.meta.url);

export async function runChecks(
  deps: DiagnosticsDeps,
  asker: { tenantId: string; isOperator: boolean },
): Promise<Check[]> {
  const { tenantId } = asker;
  const [herald, providers, installation] = await Promise.all([
    Promise.all([
      check('database', () => databaseCheck(deps)),
      check('migrations', () => migrationsCheck(deps)),
      check('redis', () => redisCheck(deps)),
      check('public URL', () => publicUrlCheck(deps)),
      ...CHANNELS.map((channel) => check(`route ${channel}`, () => routeCheck(deps, tenantId, channel))),
    ]),
    providerChecks(deps, tenantId).catch((err: unknown) => [
      { name: 'providers', status: 'FAIL' as const, detail: err instanceof Error ? err.message : String(err) },
    ]),
    asker.isOperator ? environmentProviderChecks(deps) : [],
  ]);
  return [...herald, ...providers, ...installation];
}

/** A credential check as doctor grades it: not checkable is a caveat, not a failure. */
const CREDENTIAL_STATUS: Record<CredentialCheckResult, CheckStatus> = {
  OK: 'OK',
  NOT_CHECKABLE: 'WARN',
  BAD_CREDENTIALS: 'FAIL',
  UNREACHABLE: 'FAIL',
};

/** Each enabled provider the tenant configured, checked with one harmless call (nothing is sent). */
async function providerChecks(deps: DiagnosticsDeps, tenantId: string): Promise<Check[]> {
  const configs = (await listProviderConfigs(deps.database.db, tenantId)).filter((c) => c.enabled);
  return Promise.all(
    configs.map(async (config) => {
      const verdict = await checkConfiguredProvider(deps.providers.secrets, config, {
        outbound: deps.outbound,
        timeoutMs: deps.timeoutMs,
        now: () => new Date(),
      });
      return {
        name: `provider ${config.name}`,
        status: CREDENTIAL_STATUS[verdict.result],
        detail: `${config.kind}, ${verdict.result}: ${verdict.message}`,
      };
    }),
  );
}

/** The installation's providers, checked the same way; they are trusted, as their sends are. */
function environmentProviderChecks(deps: DiagnosticsDeps): Promise<Check[]> {
  return Promise.all(
    deps.environmentProviders.map(async (p) => {
      const verdict = await checkCredentials(p.kind, p.settings, p.secrets, {
        outbound: undefined,
        timeoutMs: deps.timeoutMs,
        now: () => new Date(),
      });
      return {
        name: `provider ${p.name} (installation)`,
        status: CREDENTIAL_STATUS[verdict.result],
        detail: `${p.kind}, ${verdict.result}: ${verdict.message}`,
      };
    }),
  );
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
