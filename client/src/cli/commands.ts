import type { HeraldApi } from './api.js';
import type { ApiKeyScope, CliMessageFragment, SendEmailInput, SendSmsInput, SendWhatsAppInput } from './graphql.js';

// `herald keys|tenants|send|status`: one call each to a running Herald. With `--json` the result
// is printed as JSON for scripts; otherwise as a table or a line for people.

export type Out = { log: (line: string) => void; json: boolean };

/** Exit codes scripts can rely on (main.ts also exits 1 when a command is refused or fails to run). */
export const EXIT = { ok: 0, failed: 1, timedOut: 3, messageFailed: 4 } as const;

const FAILED = new Set(['FAILED', 'UNDELIVERED', 'EXPIRED', 'CANCELED']);
// How far a message has got; a follower waiting for one status stops at any later one too.
const PROGRESS = ['SCHEDULED', 'QUEUED', 'SENDING', 'SENT', 'DELIVERED', 'READ'];

/** Rows as aligned columns, headed by their keys. */
export function table(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return '(none)';
  const columns = Object.keys(rows[0]!);
  const cells = rows.map((r) => columns.map((c) => cell(r[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(columns), ...cells.map(line)].join('\n');
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

function print(out: Out, value: unknown, text: () => string): void {
  out.log(out.json ? JSON.stringify(value, null, 2) : text());
}

/**
 * What works and what does not: Herald reachable, the key accepted, then Herald's own checks
 * (database, migrations, Redis, public URL, routes, each provider's credentials). Exit 1 when
 * anything failed.
 */
export async function doctor(api: HeraldApi, url: string, out: Out): Promise<number> {
  const checks: { name: string; status: string; detail: string }[] = [];
  const health = await api.health().catch((err: Error) => ({ status: 0, body: String(err.cause ?? err.message) }));
  checks.push(
    health.status === 200
      ? { name: 'herald', status: 'OK', detail: `${url} answers` }
      : { name: 'herald', status: 'FAIL', detail: `${url}/healthz: ${health.status || health.body}` },
  );
  if (health.status === 200) {
    try {
      checks.push(...(await api.diagnostics()));
    } catch (err) {
      const detail = err instanceof Error ? err.message.split('\n')[0]! : String(err);
      checks.push({ name: 'api key', status: 'FAIL', detail: `refused (an ADMIN key is needed): ${detail}` });
    }
  }
  print(out, checks, () => table(checks));
  return checks.some((c) => c.status === 'FAIL') ? EXIT.failed : EXIT.ok;
}

export async function keysList(api: HeraldApi, out: Out): Promise<number> {
  const keys = await api.apiKeys();
  print(out, keys, () =>
    table(keys.map((k) => ({ id: k.id, name: k.name, prefix: k.prefix, scopes: k.scopes, revoked: k.revokedAt }))),
  );
  return EXIT.ok;
}

export async function keysCreate(api: HeraldApi, name: string, scopes: ApiKeyScope[], out: Out): Promise<number> {
  const issued = await api.createApiKey({ name, scopes });
  print(out, issued, () => `${issued.key}\n(key ${issued.apiKey.id}, shown only now: store it safely)`);
  return EXIT.ok;
}

export async function keysRevoke(api: HeraldApi, id: string, out: Out): Promise<number> {
  const key = await api.revokeApiKey(id);
  print(out, key, () => `revoked ${key.name} (${key.id}) at ${key.revokedAt}`);
  return EXIT.ok;
}

export async function tenantsList(api: HeraldApi, out: Out): Promise<number> {
  const tenants = await api.tenants();
  print(out, tenants, () =>
    table(tenants.map((t) => ({ id: t.id, name: t.name, operator: t.isOperator, created: t.createdAt }))),
  );
  return EXIT.ok;
}

export async function tenantsCreate(api: HeraldApi, name: string, out: Out): Promise<number> {
  const issued = await api.createTenant(name);
  print(
    out,
    issued,
    () =>
      `tenant ${issued.tenant.name} (${issued.tenant.id})\nadmin key: ${issued.key}\n(shown only now: store it safely)`,
  );
  return EXIT.ok;
}

export type SendInput =
  | { channel: 'sms'; input: SendSmsInput }
  | { channel: 'whatsapp'; input: SendWhatsAppInput }
  | { channel: 'email'; input: SendEmailInput };

export async function send(api: HeraldApi, what: SendInput, follow: FollowOptions | null, out: Out): Promise<number> {
  const message =
    what.channel === 'sms'
      ? await api.sendSms(what.input)
      : what.channel === 'whatsapp'
        ? await api.sendWhatsApp(what.input)
        : await api.sendEmail(what.input);
  if (follow) {
    if (!out.json) out.log(`message ${message.id}`);
    return followStatus(api, message.id, follow, out);
  }
  print(out, message, () => messageLine(message));
  return EXIT.ok;
}

export type FollowOptions = { until?: string; timeoutSeconds?: number };

export async function status(api: HeraldApi, id: string, follow: FollowOptions | null, out: Out): Promise<number> {
  if (follow) return followStatus(api, id, follow, out);
  const message = await api.message(id);
  print(out, message, () => messageLine(message));
  return EXIT.ok;
}

function messageLine(m: CliMessageFragment): string {
  const error = m.lastError ? ` (${m.lastError.code}${m.lastError.message ? `: ${m.lastError.message}` : ''})` : '';
  return `${m.id}  ${m.channel}  ${m.to}  ${m.status}${error}  ${m.statusAt}`;
}

/**
 * Prints the message's changes as they happen (its history first) until it reaches `until` or a
 * later status, or a final one; exit 0 when it got there, 4 when it failed, 3 on timeout.
 */
async function followStatus(api: HeraldApi, id: string, opts: FollowOptions, out: Out): Promise<number> {
  const until = opts.until?.toUpperCase();
  if (until !== undefined && !PROGRESS.includes(until))
    throw new Error(`--until must be one of ${PROGRESS.join(', ')}`);
  const reached = (s: string) => FAILED.has(s) || s === 'READ' || (until !== undefined && rank(s) >= rank(until));
  const stop = new AbortController();
  const timer =
    opts.timeoutSeconds === undefined ? undefined : setTimeout(() => stop.abort(), opts.timeoutSeconds * 1000);
  let last: string | undefined;
  try {
    for await (const e of api.messageStatus(id, stop.signal)) {
      last = e.status;
      print(out, { id, ...e }, () => `${e.occurredAt}  ${e.status}${e.errorCode ? ` (${e.errorCode})` : ''}`);
      if (reached(e.status)) break;
    }
  } catch (err) {
    if (!stop.signal.aborted) throw err;
  } finally {
    clearTimeout(timer);
  }
  if (stop.signal.aborted) {
    if (!out.json) out.log(`still ${last ?? 'unknown'} after ${opts.timeoutSeconds} s`);
    return EXIT.timedOut;
  }
  return last !== undefined && FAILED.has(last) ? EXIT.messageFailed : EXIT.ok;
}

const rank = (s: string) => PROGRESS.indexOf(s);
