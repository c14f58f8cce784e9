import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { Agent, request } from 'undici';
import type { z } from 'zod';
import type { ProvidersConfig } from '../config.js';
import type { ProviderConfigRow } from '../db/schema.js';
import { isDestinationNotAllowed, DESTINATION_NOT_ALLOWED, type OutboundGuard } from '../net/outbound.js';
import { PROVIDER_KINDS } from './kinds.js';
import { redactor, type Redactor } from './redact.js';
import type { SecretBox } from './secrets.js';
import { guardedSocket } from './smtp.js';
import { DEFAULT_API_VERSION } from './whatsapp-cloud.js';
import { answerText } from '../net/answer-text.js';

// One harmless authenticated call per provider kind, so that wrong credentials show when they
// are configured rather than at the first send: Twilio fetches the account, WhatsApp Cloud the
// phone number, SMTP connects and authenticates without sending. SMSMedia's API has no call
// that authenticates without sending or uploading something, so it is not checked. Connections
// go through the outbound guard (the base URL or host is tenant input); the answer carries the
// provider's own words, never a secret.

export type CredentialCheckResult = 'OK' | 'BAD_CREDENTIALS' | 'UNREACHABLE' | 'NOT_CHECKABLE';

export type CredentialCheck = {
  result: CredentialCheckResult;
  /** What the provider said (or why nothing was asked), secrets redacted. */
  message: string;
  checkedAt: Date;
};

export type CredentialCheckContext = {
  /** Tenant providers connect through it; absent only for the installation's own. */
  outbound: OutboundGuard | undefined;
  timeoutMs: number;
  now: () => Date;
};

/** Long enough for a distant API, short enough that configureProvider answers promptly. */
export const CREDENTIAL_CHECK_TIMEOUT_MS = 5_000;

/** The provider's own text is kept to this many characters: enough to act on, not a page. */
const MAX_MESSAGE = 300;

type Verdict = Omit<CredentialCheck, 'checkedAt'>;
type Check = (
  settings: Record<string, unknown>,
  secrets: Record<string, unknown>,
  ctx: CredentialCheckContext,
) => Promise<Verdict>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const clip = (s: string): string => (s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE - 1)}…` : s);

/** Checks a provider of `kind` with its parsed settings and secrets. Never rejects. */
export async function checkCredentials(
  kind: string,
  settings: Record<string, unknown>,
  secrets: Record<string, unknown>,
  ctx: CredentialCheckContext,
): Promise<CredentialCheck> {
  const check = Object.hasOwn(CHECKS, kind) ? CHECKS[kind] : undefined;
  // Whatever goes wrong below, no secret of this provider reaches the answer.
  const scrub = redactor(Object.values(secrets).flatMap((v) => (typeof v === 'string' ? secretForms(v) : [])));
  let verdict: Verdict;
  if (!check) verdict = { result: 'NOT_CHECKABLE', message: `no credential check for kind "${kind}"` };
  else {
    try {
      verdict = await check(settings, secrets, ctx);
    } catch (err) {
      verdict = { result: 'UNREACHABLE', message: err instanceof Error ? err.message : String(err) };
    }
  }
  return { result: verdict.result, message: clip(scrub.text(verdict.message)), checkedAt: ctx.now() };
}

/** A secret as itself and as it travels base64-encoded (HTTP Basic, SMTP AUTH). */
function secretForms(secret: string): string[] {
  return [secret, Buffer.from(secret).toString('base64')];
}

const CHECKS: Record<string, Check> = {
  sandbox: async () => ({ result: 'OK', message: 'the sandbox needs no credentials' }),

  twilio: async (settings, secrets, ctx) => {
    const sid = str(settings.accountSid) ?? '';
    const base = (str(settings.baseUrl) ?? 'https://api.twilio.com').replace(/\/+$/, '');
    const basic = Buffer.from(`${sid}:${str(secrets.authToken) ?? ''}`).toString('base64');
    const res = await get(
      `${base}/2010-04-01/Accounts/${encodeURIComponent(sid)}.json`,
      { authorization: `Basic ${basic}` },
      ctx,
    );
    if ('unreachable' in res) return { result: 'UNREACHABLE', message: res.unreachable };
    const body = parseJson(res.text) as { message?: unknown; status?: unknown; friendly_name?: unknown } | undefined;
    if (res.status === 200) {
      const name = str(body?.friendly_name) ?? sid;
      const status = str(body?.status) ?? 'unknown';
      // A suspended or closed account authenticates but cannot send.
      return status === 'active'
        ? { result: 'OK', message: `Twilio account "${name}" is active` }
        : { result: 'BAD_CREDENTIALS', message: `Twilio account "${name}" is ${status}` };
    }
    // The Basic credentials travel as one base64 string: a proxy that echoes headers would show it.
    return httpVerdict('Twilio', res.status, redactor([basic]).text(str(body?.message) ?? res.text));
  },

  'whatsapp-cloud': async (settings, secrets, ctx) => {
    const base = (str(settings.baseUrl) ?? 'https://graph.facebook.com').replace(/\/+$/, '');
    const version = str(settings.apiVersion) ?? DEFAULT_API_VERSION;
    const phone = str(settings.phoneNumberId) ?? '';
    const url = `${base}/${encodeURIComponent(version)}/${encodeURIComponent(phone)}?fields=display_phone_number,verified_name`;
    const res = await get(url, { authorization: `Bearer ${str(secrets.accessToken) ?? ''}` }, ctx);
    if ('unreachable' in res) return { result: 'UNREACHABLE', message: res.unreachable };
    const body = parseJson(res.text) as
      | { display_phone_number?: unknown; verified_name?: unknown; error?: { message?: unknown; code?: unknown } }
      | undefined;
    if (res.status === 200) {
      const number = str(body?.display_phone_number) ?? phone;
      const name = str(body?.verified_name);
      return {
        result: 'OK',
        message: `phone number ${number}${name ? ` (${name})` : ''} is reachable with this token`,
      };
    }
    const said = str(body?.error?.message);
    const code = body?.error?.code;
    return httpVerdict(
      'Meta',
      res.status,
      said ? `${said}${code !== undefined ? ` (code ${String(code)})` : ''}` : res.text,
    );
  },

  smsmedia: async () => ({
    result: 'NOT_CHECKABLE',
    message:
      "SMSMedia's API has no call that checks an API key without sending a message or uploading media: the first send tells",
  }),

  smtp: (settings, secrets, ctx) => verifySmtp(settings, secrets, ctx),
};

/** Unreachable or refused: what an HTTP status means for credentials. */
function httpVerdict(who: string, status: number, said: string): Verdict {
  const message = `${who} answered ${status}: ${said.trim() || 'no explanation'}`;
  // 401/403: the credentials; 400/404: the account or number they name (Graph answers 400 for a token it cannot parse, 404 for an unknown id).
  if (status === 400 || status === 401 || status === 403 || status === 404)
    return { result: 'BAD_CREDENTIALS', message };
  return { result: 'UNREACHABLE', message };
}

type Got = { status: number; text: string } | { unreachable: string };

/** One GET with a deadline through the guard; the connection is not kept. Never rejects. */
async function get(url: string, headers: Record<string, string>, ctx: CredentialCheckContext): Promise<Got> {
  const agent = ctx.outbound ? ctx.outbound.agent({ connections: 1 }) : new Agent({ connections: 1 });
  try {
    const res = await request(url, {
      method: 'GET',
      dispatcher: agent,
      headers: { accept: 'application/json', ...headers },
      signal: AbortSignal.timeout(ctx.timeoutMs),
    });
    // A provider page is small; a huge answer is not one worth reading whole.
    const text = await answerText(res.body, 16_384);
    return { status: res.statusCode, text };
  } catch (err) {
    return { unreachable: unreachableMessage(err, new URL(url).host, ctx.timeoutMs) };
  } finally {
    void agent.close().catch(() => {});
  }
}

function unreachableMessage(err: unknown, where: string, timeoutMs: number): string {
  if (isDestinationNotAllowed(err)) return `${where}: ${DESTINATION_NOT_ALLOWED}`;
  const e = err as (Error & { code?: string; cause?: Error & { code?: string } }) | undefined;
  const code = e?.cause?.code ?? e?.code;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError' || code === 'ETIMEDOUT')
    return `${where} did not answer within ${timeoutMs} ms`;
  return `${where} is not reachable: ${code ?? e?.cause?.message ?? e?.message ?? String(err)}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Connects, says EHLO, starts TLS when offered and authenticates; sends nothing. */
async function verifySmtp(
  settings: Record<string, unknown>,
  secrets: Record<string, unknown>,
  ctx: CredentialCheckContext,
): Promise<Verdict> {
  const host = str(settings.host) ?? '';
  const port = typeof settings.port === 'number' ? settings.port : 587;
  const user = str(settings.user);
  const password = str(secrets.password);
  const options: SMTPTransport.Options = {
    host,
    port,
    secure: typeof settings.secure === 'boolean' ? settings.secure : port === 465,
    requireTLS: settings.requireTls === true,
    connectionTimeout: ctx.timeoutMs,
    greetingTimeout: ctx.timeoutMs,
    socketTimeout: ctx.timeoutMs,
    dnsTimeout: ctx.timeoutMs,
    logger: false,
    ...(ctx.outbound && !ctx.outbound.allowPrivate ? { getSocket: guardedSocket(ctx.outbound, ctx.timeoutMs) } : {}),
    ...(user ? { auth: { user, pass: password ?? '' } } : {}),
  };
  const transporter = nodemailer.createTransport(options);
  const where = `${host}:${port}`;
  // AUTH PLAIN carries user and password together, base64-encoded.
  const scrub: Redactor = redactor(
    password ? [Buffer.from(`\u0000${user ?? ''}\u0000${password}`).toString('base64')] : [],
  );
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      transporter.verify(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })),
          ctx.timeoutMs + 500,
        );
      }),
    ]);
    return {
      result: 'OK',
      message: user ? `${where} accepted the login of ${user}` : `${where} answered (no login configured)`,
    };
  } catch (err) {
    const e = err as Error & { code?: string; response?: string; responseCode?: number };
    if (isDestinationNotAllowed(e)) return { result: 'UNREACHABLE', message: `${where}: ${DESTINATION_NOT_ALLOWED}` };
    const said = scrub.text(e.response ?? e.message);
    if (e.code === 'EAUTH') return { result: 'BAD_CREDENTIALS', message: `${where} refused the login: ${said}` };
    if (e.code === 'ETIMEDOUT' || e.code === 'ETIMEOUT')
      return { result: 'UNREACHABLE', message: `${where} did not answer within ${ctx.timeoutMs} ms` };
    return { result: 'UNREACHABLE', message: `${where} is not reachable: ${said}` };
  } finally {
    clearTimeout(timer);
    transporter.close();
  }
}

/** A provider of the installation (environment) as a credential check reads it. */
export type EnvironmentProvider = {
  name: string;
  kind: string;
  settings: Record<string, unknown>;
  /** Every secret it holds, so that none can reach a check's answer. */
  secrets: Record<string, unknown>;
};

/** The installation's own providers, named as their sends and webhooks name them. */
export function environmentProviders(config: ProvidersConfig): EnvironmentProvider[] {
  const found: EnvironmentProvider[] = [];
  if (config.twilio) {
    const { authToken, ...settings } = config.twilio;
    found.push({ name: 'twilio', kind: 'twilio', settings, secrets: { authToken } });
  }
  if (config.whatsappCloud) {
    const { accessToken, appSecret, verifyToken, ...settings } = config.whatsappCloud;
    found.push({
      name: 'whatsapp-cloud',
      kind: 'whatsapp-cloud',
      settings,
      secrets: { accessToken, appSecret, verifyToken },
    });
  }
  if (config.smtp) {
    const { password, ...settings } = config.smtp;
    found.push({ name: 'smtp', kind: 'smtp', settings, secrets: { password } });
  }
  if (config.smsmedia) {
    const { apiKey, webhookToken, ...settings } = config.smsmedia;
    found.push({ name: 'smsmedia', kind: 'smsmedia', settings, secrets: { apiKey, webhookToken } });
  }
  return found;
}

/** Checks a stored tenant provider: its settings as stored, its secrets unsealed. Never rejects. */
export async function checkConfiguredProvider(
  box: SecretBox,
  config: Pick<ProviderConfigRow, 'kind' | 'settings' | 'secretsEncrypted'>,
  ctx: CredentialCheckContext,
): Promise<CredentialCheck> {
  const kind = Object.hasOwn(PROVIDER_KINDS, config.kind) ? PROVIDER_KINDS[config.kind] : undefined;
  const settings = kind?.settings.safeParse(config.settings);
  let secrets: ReturnType<z.ZodType['safeParse']> | undefined;
  try {
    secrets = kind?.secrets.safeParse(config.secretsEncrypted ? box.open(config.secretsEncrypted) : {});
  } catch {
    secrets = undefined;
  }
  if (!kind || !settings?.success || !secrets?.success)
    return {
      result: 'NOT_CHECKABLE',
      message: 'the stored configuration cannot be read (configure the provider again)',
      checkedAt: ctx.now(),
    };
  return checkCredentials(
    config.kind,
    settings.data as Record<string, unknown>,
    secrets.data as Record<string, unknown>,
    ctx,
  );
}
