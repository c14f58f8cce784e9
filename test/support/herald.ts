import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { GraphQLClient } from 'graphql-request';
import { createHerald, type Herald, type HeraldOptions } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { getSdk } from '../client/sdk.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export type Sdk = ReturnType<typeof getSdk>;

export type TestHerald = {
  herald: Herald;
  url: string;
  graphqlUrl: string;
  /** PostgreSQL URL of this Herald's database; undefined on PGlite. */
  databaseUrl: string | undefined;
  /** The operator tenant's admin key (HERALD_BOOTSTRAP_API_KEY). */
  adminKey: string;
  /** Typed client authenticated with `key` (the admin key by default). */
  sdk(key?: string): Sdk;
  /** Every log line written so far, as emitted. */
  logLines(): string[];
  stop(): Promise<void>;
};

export const randomKey = (): string =>
  `hk_test${Math.random().toString(36).slice(2, 7)}_${'x'.repeat(8)}${Math.random().toString(36).slice(2)}`;

export type StartHeraldOptions = {
  /**
   * Use this database instead of creating one (e.g. one shared with worker processes); its
   * owner drops it, `stop()` does not.
   */
  database?: TestDatabase;
  /**
   * Error-level log lines this test provokes on purpose (a fault of Herald's it simulates),
   * matched on the line's `msg`. Any other error-level line fails `stop()`: client mistakes and
   * hostile input are never logged as Herald's faults.
   */
  expectedErrorLogs?: RegExp[];
};

/**
 * Starts a real Herald on a loopback port with its own database. Dispatch is off unless the
 * test asks for it (HERALD_WORKERS), so accept-path tests see messages exactly as stored.
 */
export async function startHerald(
  env: Record<string, string> = {},
  opts: HeraldOptions = {},
  { database: shared, expectedErrorLogs = [] }: StartHeraldOptions = {},
): Promise<TestHerald> {
  const database = shared ?? (await createTestDatabase());
  const adminKey = randomKey();
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  // Uploaded media go to a directory of this Herald's own, removed by stop().
  const mediaDir = env.HERALD_MEDIA_DIR ? undefined : await mkdtemp(join(tmpdir(), 'herald-test-media-'));
  const config = loadConfig({
    ...(mediaDir ? { HERALD_MEDIA_DIR: mediaDir } : {}),
    PORT: '0',
    HOST: '127.0.0.1',
    HERALD_DATA_DIR: database.dataDir,
    HERALD_BOOTSTRAP_API_KEY: adminKey,
    LOG_LEVEL: 'info',
    HERALD_WORKERS: '0',
    // Fake providers and callback receivers listen on 127.0.0.1; test/ssrf.test.ts turns this off.
    HERALD_ALLOW_PRIVATE_TARGETS: 'true',
    // Tests drive one key hard; the ones about the per-key limit turn it on.
    HERALD_KEY_RATE_LIMIT: '0',
    ...(database.url ? { DATABASE_URL: database.url, DATABASE_POOL_SIZE: '5' } : {}),
    ...env,
  });
  const herald = await createHerald(config, createLogger(config.logLevel, sink), {
    ...(database.loadDataDir ? { loadDataDir: database.loadDataDir } : {}),
    ...opts,
  });
  const url = await herald.listen();
  await herald.bootstrap();
  const graphqlUrl = `${url}/graphql`;
  return {
    herald,
    url,
    graphqlUrl,
    databaseUrl: database.url,
    adminKey,
    sdk: (key = adminKey) => getSdk(new GraphQLClient(graphqlUrl, { headers: { authorization: `Bearer ${key}` } })),
    logLines: () => lines,
    stop: async () => {
      await herald.stop();
      if (!shared) await database.drop();
      if (mediaDir) await rm(mediaDir, { recursive: true, force: true });
      const unexpected = errorMessages(lines).filter((msg) => !expectedErrorLogs.some((re) => re.test(msg)));
      if (unexpected.length > 0)
        throw new Error(`Herald logged at error level: ${JSON.stringify(unexpected.slice(0, 10))}`);
    },
  };
}

/** The `msg` of every line logged at error level or above. */
function errorMessages(lines: string[]): string[] {
  return lines.flatMap((line) => {
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string };
      return (entry.level ?? 0) >= 50 ? [entry.msg ?? ''] : [];
    } catch {
      return [];
    }
  });
}
