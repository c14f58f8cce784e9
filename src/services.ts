import type { StatusListener } from './messaging/status-updates.js';
import type { CampaignDeps } from './campaigns/deps.js';
import type { Config } from './config.js';
import type { Db } from './db/client.js';
import type { DiagnosticsDeps } from './diagnostics/checks.js';
import type { OutboundGuard } from './net/outbound.js';
import { MediaService } from './media/service.js';
import { openMediaStore } from './media/open-store.js';
import { MessageWriter } from './messaging/message-writer.js';
import { findByIdempotencyKey } from './messaging/queries.js';
import type { SendDeps } from './messaging/send.js';
import { suppressedAmong } from './messaging/suppressions.js';
import { createValidators, type Validators } from './messaging/validate.js';
import { createTemplateChecks } from './templates/send-checks.js';
import type { ProviderDirectory } from './providers/directory.js';
import type { StatusHub } from './pubsub/status-hub.js';
import { Authenticator } from './tenancy/authenticator.js';
import { KeyWatch } from './tenancy/key-watch.js';

/** What the APIs (GraphQL, REST) need from the domain; built once per process. */
export type Services = {
  db: Db;
  send: SendDeps;
  /** Campaigns: their content and recipients are checked as single sends are. */
  campaigns: CampaignDeps;
  validators: Validators;
  authenticator: Authenticator;
  /** Open sessions per API key, ended when the key is revoked (tenancy/key-watch.ts). */
  keyWatch: KeyWatch;
  now: () => Date;
  /** Uploaded media: intake, storage, lookups (media/service.ts). */
  media: MediaService;
  /** Providers of the installation and of its tenants. */
  providers: ProviderDirectory;
  /** See delivery/health.ts. */
  stuckSentAfterMs: number;
  /** Status changes, published after commit; subscriptions attach here. */
  statusHub: StatusHub;
  /** Checks tenant-supplied URLs (webhook endpoints, provider base URLs) when they are registered. */
  outbound: OutboundGuard;
  /** What `herald doctor` asks about (diagnostics/checks.ts). */
  diagnostics: DiagnosticsDeps;
};

export function createServices(
  db: Db,
  config: Pick<Config, 'defaultCountry' | 'delivery' | 'media' | 'subscriptions'>,
  opts: {
    pglite: boolean;
    onError: (err: unknown) => void;
    now: () => Date;
    statusHub: StatusHub;
    /** Told about accepted messages (the status hub's publish, counted by the metrics). */
    onAccepted: StatusListener;
    providers: ProviderDirectory;
    outbound: OutboundGuard;
    diagnostics: DiagnosticsDeps;
  },
): Services {
  const now = opts.now;
  const validators = createValidators(config.defaultCountry, opts.outbound);
  // PGlite is a single connection: one batch at a time; PostgreSQL gets a few in parallel.
  const writer = new MessageWriter(db, {
    maxBatch: 500,
    maxConcurrentBatches: opts.pglite ? 1 : 4,
    onAccepted: opts.onAccepted,
  });
  const media = new MediaService({
    db,
    store: openMediaStore(config.media),
    limits: { maxBytes: config.media.maxBytes, emailAttachmentMaxBytes: config.media.emailAttachmentMaxBytes },
    outbound: opts.outbound,
    fetchTimeoutMs: config.media.fetchTimeoutMs,
    now,
  });
  const authenticator = new Authenticator(db, { ttlMs: 5_000, onError: opts.onError });
  const keyWatch = new KeyWatch(db, {
    recheckMs: config.subscriptions.keyRecheckMs,
    forget: (keyId) => authenticator.forgetKey(keyId),
    broadcast: opts.statusHub.publishKeyRevoked,
    onError: opts.onError,
  });
  opts.statusHub.onKeyRevoked((keyId) => keyWatch.heard(keyId));
  const send: SendDeps = {
    writer,
    validators,
    now,
    media: (tenantId, id) => media.lookup(tenantId, id),
    emailAttachmentMaxBytes: config.media.emailAttachmentMaxBytes,
    templates: createTemplateChecks(db),
    optOuts: {
      suppressedAmong: (tenantId, channel, recipients) => suppressedAmong(db, tenantId, channel, recipients),
      original: (tenantId, key) => findByIdempotencyKey(db, tenantId, key),
    },
  };
  return {
    db,
    send,
    campaigns: { ...send, db, openMedia: (tenantId, id) => media.open(tenantId, id) },
    validators,
    authenticator,
    keyWatch,
    now,
    media,
    statusHub: opts.statusHub,
    providers: opts.providers,
    stuckSentAfterMs: config.delivery.stuckSentAfterMs,
    outbound: opts.outbound,
    diagnostics: opts.diagnostics,
  };
}
