import type { Config } from './config.js';
import type { Db } from './db/client.js';
import { MessageWriter } from './messaging/message-writer.js';
import type { SendDeps } from './messaging/send.js';
import { createValidators, type Validators } from './messaging/validate.js';
import type { StatusHub } from './pubsub/status-hub.js';
import { Authenticator } from './tenancy/authenticator.js';

/** What the APIs (GraphQL, REST) need from the domain; built once per process. */
export type Services = {
  db: Db;
  send: SendDeps;
  validators: Validators;
  authenticator: Authenticator;
  now: () => Date;
  /** See delivery/health.ts. */
  stuckSentAfterMs: number;
  /** Status changes, published after commit; subscriptions attach here. */
  statusHub: StatusHub;
};

export function createServices(
  db: Db,
  config: Pick<Config, 'defaultCountry' | 'delivery'>,
  opts: { pglite: boolean; onError: (err: unknown) => void; now: () => Date; statusHub: StatusHub },
): Services {
  const now = opts.now;
  const validators = createValidators(config.defaultCountry);
  // PGlite is a single connection: one batch at a time; PostgreSQL gets a few in parallel.
  const writer = new MessageWriter(db, {
    maxBatch: 500,
    maxConcurrentBatches: opts.pglite ? 1 : 4,
    onAccepted: opts.statusHub.publish,
  });
  return {
    db,
    send: { writer, validators, now },
    validators,
    authenticator: new Authenticator(db, { ttlMs: 5_000, onError: opts.onError }),
    now,
    statusHub: opts.statusHub,
    stuckSentAfterMs: config.delivery.stuckSentAfterMs,
  };
}
