import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { connect as netConnect, isIP, type LookupFunction, type Socket } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { ValidationError } from '../errors.js';
import { checkText } from '../validation/input.js';
import { nonPublicReason } from './addresses.js';

// The one guard for every URL a tenant chooses and Herald connects to: webhook endpoints, a
// message's callbackUrl, a tenant provider's base URL or SMTP host, media URLs. It is applied
// twice: when the URL is registered (a typed error naming the field, nothing stored) and when
// Herald connects (the address checked is the address connected to, so a name that resolves
// elsewhere later, DNS rebinding included, still cannot reach anything private). The
// installation's own settings (environment) are trusted and never pass through here.
// HERALD_ALLOW_PRIVATE_TARGETS=true turns it off, for on-premise installations whose receivers
// live on the private network.

/** Every address a host name resolves to (injectable: tests resolve names of their own). */
export type ResolveAll = (hostname: string) => Promise<LookupAddress[]>;

export type OutboundGuardOptions = {
  allowPrivate: boolean;
  resolve?: ResolveAll | undefined;
  /** Why an address is refused (default: nonPublicReason). */
  reasonFor?: ((address: string) => string | undefined) | undefined;
};

/** What a tenant reads about a connection the guard refused: the same whatever lies behind it. */
export const DESTINATION_NOT_ALLOWED = 'destination not allowed';

/** The setting that allows private targets, named in refusals. */
export const ALLOW_PRIVATE_SETTING = 'HERALD_ALLOW_PRIVATE_TARGETS';

/** A connection refused at connect time because of where it would go. */
export class DestinationNotAllowedError extends Error {
  readonly code = 'HERALD_DESTINATION_NOT_ALLOWED';
  constructor(
    /** What the guard saw (the address, the reason): for Herald's own debugging, never shown to the tenant. */
    readonly detail: string,
  ) {
    super(DESTINATION_NOT_ALLOWED);
    this.name = 'DestinationNotAllowedError';
  }
}

/** True when `err` (or one of its causes) is a guarded refusal. */
export function isDestinationNotAllowed(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof DestinationNotAllowedError) return true;
  }
  return false;
}

const REGISTRATION_LOOKUP_MS = 3_000;
const MAX_URL_LENGTH = 2048;
const PUBLIC_ONLY = `Herald connects only to public addresses (${ALLOW_PRIVATE_SETTING}=true allows private ones)`;

/** The refusal of a tenant-supplied destination, naming the field it came in. */
export const destinationRefused = (field: string, why: string): ValidationError =>
  new ValidationError(field, `${field} is ${why}; ${PUBLIC_ONLY}`);

/** A tenant-supplied http(s) URL, parsed, or a ValidationError naming `field` (guard aside). */
export function parseOutboundUrl(raw: string, field: string): URL {
  // NUL or a lone surrogate: refused as such, not parsed into something else.
  const value = checkText(field, raw).trim();
  if (value.length > MAX_URL_LENGTH)
    throw new ValidationError(field, `${field} must be at most ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ValidationError(field, `${field} must be an absolute http(s) URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ValidationError(field, `${field} must be an http or https URL`);
  return url;
}

/**
 * The registration check of a tenant-supplied http(s) URL: well-formed, and a destination the
 * guard allows now (address literals in any spelling, reserved names, what the name resolves to).
 */
export async function checkOutboundUrl(guard: OutboundGuard, raw: string, field: string): Promise<URL> {
  const url = parseOutboundUrl(raw, field);
  const why = await guard.refusal(url.hostname);
  if (why) throw destinationRefused(field, why);
  return url;
}

/** The same for a bare host name or address (an SMTP server). */
export async function checkOutboundHost(guard: OutboundGuard, host: string, field: string): Promise<void> {
  const why = await guard.refusal(host);
  if (why) throw destinationRefused(field, why);
}

export const defaultResolve: ResolveAll = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  );

/**
 * A host as the connection will see it: IPv4 in any spelling (127.1, 2130706433, 0x7f000001,
 * 0177.0.0.1) becomes dotted decimal, IPv6 loses its brackets, names are lower-cased without a
 * trailing dot. The WHATWG URL parser does the IPv4 spellings exactly as getaddrinfo reads them.
 */
export function canonicalHost(host: string): string | undefined {
  const bare = host.trim().replace(/^\[(.*)\]$/, '$1');
  if (!bare) return undefined;
  try {
    const hostname = new URL(`http://${isIP(bare) === 6 ? `[${bare}]` : bare}/`).hostname;
    return hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  } catch {
    return undefined;
  }
}

/**
 * Why a host name may not be used whatever it resolves to: names reserved for the local machine
 * or network (localhost, *.internal such as metadata.google.internal, mDNS *.local, home.arpa),
 * and single-label names, which resolvers complete with the local search domain.
 */
function reservedNameReason(name: string): string | undefined {
  if (name === 'localhost' || name.endsWith('.localhost')) return 'loopback';
  if (name.endsWith('.internal') || name === 'internal') return 'internal';
  if (name.endsWith('.local') || name.endsWith('.home.arpa')) return 'local-network';
  if (!name.includes('.')) return 'single-label';
  return undefined;
}

export class OutboundGuard {
  readonly allowPrivate: boolean;
  private readonly resolveAll: ResolveAll;
  readonly reasonFor: (address: string) => string | undefined;

  constructor(opts: OutboundGuardOptions) {
    this.allowPrivate = opts.allowPrivate;
    this.resolveAll = opts.resolve ?? defaultResolve;
    this.reasonFor = opts.reasonFor ?? nonPublicReason;
  }

  /** The host's addresses, from the guard's resolver. */
  resolve(hostname: string): Promise<LookupAddress[]> {
    return this.resolveAll(hostname);
  }

  /**
   * Why this host may not be reached, from the host alone: an address literal that is not
   * public, or a reserved name. Undefined when it may (or when private targets are allowed).
   * Phrased to follow "<field> is ": "127.0.0.1, a loopback address".
   */
  hostRefusal(host: string): string | undefined {
    if (this.allowPrivate) return undefined;
    const canonical = canonicalHost(host);
    if (canonical === undefined) return 'not a valid host';
    if (isIP(canonical)) {
      const why = this.reasonFor(canonical);
      return why ? `${canonical}, a ${why} address` : undefined;
    }
    const why = reservedNameReason(canonical);
    return why ? `${canonical}, a ${why} name` : undefined;
  }

  /**
   * The registration check: hostRefusal, then every address the name resolves to now. A name
   * that does not resolve (yet) passes: the connect-time check still applies to it.
   */
  async refusal(host: string): Promise<string | undefined> {
    if (this.allowPrivate) return undefined;
    const literal = this.hostRefusal(host);
    if (literal) return literal;
    const canonical = canonicalHost(host)!;
    if (isIP(canonical)) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const addresses = await Promise.race([
      this.resolveAll(canonical).catch(() => [] as LookupAddress[]),
      new Promise<LookupAddress[]>((resolve) => (timer = setTimeout(() => resolve([]), REGISTRATION_LOOKUP_MS))),
    ]).finally(() => clearTimeout(timer));
    // The addresses themselves are not echoed: they would tell a tenant what internal DNS answers.
    const why = addresses.map((a) => this.reasonFor(a.address)).find(Boolean);
    return why ? `${canonical}, a name that resolves to a ${why} address` : undefined;
  }

  /** A net.connect lookup that fails when any address of the name is not public. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.resolveAll(hostname).then(
      (all) => {
        const family = options.family === 4 || options.family === 6 ? options.family : undefined;
        const list = family ? all.filter((a) => a.family === family) : all;
        if (list.length === 0) {
          const err = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
          return callback(err, '', 0);
        }
        const bad = list.find((a) => this.reasonFor(a.address));
        if (bad && !this.allowPrivate) {
          return callback(
            new DestinationNotAllowedError(
              `${hostname} resolved to ${bad.address}, a ${this.reasonFor(bad.address)} address`,
            ),
            '',
            0,
          );
        }
        if (options.all) return callback(null, list as unknown as string);
        callback(null, list[0]!.address, list[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };

  /**
   * An undici Agent whose connections are checked where they are made: address literals before
   * connecting, names through the guarded lookup. Redirects are never followed by these agents
   * (Herald's requests do not ask for it), and media fetches check each hop themselves.
   */
  agent(options: Agent.Options = {}): Agent {
    if (this.allowPrivate) return new Agent(options);
    const connectOptions = typeof options.connect === 'object' ? options.connect : {};
    const connectTo = buildConnector({ ...connectOptions, lookup: this.lookup } as buildConnector.BuildOptions);
    const connect: buildConnector.connector = (opts, callback) => {
      const why = this.hostRefusal(opts.hostname);
      if (why) return callback(new DestinationNotAllowedError(why), null);
      connectTo(opts, callback);
    };
    return new Agent({ ...options, connect });
  }

  /** A TCP connection made the same guarded way, for clients that are not undici (SMTP). */
  connectSocket(host: string, port: number, timeoutMs: number): Promise<Socket> {
    const why = this.hostRefusal(host);
    if (why) return Promise.reject(new DestinationNotAllowedError(why));
    return new Promise((resolve, reject) => {
      const socket = netConnect({
        host: canonicalHost(host) ?? host,
        port,
        lookup: this.allowPrivate ? undefined : this.lookup,
        timeout: timeoutMs,
      });
      const fail = (err: Error) => {
        socket.destroy();
        reject(err);
      };
      socket.once('error', fail);
      socket.once('timeout', () =>
        fail(Object.assign(new Error(`connection to ${host}:${port} timed out`), { code: 'ETIMEDOUT' })),
      );
      socket.once('connect', () => {
        socket.removeListener('error', fail);
        socket.setTimeout(0);
        resolve(socket);
      });
    });
  }
}
