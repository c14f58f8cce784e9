import type { Readable } from 'node:stream';
import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { providerConfigs, templates, type ProviderConfigRow, type TemplateRow } from '../db/schema.js';
import { NotFoundError, UpstreamError, ValidationError } from '../errors.js';
import { isUuid, newId } from '../ids.js';
import type { OutboundGuard } from '../net/outbound.js';
import { PROVIDER_KINDS } from '../providers/kinds.js';
import type { SecretBox } from '../providers/secrets.js';
import { DEFAULT_API_VERSION } from '../providers/whatsapp-cloud.js';
import {
  createWhatsAppTemplateApi,
  type MetaTemplateReport,
  type QualityRating,
  type WhatsAppTemplateApi,
} from '../providers/whatsapp-templates.js';
import type { TemplateStatus } from '../vocabulary.js';
import { checkOptionalText } from '../validation/input.js';

// A WhatsApp template's life at Meta, for tenants whose whatsapp-cloud provider names its
// WhatsApp Business Account (settings.wabaId): submitted for review, then approved, rejected,
// paused or disabled by Meta, which says so by webhook (applied at once) and in its template
// list (read by syncTemplates and a periodic job, for anything a webhook missed). Every change
// is one row update that commits with its callbacks (webhook endpoints with templateEvents), and
// is published afterwards to templateStatusChanged subscribers.

/** Where a change came from. */
export type TemplateChangeSource = 'SUBMIT' | 'SYNC' | 'WEBHOOK';

export type TemplateChange = {
  /** Also the callback's Herald-Event-Id. */
  eventId: string;
  tenantId: string;
  templateId: string;
  name: string;
  language: string;
  status: TemplateStatus;
  previousStatus: TemplateStatus;
  rejectionReason: string | null;
  qualityRating: QualityRating | null;
  previousQualityRating: QualityRating | null;
  metaTemplateId: string | null;
  source: TemplateChangeSource;
  occurredAt: Date;
};

export type TemplateChangeListener = (changes: TemplateChange[]) => void;

export type LifecycleDeps = {
  db: Db;
  secrets: SecretBox;
  /** Tenant providers' base URLs are tenant input. */
  outbound: OutboundGuard;
  now: () => Date;
  onChanges: TemplateChangeListener;
  /** A tenant's uploaded media with its bytes (MediaService.open): header samples given by media id. */
  openMedia?: (
    tenantId: string,
    id: string,
  ) => Promise<{
    media: { kind: string; mimeType: string; sizeBytes: number; filename: string | null };
    stream: Readable;
  }>;
  /** The Graph client of an account (tests may count calls); default createWhatsAppTemplateApi. */
  api?: typeof createWhatsAppTemplateApi;
};

/** Meta's template categories. */
const CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
/** A failed review, a pause or a disabling carries Meta's reason; the others clear it. */
const WITH_REASON = new Set<TemplateStatus>(['REJECTED', 'PAUSED', 'DISABLED']);

type Account = { provider: string; wabaId: string; appId: string | undefined; api: WhatsAppTemplateApi };

/** The provider's WABA and a Graph client for it; a ValidationError naming what is missing. */
function account(deps: LifecycleDeps, config: ProviderConfigRow): Account {
  const kind = PROVIDER_KINDS['whatsapp-cloud']!;
  const settings = kind.settings.parse(config.settings) as {
    wabaId?: string;
    appId?: string;
    baseUrl?: string;
    apiVersion?: string;
  };
  if (!settings.wabaId) {
    throw new ValidationError(
      'wabaId',
      `provider "${config.name}" has no settings.wabaId: configure it with the WhatsApp Business Account id to manage templates with Meta`,
    );
  }
  const secrets = kind.secrets.parse(config.secretsEncrypted ? deps.secrets.open(config.secretsEncrypted) : {}) as {
    accessToken: string;
  };
  const api = (deps.api ?? createWhatsAppTemplateApi)({
    wabaId: settings.wabaId,
    accessToken: secrets.accessToken,
    baseUrl: settings.baseUrl,
    appId: settings.appId,
    apiVersion: settings.apiVersion ?? DEFAULT_API_VERSION,
    outbound: deps.outbound,
  });
  return { provider: config.name, wabaId: settings.wabaId, appId: settings.appId, api };
}

/** The tenant's whatsapp-cloud provider named `provider`, or its only one. */
async function chooseProvider(
  db: Db,
  tenantId: string,
  provider: string | null | undefined,
): Promise<ProviderConfigRow> {
  checkOptionalText('provider', provider);
  const configs = await db
    .select()
    .from(providerConfigs)
    .where(and(eq(providerConfigs.tenantId, tenantId), eq(providerConfigs.kind, 'whatsapp-cloud')));
  if (provider) {
    const named = configs.find((c) => c.name === provider);
    if (!named)
      throw new ValidationError('provider', `provider must name one of the tenant's whatsapp-cloud providers`);
    return named;
  }
  if (configs.length === 0) {
    throw new ValidationError(
      'provider',
      'the tenant has no whatsapp-cloud provider: configure one (with settings.wabaId) with configureProvider',
    );
  }
  const withWaba = configs.filter((c) => typeof c.settings.wabaId === 'string');
  if (withWaba.length === 1) return withWaba[0]!;
  if (configs.length === 1) return configs[0]!;
  throw new ValidationError(
    'provider',
    `the tenant has several whatsapp-cloud providers (${configs.map((c) => c.name).join(', ')}): name one`,
  );
}

export type SubmitOptions = {
  provider?: string | null | undefined;
  /** One sample per body placeholder, as Meta's review requires. */
  bodyExample?: readonly string[] | null | undefined;
  /** A media header's sample: the handle Meta's resumable upload API returned. */
  headerHandle?: string | null | undefined;
  /** Or a media id of the tenant's: Herald uploads it to Meta for the handle (needs settings.appId). */
  headerMediaId?: string | null | undefined;
};

/** Sends a registered WhatsApp template to Meta for review; records Meta's id and PENDING. */
export async function submitTemplate(
  deps: LifecycleDeps,
  tenantId: string,
  id: string,
  opts: SubmitOptions = {},
): Promise<TemplateRow> {
  const [template] = isUuid(id)
    ? await deps.db
        .select()
        .from(templates)
        .where(and(eq(templates.tenantId, tenantId), eq(templates.id, id.toLowerCase())))
    : [];
  if (!template) throw new NotFoundError('Template', id);
  if (template.channel !== 'WHATSAPP')
    throw new ValidationError('id', `only WhatsApp templates are reviewed by Meta; this one is ${template.channel}`);
  // Meta holds one template per name and language; its review goes on without a second submission.
  if (template.metaTemplateId) {
    throw new ValidationError(
      'id',
      `template ${template.name} (${template.language}) was already submitted to Meta (id ${template.metaTemplateId}, ${template.status}): Meta's webhooks and syncTemplates keep its status`,
    );
  }
  const category = (template.category ?? '').toUpperCase();
  if (!(CATEGORIES as readonly string[]).includes(category)) {
    throw new ValidationError(
      'category',
      `category must be one of ${CATEGORIES.join(', ')} to submit the template to Meta (it is ${template.category ?? 'not set'}): updateTemplate first`,
    );
  }
  const bodyExample = [...(opts.bodyExample ?? [])];
  if (bodyExample.length !== template.paramCount) {
    throw new ValidationError(
      'bodyExample',
      `bodyExample must give ${template.paramCount} sample value(s), one per placeholder of the body (Meta reviews them), got ${bodyExample.length}`,
    );
  }
  for (const [i, v] of bodyExample.entries()) {
    if (typeof v !== 'string' || v.trim() === '' || v.length > 1024)
      throw new ValidationError(`bodyExample.${i}`, `bodyExample.${i} must be 1 to 1024 characters`);
  }
  let headerHandle = checkOptionalText('headerHandle', opts.headerHandle)?.trim() || null;
  const headerMediaId = checkOptionalText('headerMediaId', opts.headerMediaId)?.trim() || null;
  const media = ['IMAGE', 'VIDEO', 'DOCUMENT'].includes(template.headerKind);
  if (media && !headerHandle && !headerMediaId) {
    throw new ValidationError(
      'headerHandle',
      `the template has ${template.headerKind === 'IMAGE' ? 'an' : 'a'} ${template.headerKind} header: give a sample, as headerMediaId (uploaded to Herald) or headerHandle (uploaded to Meta)`,
    );
  }
  if (headerHandle && headerMediaId)
    throw new ValidationError('headerMediaId', 'give headerMediaId or headerHandle, not both');
  if (!media && (headerHandle || headerMediaId)) {
    const field = headerHandle ? 'headerHandle' : 'headerMediaId';
    throw new ValidationError(field, `${field} is for media headers only`);
  }
  if (headerHandle && headerHandle.length > 2048)
    throw new ValidationError('headerHandle', 'headerHandle must be at most 2048 characters');
  // Checked before anything goes to Meta: the sample must be the tenant's and of the header's kind.
  const sample = headerMediaId ? await openSample(deps, tenantId, headerMediaId, template.headerKind) : undefined;

  let chosen: Account;
  try {
    chosen = account(deps, await chooseProvider(deps.db, tenantId, opts.provider));
  } catch (err) {
    sample?.stream.destroy();
    throw err;
  }
  const { provider, appId, api } = chosen;
  try {
    if (sample) {
      if (!appId) {
        sample.stream.destroy();
        throw new ValidationError(
          'appId',
          `provider "${provider}" has no settings.appId: configure the Meta app's id to upload header samples, or give headerHandle`,
        );
      }
      const uploaded = await api.uploadSample(sample);
      if (!uploaded.ok)
        throw new UpstreamError(
          provider,
          !uploaded.refused,
          `Meta did not take the header sample: ${uploaded.message}`,
        );
      headerHandle = uploaded.handle;
    }
    const res = await api.submit({
      name: template.name,
      language: template.language,
      category,
      body: template.body,
      bodyExample,
      headerKind: template.headerKind as 'NONE',
      headerText: template.headerText,
      headerHandle,
      buttons: template.buttons,
    });
    if (!res.ok) throw new UpstreamError(provider, !res.refused, `Meta did not accept the template: ${res.message}`);
    await applyReports(
      deps,
      tenantId,
      [{ metaTemplateId: res.metaTemplateId, name: template.name, language: template.language, status: res.status }],
      'SUBMIT',
      template.id,
    );
    return (await reread(deps.db, tenantId, template.id))!;
  } finally {
    await api.close();
  }
}

async function openSample(deps: LifecycleDeps, tenantId: string, id: string, headerKind: string) {
  if (!deps.openMedia)
    throw new ValidationError('headerMediaId', 'headerMediaId cannot be read here; give headerHandle');
  let opened: Awaited<ReturnType<NonNullable<LifecycleDeps['openMedia']>>>;
  try {
    opened = await deps.openMedia(tenantId, id);
  } catch (err) {
    if (err instanceof NotFoundError)
      throw new ValidationError('headerMediaId', `headerMediaId ${id.slice(0, 80)} is not a media of this tenant`);
    throw err;
  }
  if (opened.media.kind !== headerKind) {
    opened.stream.destroy();
    throw new ValidationError(
      'headerMediaId',
      `headerMediaId is ${opened.media.kind === 'IMAGE' ? 'an' : 'a'} ${opened.media.kind}; the template's header is ${headerKind}`,
    );
  }
  return {
    stream: opened.stream,
    sizeBytes: opened.media.sizeBytes,
    mimeType: opened.media.mimeType,
    filename: opened.media.filename ?? `sample.${opened.media.mimeType.split('/')[1] ?? 'bin'}`,
  };
}

async function reread(db: Db, tenantId: string, id: string): Promise<TemplateRow | undefined> {
  const [row] = await db
    .select()
    .from(templates)
    .where(and(eq(templates.tenantId, tenantId), eq(templates.id, id)));
  return row;
}

export type SyncResult = {
  /** Templates Meta listed that are in the registry. */
  matched: number;
  /** Templates Meta listed that the registry does not have (left alone). */
  unknown: number;
  /** Registry templates whose status, reason or quality changed. */
  changed: TemplateRow[];
};

/** Reads the WABA's templates from Meta and brings the tenant's registry in line. */
export async function syncTemplates(
  deps: LifecycleDeps,
  tenantId: string,
  opts: { provider?: string | null | undefined } = {},
): Promise<SyncResult> {
  const { provider, api } = account(deps, await chooseProvider(deps.db, tenantId, opts.provider));
  try {
    return await syncAccount(deps, tenantId, provider, api);
  } finally {
    await api.close();
  }
}

async function syncAccount(
  deps: LifecycleDeps,
  tenantId: string,
  provider: string,
  api: WhatsAppTemplateApi,
): Promise<SyncResult> {
  // A webhook applied while the list was read is newer than the list: the sync leaves it be.
  const readFrom = deps.now();
  const listed = await api.list();
  if (!listed.ok) throw new UpstreamError(provider, !listed.refused, `Meta's template list: ${listed.message}`);
  const reports = listed.templates;
  const registry = await deps.db
    .select({ id: templates.id, name: templates.name, language: templates.language, meta: templates.metaTemplateId })
    .from(templates)
    .where(and(eq(templates.tenantId, tenantId), eq(templates.channel, 'WHATSAPP')));
  const known = new Set(registry.flatMap((r) => [`${r.name}\u0000${r.language}`, r.meta ? `#${r.meta}` : '']));
  const ours = reports.filter((r) => known.has(`#${r.metaTemplateId}`) || known.has(`${r.name}\u0000${r.language}`));
  const changes = await applyReports(deps, tenantId, ours, 'SYNC', undefined, readFrom);
  const changed = await Promise.all(changes.map((c) => reread(deps.db, tenantId, c.templateId)));
  return {
    matched: ours.length,
    unknown: reports.length - ours.length,
    changed: changed.filter((r): r is TemplateRow => r !== undefined),
  };
}

/**
 * Every tenant's whatsapp-cloud providers with a wabaId, synced one after the other (the
 * periodic job). A failing account is reported to `onError` and the others still run.
 */
export async function syncAllTemplates(
  deps: LifecycleDeps,
  onError: (err: unknown, provider: { tenantId: string; name: string }) => void,
): Promise<number> {
  const configs = await deps.db
    .select()
    .from(providerConfigs)
    .where(
      and(
        eq(providerConfigs.kind, 'whatsapp-cloud'),
        eq(providerConfigs.enabled, true),
        sql`${providerConfigs.settings} ? 'wabaId'`,
      ),
    );
  let changed = 0;
  for (const config of configs) {
    try {
      const { provider, api } = account(deps, config);
      try {
        changed += (await syncAccount(deps, config.tenantId, provider, api)).changed.length;
      } finally {
        await api.close();
      }
    } catch (err) {
      onError(err, { tenantId: config.tenantId, name: config.name });
    }
  }
  return changed;
}

/**
 * Meta's template changes pushed to a provider's webhook (`/webhooks/<provider>`), applied at
 * once to the registry of the tenant that configured it. The installation's own providers
 * (environment) belong to no tenant: their template changes have no registry to update.
 */
export async function applyTemplateWebhook(
  deps: Pick<LifecycleDeps, 'db' | 'now' | 'onChanges'>,
  providerName: string,
  reports: readonly MetaTemplateReport[],
): Promise<TemplateChange[]> {
  const id = /^whatsapp-cloud\.([0-9a-f-]{36})$/.exec(providerName)?.[1];
  if (!id || reports.length === 0) return [];
  const [config] = await deps.db
    .select({ tenantId: providerConfigs.tenantId })
    .from(providerConfigs)
    .where(eq(providerConfigs.id, id));
  if (!config) return [];
  return applyReports(deps, config.tenantId, reports, 'WEBHOOK');
}

/**
 * Applies Meta's reports to the tenant's WhatsApp templates, found by Meta's id, else by name
 * and language (a template registered by hand before it was submitted, or submitted elsewhere).
 * The rows are locked, changed and their callbacks queued in one transaction; the changes are
 * published after the commit. Reports that change nothing only stamp syncedAt.
 */
async function applyReports(
  deps: Pick<LifecycleDeps, 'db' | 'now' | 'onChanges'>,
  tenantId: string,
  reports: readonly MetaTemplateReport[],
  source: TemplateChangeSource,
  /** SUBMIT: the template submitted (Meta's id is new to the registry). */
  submittedId?: string,
  /** SYNC: when the list was read; templates Meta told Herald about since are newer than it. */
  readFrom?: Date,
): Promise<TemplateChange[]> {
  if (reports.length === 0) return [];
  const now = deps.now();
  const changes = await deps.db.transaction(async (tx) => {
    const out: TemplateChange[] = [];
    for (const report of reports) {
      const row = await lockTemplate(tx, tenantId, report, submittedId);
      if (!row || (readFrom && row.syncedAt && row.syncedAt > readFrom)) continue;
      const previousStatus = row.status as TemplateStatus;
      const status = report.status ?? previousStatus;
      const rejectionReason = report.status
        ? WITH_REASON.has(status)
          ? (report.reason ?? null)
          : null
        : row.rejectionReason;
      const previousQualityRating = row.qualityRating as QualityRating | null;
      // Meta rates a template UNKNOWN until it has been sent enough: no news for a registry without a rating.
      const unrated = report.qualityRating === 'UNKNOWN' && previousQualityRating === null;
      const qualityRating = unrated ? null : (report.qualityRating ?? previousQualityRating);
      const same =
        status === previousStatus &&
        rejectionReason === row.rejectionReason &&
        qualityRating === previousQualityRating &&
        (report.impreciseId || report.metaTemplateId === row.metaTemplateId);
      // A rounded id never replaces the one Herald holds.
      const metaTemplateId = report.impreciseId ? row.metaTemplateId : report.metaTemplateId;
      await tx
        .update(templates)
        .set({
          syncedAt: now,
          ...(same ? {} : { status, rejectionReason, qualityRating, metaTemplateId, updatedAt: now }),
        })
        .where(eq(templates.id, row.id));
      if (same) continue;
      const change: TemplateChange = {
        eventId: newId(now.getTime()),
        tenantId,
        templateId: row.id,
        name: row.name,
        language: row.language,
        status,
        previousStatus,
        rejectionReason,
        qualityRating,
        previousQualityRating,
        metaTemplateId,
        source,
        occurredAt: now,
      };
      await queueTemplateCallbacks(tx, change);
      out.push(change);
    }
    return out;
  });
  if (changes.length > 0) deps.onChanges(changes);
  return changes;
}

async function lockTemplate(
  tx: Tx,
  tenantId: string,
  report: MetaTemplateReport,
  submittedId: string | undefined,
): Promise<TemplateRow | undefined> {
  const scope = and(eq(templates.tenantId, tenantId), eq(templates.channel, 'WHATSAPP'));
  if (submittedId) {
    const [row] = await tx
      .select()
      .from(templates)
      .where(and(scope, eq(templates.id, submittedId)))
      .for('update');
    return row;
  }
  const [byId] = await tx
    .select()
    .from(templates)
    .where(and(scope, eq(templates.metaTemplateId, report.metaTemplateId)))
    .limit(1)
    .for('update');
  if (byId) return byId;
  const [byName] = await tx
    .select()
    .from(templates)
    .where(and(scope, eq(templates.name, report.name), eq(templates.language, report.language)))
    .for('update');
  // Another Meta template of the same name and language is not this one (unless the id was rounded).
  const same = byName?.metaTemplateId === null || byName?.metaTemplateId === report.metaTemplateId;
  return byName && (same || report.impreciseId) ? byName : undefined;
}

/** The body of a template callback (callbacks/payload.ts sends it in this key order). */
export function templateCallbackPayload(c: TemplateChange): Record<string, unknown> {
  return {
    type: 'template.status',
    eventId: c.eventId,
    templateId: c.templateId,
    name: c.name,
    language: c.language,
    status: c.status,
    previousStatus: c.previousStatus,
    rejectionReason: c.rejectionReason,
    qualityRating: c.qualityRating,
    previousQualityRating: c.previousQualityRating,
    metaTemplateId: c.metaTemplateId,
    source: c.source,
    occurredAt: c.occurredAt.toISOString(),
  };
}

/** One delivery per enabled endpoint of the tenant that asked for template events. */
async function queueTemplateCallbacks(tx: Tx, c: TemplateChange): Promise<void> {
  const at = c.occurredAt.toISOString();
  await tx.execute(sql`
    insert into callback_deliveries (tenant_id, endpoint_id, url, message_id, event_id, payload, next_attempt_at, created_at)
    select e.tenant_id, e.id, e.url, null, ${c.eventId}::uuid, ${JSON.stringify(templateCallbackPayload(c))}::jsonb,
      ${at}::timestamptz, ${at}::timestamptz
    from webhook_endpoints e
    where e.tenant_id = ${c.tenantId}::uuid and e.enabled and e.template_events`);
}
