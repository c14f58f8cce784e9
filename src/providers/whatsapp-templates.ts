import type { Readable } from 'node:stream';
import { Agent, request } from 'undici';
import { z } from 'zod';
import { DESTINATION_NOT_ALLOWED, isDestinationNotAllowed, type OutboundGuard } from '../net/outbound.js';
import { redactor } from './redact.js';
import type { TemplateStatus } from '../vocabulary.js';
import { answerText } from '../net/answer-text.js';

// Meta's template management API for one WhatsApp Business Account (WABA): submit a template
// for review (`POST /{waba-id}/message_templates`), read every template with its review status
// and quality (`GET /{waba-id}/message_templates`, paged), and the two webhook fields that report
// changes (`message_template_status_update`, `message_template_quality_update`). Wire formats
// only: the registry is brought in line by templates/lifecycle.ts.

/**
 * Meta's template statuses (GET) and status-update events (webhook) as Herald's. Meta has more
 * states than a sender needs: whatever cannot be sent and will not come back by itself
 * (deleted, archived, over the limit) is DISABLED; an appeal is a review again (PENDING);
 * REINSTATED and UNARCHIVED mean it can be sent again. FLAGGED is a quality warning, not a
 * status (the template still sends): undefined, like anything unknown.
 */
const META_STATUSES: Record<string, TemplateStatus> = {
  APPROVED: 'APPROVED',
  REINSTATED: 'APPROVED',
  UNARCHIVED: 'APPROVED',
  PENDING: 'PENDING',
  IN_APPEAL: 'PENDING',
  PENDING_INTERNAL: 'PENDING',
  REJECTED: 'REJECTED',
  PAUSED: 'PAUSED',
  DISABLED: 'DISABLED',
  PENDING_DELETION: 'DISABLED',
  DELETED: 'DISABLED',
  ARCHIVED: 'DISABLED',
  LIMIT_EXCEEDED: 'DISABLED',
};

export function mapMetaTemplateStatus(status: string): TemplateStatus | undefined {
  return META_STATUSES[status.toUpperCase()];
}

/** Meta's quality ratings; anything else reads UNKNOWN. */
export const QUALITY_RATINGS = ['GREEN', 'YELLOW', 'RED', 'UNKNOWN'] as const;
export type QualityRating = (typeof QUALITY_RATINGS)[number];
const quality = (score: string | undefined): QualityRating | undefined => {
  if (score === undefined) return undefined;
  const s = score.toUpperCase();
  return (QUALITY_RATINGS as readonly string[]).includes(s) ? (s as QualityRating) : 'UNKNOWN';
};

/** Meta says "NONE" when a status change has no reason. */
const reasonOf = (reason: string | null | undefined): string | null =>
  reason && reason.toUpperCase() !== 'NONE' ? reason.slice(0, 1000) : null;

/** A template as Meta reports it (GET) or a change Meta pushed (webhook). */
export type MetaTemplateReport = {
  metaTemplateId: string;
  name: string;
  language: string;
  /** Absent: the report says nothing about the status (a quality update, a FLAGGED event). */
  status?: TemplateStatus;
  /** Meta's reason for a rejection, pause or disabling; null when it gave none. */
  reason?: string | null;
  qualityRating?: QualityRating;
  /**
   * The webhook gave Meta's id as a JSON number beyond 2^53, which JSON.parse rounds: the id is
   * not to be trusted, the template is found by name and language.
   */
  impreciseId?: true;
};

/** What Herald submits: a registered WhatsApp template in Meta's component shape. */
export type TemplateSubmission = {
  name: string;
  language: string;
  /** MARKETING, UTILITY or AUTHENTICATION. */
  category: string;
  body: string;
  /** Meta requires a sample value per body placeholder. */
  bodyExample: readonly string[];
  headerKind: 'NONE' | 'TEXT' | 'IMAGE' | 'VIDEO' | 'DOCUMENT';
  headerText: string | null;
  /** A media header's sample: a handle from Meta's resumable upload API ("4::aW..."). */
  headerHandle: string | null;
  buttons: readonly unknown[];
};

export type TemplateApiFailure = {
  ok: false;
  /** Meta refused the request itself (4xx): retrying as is will not help. */
  refused: boolean;
  message: string;
};

/** A media header's sample, streamed to Meta's resumable upload API for a handle. */
export type HeaderSample = { stream: Readable; sizeBytes: number; mimeType: string; filename: string };

export type WhatsAppTemplateApi = {
  /** Uploads a header sample (needs the app id) and answers the handle a submission gives as example. */
  uploadSample(sample: HeaderSample): Promise<{ ok: true; handle: string } | TemplateApiFailure>;
  submit(
    t: TemplateSubmission,
  ): Promise<{ ok: true; metaTemplateId: string; status: TemplateStatus } | TemplateApiFailure>;
  /** Every template of the WABA, following Meta's paging to the end. */
  list(): Promise<{ ok: true; templates: MetaTemplateReport[] } | TemplateApiFailure>;
  close(): Promise<void>;
};

export type TemplateApiConfig = {
  wabaId: string;
  accessToken: string;
  baseUrl?: string | undefined;
  /** The Meta app's id: resumable uploads (header samples) are made to it. */
  appId?: string | undefined;
  /** The Graph API version (the provider's, DEFAULT_API_VERSION of whatsapp-cloud.ts unless configured). */
  apiVersion: string;
  outbound?: OutboundGuard;
  timeoutMs?: number;
};

/** Templates per page asked of Meta, and pages read at most (a WABA holds up to 6,000 templates). */
const PAGE_SIZE = 100;
const MAX_PAGES = 100;

const ListPage = z.looseObject({
  data: z.array(
    z.looseObject({
      id: z.union([z.string(), z.number()]).transform(String),
      name: z.string(),
      language: z.string(),
      status: z.string(),
      rejected_reason: z.string().nullish(),
      quality_score: z.looseObject({ score: z.string().optional() }).nullish(),
    }),
  ),
  paging: z
    .looseObject({ cursors: z.looseObject({ after: z.string().optional() }).optional(), next: z.string().optional() })
    .optional(),
});

/** Meta's components for a submission (names and formats upper case, as its reference writes them). */
export function templateComponents(t: TemplateSubmission): Record<string, unknown>[] {
  const components: Record<string, unknown>[] = [];
  if (t.headerKind === 'TEXT') components.push({ type: 'HEADER', format: 'TEXT', text: t.headerText });
  else if (t.headerKind !== 'NONE')
    components.push({ type: 'HEADER', format: t.headerKind, example: { header_handle: [t.headerHandle] } });
  components.push({
    type: 'BODY',
    text: t.body,
    ...(t.bodyExample.length > 0 ? { example: { body_text: [[...t.bodyExample]] } } : {}),
  });
  if (t.buttons.length > 0) components.push({ type: 'BUTTONS', buttons: t.buttons });
  return components;
}

export function createWhatsAppTemplateApi(cfg: TemplateApiConfig): WhatsAppTemplateApi {
  const base = (cfg.baseUrl ?? 'https://graph.facebook.com').replace(/\/+$/, '');
  const versionUrl = `${base}/${encodeURIComponent(cfg.apiVersion)}`;
  const url = `${versionUrl}/${encodeURIComponent(cfg.wabaId)}/message_templates`;
  const agentOptions = { connections: 4, keepAliveTimeout: 10_000 };
  const agent = cfg.outbound ? cfg.outbound.agent(agentOptions) : new Agent(agentOptions);
  const scrub = redactor([cfg.accessToken]).text;
  const timeoutMs = cfg.timeoutMs ?? 20_000;

  async function call(
    method: 'GET' | 'POST',
    target: string,
    body?: unknown,
    /** A resumable upload's bytes: sent as they are, with these headers. */
    upload?: { stream: Readable; headers: Record<string, string> },
  ) {
    try {
      const res = await request(target, {
        method,
        dispatcher: agent,
        signal: AbortSignal.timeout(timeoutMs),
        headers: upload
          ? upload.headers
          : {
              authorization: `Bearer ${cfg.accessToken}`,
              accept: 'application/json',
              ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
            },
        ...(upload ? { body: upload.stream } : body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await answerText(res.body);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      if (res.statusCode >= 200 && res.statusCode < 300 && json !== undefined) return { ok: true as const, json };
      const error = (json as { error?: { message?: unknown; code?: unknown; error_user_msg?: unknown } } | undefined)
        ?.error;
      const said = [error?.error_user_msg, error?.message].find((m) => typeof m === 'string' && m) as
        | string
        | undefined;
      const code = typeof error?.code === 'number' ? ` (error ${error.code})` : '';
      return {
        ok: false as const,
        refused: res.statusCode >= 400 && res.statusCode < 500 && res.statusCode !== 429,
        message: scrub(`Meta answered HTTP ${res.statusCode}${code}${said ? `: ${said}` : ''}`).slice(0, 1000),
      };
    } catch (err) {
      if (isDestinationNotAllowed(err)) return { ok: false as const, refused: true, message: DESTINATION_NOT_ALLOWED };
      const e = err as { name?: string; message?: string };
      const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.message ?? String(err));
      return { ok: false as const, refused: false, message: scrub(`Meta could not be reached: ${why}`) };
    }
  }

  return {
    async uploadSample(sample) {
      if (!cfg.appId) return { ok: false, refused: true, message: 'the provider has no settings.appId' };
      // Meta's resumable upload: open a session on the app, then send the bytes from offset 0.
      const query = new URLSearchParams({
        file_name: sample.filename,
        file_length: String(sample.sizeBytes),
        file_type: sample.mimeType,
      });
      const session = await call('POST', `${versionUrl}/${encodeURIComponent(cfg.appId)}/uploads?${query}`);
      if (!session.ok) return session;
      const id = (session.json as { id?: unknown }).id;
      if (typeof id !== 'string' || !/^upload:[\w:=+/.-]{1,512}$/.test(id))
        return { ok: false, refused: false, message: 'Meta opened an upload session without a usable id' };
      const sent = await call('POST', `${versionUrl}/${id}`, undefined, {
        stream: sample.stream,
        headers: {
          authorization: `OAuth ${cfg.accessToken}`,
          file_offset: '0',
          'content-length': String(sample.sizeBytes),
          'content-type': sample.mimeType,
          accept: 'application/json',
        },
      });
      if (!sent.ok) return sent;
      const handle = (sent.json as { h?: unknown }).h;
      if (typeof handle !== 'string' || !handle)
        return { ok: false, refused: false, message: 'Meta took the sample without giving its handle' };
      return { ok: true, handle };
    },

    async submit(t) {
      const res = await call('POST', url, {
        name: t.name,
        language: t.language,
        category: t.category,
        components: templateComponents(t),
      });
      if (!res.ok) return res;
      const body = res.json as { id?: unknown; status?: unknown };
      const id = typeof body.id === 'string' || typeof body.id === 'number' ? String(body.id) : undefined;
      if (!id) return { ok: false, refused: false, message: 'Meta accepted the template without giving its id' };
      const status = (typeof body.status === 'string' && mapMetaTemplateStatus(body.status)) || 'PENDING';
      return { ok: true, metaTemplateId: id, status };
    },

    async list() {
      const templates: MetaTemplateReport[] = [];
      const fields = 'id,name,language,status,rejected_reason,quality_score';
      let after: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const query = new URLSearchParams({ fields, limit: String(PAGE_SIZE), ...(after ? { after } : {}) });
        const res = await call('GET', `${url}?${query}`);
        if (!res.ok) return res;
        const parsed = ListPage.safeParse(res.json);
        if (!parsed.success)
          return { ok: false, refused: false, message: 'Meta answered a template list Herald cannot read' };
        for (const t of parsed.data.data) {
          const status = mapMetaTemplateStatus(t.status);
          templates.push({
            metaTemplateId: t.id,
            name: t.name,
            language: t.language,
            ...(status ? { status } : {}),
            reason: reasonOf(t.rejected_reason),
            ...(t.quality_score?.score ? { qualityRating: quality(t.quality_score.score)! } : {}),
          });
        }
        after = parsed.data.paging?.next ? parsed.data.paging.cursors?.after : undefined;
        if (!after) break;
      }
      return { ok: true, templates };
    },

    close: () => agent.close().catch(() => {}),
  };
}

/** Meta's template id, a JSON number in webhooks. */
const TemplateId = z.union([
  z.string().regex(/^\d{1,32}$/),
  z.number().nonnegative().refine(Number.isInteger, 'a whole number'),
]);
const precision = (id: string | number) =>
  typeof id === 'number' && !Number.isSafeInteger(id)
    ? { metaTemplateId: BigInt(id).toString(), impreciseId: true as const }
    : { metaTemplateId: String(id) };

const StatusUpdate = z.looseObject({
  event: z.string().max(64),
  message_template_id: TemplateId,
  message_template_name: z.string().max(512),
  message_template_language: z.string().max(16),
  reason: z.string().max(2000).nullish(),
});

const QualityUpdate = z.looseObject({
  message_template_id: TemplateId,
  message_template_name: z.string().max(512),
  message_template_language: z.string().max(16),
  new_quality_score: z.string().max(32),
});

export const TEMPLATE_WEBHOOK_FIELDS = new Set(['message_template_status_update', 'message_template_quality_update']);

/** One template webhook change (`field`, `value`) as a report; a string says why it is not readable. */
export function parseTemplateChange(field: string, value: unknown): MetaTemplateReport | string {
  if (field === 'message_template_status_update') {
    const v = StatusUpdate.safeParse(value);
    if (!v.success) return v.error.issues[0]!.path.join('.') || 'value';
    const status = mapMetaTemplateStatus(v.data.event);
    return {
      ...precision(v.data.message_template_id),
      name: v.data.message_template_name,
      language: v.data.message_template_language,
      ...(status ? { status, reason: reasonOf(v.data.reason) } : {}),
    };
  }
  const v = QualityUpdate.safeParse(value);
  if (!v.success) return v.error.issues[0]!.path.join('.') || 'value';
  return {
    ...precision(v.data.message_template_id),
    name: v.data.message_template_name,
    language: v.data.message_template_language,
    qualityRating: quality(v.data.new_quality_score)!,
  };
}
