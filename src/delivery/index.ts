import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { CallbackDispatcher } from '../callbacks/dispatcher.js';
import { CampaignRelease } from '../campaigns/release.js';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import type { Logger } from '../log.js';
import type { StatusListener } from '../messaging/status-updates.js';
import { openMediaStore } from '../media/open-store.js';
import { OutboundGuard } from '../net/outbound.js';
import type { HeraldMetrics } from '../observability/metrics.js';
import { createProviderDirectory, type ProviderDirectory } from '../providers/directory.js';
import { Dispatcher } from './dispatcher.js';
import { createRateLimiter, sustainedRate } from './rate-limit.js';
import { sendRateOf } from './send-message.js';
import type { TemplateChangeListener } from '../templates/lifecycle.js';
import { templateSync } from '../templates/sync-job.js';

export type Delivery = {
  dispatcher: Dispatcher;
  callbacks: CallbackDispatcher | undefined;
  stop(graceMs: number): Promise<void>;
};

/**
 * The delivery engine of one process: providers, shared rate limits, the dispatcher, customer
 * callbacks and the release of campaigns' messages.
 */
export async function startDelivery(
  database: Database,
  config: Config,
  log: Logger,
  opts: {
    now: () => Date;
    onChanges: StatusListener;
    /** Template changes found by the periodic sync (StatusHub.publishTemplateChanges). */
    onTemplateChanges?: TemplateChangeListener;
    random?: () => number;
    /** The process's providers when something else uses them too (webhooks); else built here. */
    providers?: ProviderDirectory;
    /** Guards callback and tenant provider connections; else built from config.outbound. */
    outbound?: OutboundGuard;
    /** Where provider calls and callback POSTs are counted. */
    metrics?: HeraldMetrics;
  },
): Promise<Delivery> {
  const limiter = createRateLimiter({ redis: config.redisUrl });
  if (!config.redisUrl && database.kind === 'postgres') {
    // One dispatch process (npm start's layout) is exact; several (npm run worker) need Redis.
    log.info('REDIS_URL is not set: send rate limits hold within this process, not across dispatch processes');
  }
  const workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const random = opts.random ? { random: opts.random } : {};
  const outbound = opts.outbound ?? new OutboundGuard({ allowPrivate: config.outbound.allowPrivateTargets });
  const providers = opts.providers ?? createProviderDirectory(database.db, config, opts.now, outbound);
  const callbacks =
    config.callbacks.workers > 0
      ? new CallbackDispatcher({
          db: database.db,
          config: config.callbacks,
          log,
          now: opts.now,
          workerId,
          outbound,
          secrets: providers.secrets,
          metrics: opts.metrics,
          ...random,
        })
      : undefined;
  const dispatcher = new Dispatcher({
    database,
    providers,
    limiter,
    config: config.delivery,
    log,
    now: opts.now,
    onChanges: (changes) => {
      opts.onChanges(changes);
      callbacks?.wake(); // their callbacks were queued with them
    },
    workerId,
    mediaStore: openMediaStore(config.media),
    metrics: opts.metrics,
    ...random,
  });
  const release = new CampaignRelease({
    db: database.db,
    now: opts.now,
    log,
    providerRate: async (tenantId, channel, sender) =>
      sustainedRate(
        sendRateOf(config.delivery.rateLimits, (await providers.route(tenantId, channel, 0, false)).provider, sender),
      ),
    wakeDispatcher: () => dispatcher.wake(),
    onChanges: (changes) => {
      opts.onChanges(changes);
      callbacks?.wake();
    },
  });
  const templateSyncTask = templateSync({
    db: database.db,
    secrets: providers.secrets,
    outbound,
    now: opts.now,
    onChanges: (changes) => {
      opts.onTemplateChanges?.(changes);
      callbacks?.wake();
    },
    log,
    everyMs: config.delivery.templateSyncMs,
  });
  await dispatcher.start();
  callbacks?.start();
  release.start();
  templateSyncTask.start();
  return {
    dispatcher,
    callbacks,
    stop: async (graceMs) => {
      await release.stop();
      await templateSyncTask.stop();
      await Promise.all([dispatcher.stop(graceMs), callbacks?.stop(graceMs)]);
      await limiter.close();
    },
  };
}
