import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import type { Logger } from '../log.js';
import type { StatusListener } from '../messaging/status-updates.js';
import { createProviders } from '../providers/registry.js';
import { Dispatcher } from './dispatcher.js';
import { createRateLimiter } from './rate-limit.js';

export type Delivery = { dispatcher: Dispatcher; stop(graceMs: number): Promise<void> };

/** The delivery engine of one process: providers, shared rate limits and the dispatcher. */
export async function startDelivery(
  database: Database,
  config: Config,
  log: Logger,
  opts: { now: () => Date; onChanges: StatusListener; random?: () => number },
): Promise<Delivery> {
  const limiter = createRateLimiter({ redis: config.redisUrl });
  if (!config.redisUrl && database.kind === 'postgres') {
    log.warn('REDIS_URL is not set: send rate limits hold per process, not across processes');
  }
  const dispatcher = new Dispatcher({
    database,
    providers: createProviders(config.providers, opts.now),
    limiter,
    config: config.delivery,
    log,
    now: opts.now,
    onChanges: opts.onChanges,
    workerId: `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
    ...(opts.random ? { random: opts.random } : {}),
  });
  await dispatcher.start();
  return {
    dispatcher,
    stop: async (graceMs) => {
      await dispatcher.stop(graceMs);
      await limiter.close();
    },
  };
}
