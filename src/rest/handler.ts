import type { IncomingMessage, ServerResponse } from 'node:http';
import { and, eq, inArray } from 'drizzle-orm';
import { messages, type MessageRow } from '../db/schema.js';
import { RecipientSuppressedError, ValidationError } from '../errors.js';
import { RATE_LIMITED_MESSAGE } from '../http/admission.js';
import type { KeyRateLimiter } from '../http/key-rate-limit.js';
import type { Logger } from '../log.js';
import type { Channel } from '../vocabulary.js';
import type { Services } from '../services.js';
import type { Principal } from '../tenancy/service.js';
import { sendToMany } from '../campaigns/send-to-many.js';
import { ENDPOINTS, knownNames, MAX_RECIPIENTS, parameterFor, restateMessage, type Endpoint } from './endpoints.js';
import { errorBody, invalid, quote, RestError } from './errors.js';
import { openApiDocument } from './openapi.js';
import { MEDIA_UPLOAD_PATH, uploadMediaRequest } from './media-upload.js';
import { DEFAULT_MAX_BODY_BYTES, Params, readParams } from './params.js';
import { requestHeader } from '../net/http-headers.js';

// The SMSMedia-compatible REST surface under /api/. Thin, like the GraphQL resolvers: it reads
// parameters, authenticates, and hands the same send input to the same service functions
// (messaging/send.ts), so validation, storage, callbacks and subscriptions are shared. Order:
//
//   route (404) → method (405) → parameters (413, 415, 400 malformed) → API key (401) →
//   scope "send" (403) → rate limit (429) → parameters (400 naming one) → validation of every
//   recipient's input (400, nothing stored) → idempotency check (409) → send → 200
//
// The API key is never logged: the access line has the path without the query string and the
// key's id, not the key.

export type RestDeps = {
  services: Services;
  log: Logger;
  /** The serviceid each channel answers to (HERALD_SERVICE_IDS). */
  serviceIds: Record<Channel, number>;
  /**
   * The per-key request limit; taken here only for a key that came in the body (a key in the
   * headers or query string was admitted, limit included, before the body was read).
   */
  limiter?: KeyRateLimiter | undefined;
  maxBodyBytes?: number;
};

export type RestHandler = {
  /** `admitted`: the key in the headers or query string was authenticated and rate-limited already. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL, admitted?: Principal): Promise<void>;
};

/** What a send answers: one entry per recipient, in the order given. */
export type SendResponse = {
  status: 'success';
  /** The first (for one recipient: the only) message id. */
  messageId: string;
  messageIds: string[];
  messages: Array<{ messageId: string; to: string; status: string }>;
};

/** What a send to more than MAX_RECIPIENTS answers: the campaign it became, and each recipient. */
export type CampaignSendResponse = {
  status: 'success';
  campaignId: string;
  /** The first accepted message's id (null when none was). */
  messageId: string | null;
  messageIds: string[];
  messages: Array<{
    messageId: string | null;
    to: string;
    /** The message's status, or SUPPRESSED (opted out of marketing) or INVALID (see error). */
    status: string;
    error?: { field: string; message: string };
  }>;
};

type Reply = { status: number; body: unknown; headers?: Record<string, string> };

const KEY_SHAPE = /^[\x21-\x7e]{24,200}$/;
const IDEMPOTENCY_KEY_MAX = 255;

export function createRestHandler(deps: RestDeps): RestHandler {
  const maxBody = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const { services, log } = deps;
  const limiter = deps.limiter;
  const openapi = JSON.stringify(
    openApiDocument({
      serviceIds: deps.serviceIds,
      maxBodyBytes: maxBody,
      maxMediaBytes: services.media.limits.maxBytes,
    }),
  );
  const byPath = new Map(ENDPOINTS.map((e) => [e.path, e]));

  async function route(
    req: IncomingMessage,
    url: URL,
    who: { keyId?: string },
    admitted: Principal | undefined,
  ): Promise<Reply> {
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/$/, '') : url.pathname;
    const method = req.method ?? 'GET';
    if (path === '/api/openapi.json') {
      if (method !== 'GET') throw notAllowed(method, 'GET');
      return { status: 200, body: openapi };
    }
    if (path === MEDIA_UPLOAD_PATH) {
      if (method !== 'POST') throw notAllowed(method, 'POST');
      try {
        // The key comes from the headers or the query string before any of the body is read.
        const query = new Params();
        for (const [name, value] of url.searchParams) query.add(name, value);
        const principal = await authenticate(req, query);
        who.keyId = principal.keyId;
        if (!principal.scopes.includes('send'))
          throw new RestError(403, 'FORBIDDEN', 'this API key lacks the "send" scope');
        if (limiter && principal.keyId !== admitted?.keyId) consume(limiter, principal.keyId);
        return { status: 200, body: await uploadMediaRequest(req, query, principal.tenantId, services.media) };
      } catch (err) {
        // Refused before the whole body was read (no key, too large): close rather than read the rest.
        if (err instanceof RestError && !req.complete) {
          throw new RestError(err.status, err.code, err.message, err.field, { connection: 'close', ...err.headers });
        }
        throw err;
      }
    }
    const endpoint = byPath.get(path);
    if (!endpoint) {
      throw new RestError(
        404,
        'NOT_FOUND',
        `no endpoint ${path}; see GET /api/openapi.json for the REST API (${ENDPOINTS.map((e) => e.path).join(', ')})`,
      );
    }
    if (method !== 'GET' && method !== 'POST') throw notAllowed(method, 'GET, POST');

    const params = await readParams(req, url, maxBody);
    const principal = await authenticate(req, params);
    who.keyId = principal.keyId;
    if (!principal.scopes.includes('send'))
      throw new RestError(403, 'FORBIDDEN', 'this API key lacks the "send" scope');
    if (limiter && principal.keyId !== admitted?.keyId) consume(limiter, principal.keyId);
    return send(endpoint, req, params, principal);
  }

  async function authenticate(req: IncomingMessage, params: Params): Promise<Principal> {
    const presented = new Set<string>();
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(requestHeader(req, 'authorization') ?? '')?.[1];
    if (bearer) presented.add(bearer);
    const fromHeader = requestHeader(req, 'apikey');
    if (fromHeader) presented.add(fromHeader.trim());
    const fromParam = params.optional('apikey');
    if (fromParam) presented.add(fromParam);
    if (presented.size > 1) {
      throw new RestError(
        401,
        'UNAUTHENTICATED',
        'different API keys were presented (header, Authorization and apikey parameter); send one',
        null,
        {
          'www-authenticate': 'Bearer realm="herald"',
        },
      );
    }
    const [key] = presented;
    const principal = key && KEY_SHAPE.test(key) ? await services.authenticator.authenticate(key) : null;
    if (!principal) {
      throw new RestError(
        401,
        'UNAUTHENTICATED',
        key
          ? 'invalid API key'
          : 'missing API key: send it in the "apikey" header (recommended), as "Authorization: Bearer <key>", or as the apikey parameter',
        null,
        { 'www-authenticate': 'Bearer realm="herald"' },
      );
    }
    return principal;
  }

  async function send(endpoint: Endpoint, req: IncomingMessage, params: Params, principal: Principal): Promise<Reply> {
    checkNames(endpoint, params);
    checkServiceId(endpoint, params);
    const { key: idempotencyKey, param: idempotencyParam } = idempotencyKeyOf(req, params);
    const { recipients, input } = endpoint.read(params);
    if (recipients.length > MAX_RECIPIENTS)
      return sendAsCampaign(endpoint, principal, recipients, input, idempotencyKey, idempotencyParam);
    const many = recipients.length > 1;
    if (idempotencyKey && many) {
      const longest = idempotencyKey.length + `:${recipients.length - 1}`.length;
      if (longest > IDEMPOTENCY_KEY_MAX) {
        throw invalid(
          idempotencyParam,
          `must be at most ${IDEMPOTENCY_KEY_MAX - (longest - idempotencyKey.length)} characters with ${recipients.length} recipients (":<index>" is appended per recipient)`,
        );
      }
    }
    const keys = recipients.map((_, i) =>
      idempotencyKey ? (many ? `${idempotencyKey}:${i}` : idempotencyKey) : undefined,
    );
    const inputs = recipients.map((r, i) => ({ ...input(r), idempotencyKey: keys[i] }));

    // Every recipient's input is validated before anything is stored: one bad entry refuses all.
    const now = services.now();
    const sameRequest = inputs.map((one, i) =>
      asRest(endpoint, idempotencyParam, recipients[i]!, () => endpoint.check(services.validators, one, now)),
    );

    if (idempotencyKey) {
      // Repeats that conflict are refused before storing the other recipients' messages.
      const existing = await services.db
        .select()
        .from(messages)
        .where(and(eq(messages.tenantId, principal.tenantId), inArray(messages.idempotencyKey, keys as string[])));
      const byKey = new Map(existing.map((m) => [m.idempotencyKey, m]));
      keys.forEach((k, i) => {
        const original = byKey.get(k!);
        if (original && !sameRequest[i]!(original)) throw conflict(idempotencyParam, k!, original);
      });
    }

    const rows = await Promise.all(
      inputs.map((one, i) =>
        asRestAsync(endpoint, idempotencyParam, recipients[i]!, () =>
          endpoint.send(services.send, principal.tenantId, one),
        ),
      ),
    );
    if (idempotencyKey) {
      // A concurrent request with the same key but different content may have won the race.
      rows.forEach((row, i) => {
        if (!sameRequest[i]!(row)) throw conflict(idempotencyParam, keys[i]!, row);
      });
    }
    const body: SendResponse = {
      status: 'success',
      messageId: rows[0]!.id,
      messageIds: rows.map((r) => r.id),
      messages: rows.map((r) => ({ messageId: r.id, to: r.recipient, status: r.status })),
    };
    return { status: 200, body };
  }

  /**
   * A list longer than MAX_RECIPIENTS is sent as one campaign: each recipient judged on its own
   * (invalid and suppressed ones are reported, never refusing the others); the same idempotency
   * key answers the same campaign.
   */
  async function sendAsCampaign(
    endpoint: Endpoint,
    principal: Principal,
    recipients: string[],
    input: (recipient: string) => Record<string, unknown>,
    idempotencyKey: string | undefined,
    idempotencyParam: string,
  ): Promise<Reply> {
    const { to: _, ...one } = input(recipients[0]!);
    const sent = await asRestAsync(endpoint, idempotencyParam, recipients[0]!, () =>
      sendToMany(services.campaigns, principal.tenantId, endpoint.channel, one, recipients, {
        name: `${endpoint.label} to ${recipients.length} recipients (REST)`,
        idempotencyKey: idempotencyKey && `rest:${endpoint.channel}:${idempotencyKey}`,
      }),
    );
    const accepted = sent.results.flatMap((r) => ('messageId' in r ? [r.messageId] : []));
    const body: CampaignSendResponse = {
      status: 'success',
      campaignId: sent.campaignId,
      messageId: accepted[0] ?? null,
      messageIds: accepted,
      messages: sent.results.map((r) => {
        if ('messageId' in r) return { messageId: r.messageId, to: r.to, status: r.status };
        if ('suppressed' in r) return { messageId: null, to: r.to, status: 'SUPPRESSED' };
        const parameter = parameterFor(endpoint, r.field, idempotencyParam);
        return {
          messageId: null,
          to: r.to,
          status: 'INVALID',
          error: { field: parameter, message: restateMessage(r.field, parameter, r.reason, r.to) },
        };
      }),
    };
    return { status: 200, body };
  }

  function checkServiceId(endpoint: Endpoint, params: Params): void {
    const given = params.optional('serviceid');
    if (given === undefined) return;
    const expected = deps.serviceIds[endpoint.channel];
    if (!/^\d{1,9}$/.test(given) || Number(given) !== expected) {
      throw invalid(
        'serviceid',
        `${quote(given, 12)} is not the ${endpoint.label} service; this endpoint's serviceid is ${expected}`,
      );
    }
  }

  return {
    async handle(req, res, url, admitted) {
      const started = performance.now();
      const who: { keyId?: string } = {};
      let reply: Reply;
      try {
        reply = await route(req, url, who, admitted);
      } catch (err) {
        if (err instanceof RestError) reply = { status: err.status, body: errorBody(err), headers: err.headers };
        else {
          // A fault, not the caller's: logged (path only, never the query string or the key).
          log.error({ err, method: req.method, path: url.pathname.slice(0, 200) }, 'REST request failed');
          reply = { status: 500, body: errorBody(new RestError(500, 'INTERNAL', 'internal error')) };
        }
      }
      if (res.headersSent) return void res.end();
      const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      res
        .writeHead(reply.status, {
          'content-type': 'application/json; charset=utf-8',
          'cache-control': 'no-store',
          ...reply.headers,
        })
        .end(text);
      log.info(
        {
          method: req.method,
          path: url.pathname.slice(0, 200),
          status: reply.status,
          ms: Math.round(performance.now() - started),
          keyId: who.keyId,
        },
        'REST request',
      );
    },
  };
}

function notAllowed(method: string, allow: string): RestError {
  return new RestError(405, 'METHOD_NOT_ALLOWED', `${quote(method, 20)} is not supported here; use ${allow}`, null, {
    allow,
  });
}

function consume(limiter: KeyRateLimiter, keyId: string): void {
  const decision = limiter.take(keyId);
  if (decision.allowed) return;
  const seconds = decision.retryAfterSeconds;
  throw new RestError(429, 'RATE_LIMITED', RATE_LIMITED_MESSAGE(seconds), null, { 'retry-after': String(seconds) });
}

function checkNames(endpoint: Endpoint, params: Params): void {
  const known = knownNames(endpoint);
  const unknown = params
    .names()
    .filter((n) => !known.has(n) && !(endpoint.templateParams && /^param[1-9]\d{0,5}$/.test(n)));
  if (unknown.length > 0) {
    const list = unknown
      .slice(0, 5)
      .map((n) => quote(n))
      .join(', ');
    throw new RestError(
      400,
      'INVALID_INPUT',
      `unknown parameter${unknown.length > 1 ? 's' : ''} ${list}; see GET /api/openapi.json for this endpoint's parameters`,
      unknown[0]!,
    );
  }
}

function idempotencyKeyOf(req: IncomingMessage, params: Params): { key: string | undefined; param: string } {
  const fromHeader = requestHeader(req, 'idempotency-key')?.trim() || undefined;
  const fromParam = params.optional('idempotencykey');
  if (fromHeader && fromParam && fromHeader !== fromParam) {
    throw invalid('idempotencykey', 'differs from the Idempotency-Key header; send one');
  }
  return fromHeader ? { key: fromHeader, param: 'Idempotency-Key' } : { key: fromParam, param: 'idempotencykey' };
}

function conflict(param: string, key: string, original: MessageRow): RestError {
  return new RestError(
    409,
    'IDEMPOTENCY_CONFLICT',
    `${param} ${quote(key, 80)} was already used for a different request (message ${original.id}); use a new key for a new message`,
    param,
  );
}

function toRest(endpoint: Endpoint, idempotencyParam: string, recipient: string, err: unknown): unknown {
  if (err instanceof RecipientSuppressedError) {
    const parameter = parameterFor(endpoint, err.field, idempotencyParam);
    return new RestError(422, 'RECIPIENT_SUPPRESSED', restateMessage(err.field, parameter, err.message), parameter);
  }
  if (!(err instanceof ValidationError)) return err;
  const parameter = parameterFor(endpoint, err.field, idempotencyParam);
  const quoted = parameter === endpoint.recipients ? recipient : undefined;
  return new RestError(400, 'INVALID_INPUT', restateMessage(err.field, parameter, err.message, quoted), parameter);
}

function asRest<T>(endpoint: Endpoint, idempotencyParam: string, recipient: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw toRest(endpoint, idempotencyParam, recipient, err);
  }
}

async function asRestAsync<T>(
  endpoint: Endpoint,
  idempotencyParam: string,
  recipient: string,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toRest(endpoint, idempotencyParam, recipient, err);
  }
}
