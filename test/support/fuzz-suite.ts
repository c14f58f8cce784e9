import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  buildSchema,
  getNamedType,
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  type GraphQLScalarType,
  GraphQLUnionType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
} from 'graphql';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { media, messages, providerConfigs, templates, webhookEndpoints } from '../../src/db/schema.js';
import { startHerald, type TestHerald } from './herald.js';

// Hostile requests, thousands per run, against a real Herald: every GraphQL mutation (read from
// the printed schema, so a new mutation is fuzzed without touching this file) and every REST
// route, with wrong types, huge and deeply nested values, Unicode edge cases, lone surrogates,
// NUL, CRLF, prototype keys, truncated and oversized bodies and broken multipart. Whatever comes
// in, Herald must answer below 500 with a typed refusal naming the field (or accept the input),
// store nothing for a refusal, log nothing at error level and stay up.
//
// The generator is seeded: the seed is printed, and FUZZ_SEED=<seed> replays a run. The requests
// are spread over test files (fuzz-graphql-1 and -2 take every other GraphQL request, fuzz-rest
// the REST ones), each with a Herald of its own, so they run in parallel; together they are the
// same requests as one run of all.

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const GRAPHQL_REQUESTS = 3200;
const REST_REQUESTS = 2000;
const CONCURRENCY = 16;
/** HERALD_MEDIA_MAX_BYTES of this Herald: oversize files stay cheap. */
const MEDIA_MAX = 64 * 1024;

const sdl = buildSchema(readFileSync(new URL('../../schema/schema.graphql', import.meta.url), 'utf8'));
const MUTATIONS = Object.values(sdl.getMutationType()!.getFields());

let h: TestHerald;

/**
 * Registers a part of the suite in the calling test file: the REST requests, or every `of`-th
 * GraphQL request from the `index`-th on.
 */
export function fuzzSuite(part: 'graphql' | 'rest', share: { index: number; of: number } = { index: 0, of: 1 }): void {
  beforeAll(async () => {
    h = await startHerald({
      HERALD_MEDIA_MAX_BYTES: String(MEDIA_MAX),
      HERALD_MEDIA_FETCH_TIMEOUT_MS: '500',
      HERALD_DEFAULT_COUNTRY: 'IN',
    });
  });
  afterAll(() => h?.stop());
  const requests = Math.ceil((part === 'graphql' ? GRAPHQL_REQUESTS : REST_REQUESTS) / share.of);
  it(
    `${requests} hostile ${part === 'graphql' ? 'GraphQL' : 'REST'} requests: no 5xx, typed refusals naming the field, nothing stored for them, no error logged`,
    {
      timeout: 420_000, // 115 s on PGlite, 233 s once on PostgreSQL in CI
    },
    () => fuzz(part, share),
  );
}

// ---------------------------------------------------------------------------------------------
// JSON with what JSON.stringify cannot write: text spliced in as is (nesting thousands deep)
// and objects as entry lists (so "__proto__" is a key, not a prototype).

class Raw {
  constructor(readonly text: string) {}
}
class Obj {
  constructor(readonly entries: ReadonlyArray<readonly [string, unknown]>) {}
}

function toJson(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (value instanceof Obj) return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(',')}}`;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value === undefined) return 'null';
  // JSON.stringify escapes lone surrogates (\ud800): they arrive as such after JSON.parse.
  return JSON.stringify(value);
}

const nested = (depth: number, open: string, close: string) => new Raw(`${open.repeat(depth)}1${close.repeat(depth)}`);

// ---------------------------------------------------------------------------------------------
// Values.

const LONE = ['\uD800', '\uDBFF', '\uDC00', '\uDFFF'];
const NASTY = [
  '\u0000',
  ...LONE,
  '\r\n',
  '\n',
  '\t',
  '\u2028',
  '\u202E',
  '\uFEFF',
  '\u0085',
  '"',
  "'",
  '\\',
  '<',
  '>',
  '&',
  '%00',
  '%',
  '{{1}}',
  '{{',
  '😀',
  'é',
  'ß',
  '\u0301',
  '../',
  ';',
  ',',
  '=',
];
const PLAUSIBLE = [
  '918800001234',
  '+918800001234',
  '+14155550123',
  '8800001234',
  'a@example.com',
  'Billing <billing@example.com>',
  'https://example.com/callback',
  'http://127.0.0.1/x.png',
  'http://10.0.0.1/x',
  'https://hooks.example.com/herald?x=1',
  'invoice_due',
  'welcome',
  'en',
  'en_US',
  'hello',
  'Your invoice INV-1001 is due',
  '<p>Hi</p>',
  'HERALD',
  'sandbox',
  'twilio',
  'smsmedia',
  'mine',
  'ref-1',
  'otp',
  '1101456789012345678',
  '00000000-0000-4000-8000-000000000000',
  'TWVzc2FnZTowMDAwMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDA=',
  '2027-03-01T10:00:00Z',
  '',
  ' ',
];
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

const nastyChar = fc.constantFrom(...NASTY);
const unit = fc.oneof(
  { arbitrary: fc.string({ unit: 'binary', maxLength: 1 }), weight: 3 },
  { arbitrary: nastyChar, weight: 1 },
);
const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...PLAUSIBLE), weight: 6 },
  { arbitrary: fc.string({ unit, maxLength: 40 }), weight: 4 },
  {
    arbitrary: fc
      .tuple(fc.constantFrom(...PLAUSIBLE), nastyChar, fc.constantFrom(...PLAUSIBLE))
      .map(([a, b, c]) => a + b + c),
    weight: 4,
  },
  { arbitrary: fc.constantFrom(...PROTO_KEYS, ...LONE, '\u0000'), weight: 1 },
  { arbitrary: fc.constantFrom('x'.repeat(2_000), 'é'.repeat(1_100), '😀'.repeat(700), 'a'.repeat(70_000)), weight: 1 },
);

const leaf: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(2 ** 53 + 1, -0, 1e308),
);

const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ json: unknown }>((tie) => ({
  json: fc.oneof(
    { arbitrary: leaf, weight: 5 },
    { arbitrary: fc.array(tie('json'), { maxLength: 4 }), weight: 2 },
    {
      arbitrary: fc
        .array(
          fc.tuple(
            fc.oneof({ arbitrary: hostileString, weight: 4 }, { arbitrary: fc.constantFrom(...PROTO_KEYS), weight: 1 }),
            tie('json'),
          ),
          { maxLength: 4 },
        )
        .map((entries) => new Obj(entries)),
      weight: 2,
    },
    { arbitrary: fc.integer({ min: 30, max: 20_000 }).map((d) => nested(d, '{"a":', '}')), weight: 1 },
    { arbitrary: fc.integer({ min: 30, max: 20_000 }).map((d) => nested(d, '[', ']')), weight: 1 },
  ),
})).json;

const dateTime = fc.oneof(
  fc.integer({ min: -5, max: 500 }).map((days) => new Date(Date.now() + days * 86_400_000).toISOString()),
  fc.constantFrom(
    '2027-02-30T10:00:00Z',
    '2027-02-10T24:00:00Z',
    '2027-02-10T10:00:00',
    '2027-13-01T00:00:00Z',
    '2027-02-10T10:00:00+25:00',
    '1970-01-01T00:00:00Z',
    '+275760-09-13T00:00:00Z',
    'now',
    '',
  ),
  hostileString,
);

/** Any JSON value of another type than expected, to stand in for a field now and then. */
const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(new Obj([['a', 1]])),
  fc.constant([1, 'x']),
  hostileString,
  fc.double(),
);

function scalarArb(type: GraphQLScalarType): fc.Arbitrary<unknown> {
  switch (type.name) {
    case 'Int':
      return fc.oneof(fc.integer({ min: -2, max: 150 }), fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 1.5, 1e20));
    case 'Float':
      return fc.oneof(fc.double(), fc.constantFrom(1e308, -1e308));
    case 'Boolean':
      return fc.boolean();
    case 'DateTime':
      return dateTime;
    case 'JSON':
      return hostileJson;
    default:
      return hostileString; // String, ID and unknown scalars
  }
}

function inputArb(type: GraphQLInputType, depth = 0): fc.Arbitrary<unknown> {
  if (type instanceof GraphQLNonNull) return inputArb(type.ofType, depth);
  const valid = ((): fc.Arbitrary<unknown> => {
    if (type instanceof GraphQLList) {
      return fc.oneof(
        { arbitrary: fc.array(inputArb(type.ofType, depth + 1), { maxLength: 4 }), weight: 6 },
        {
          arbitrary: fc
            .integer({ min: 101, max: 1200 })
            .chain((n) => fc.array(inputArb(type.ofType, depth + 1), { minLength: n, maxLength: n })),
          weight: 1,
        },
      );
    }
    if (type instanceof GraphQLEnumType) {
      return fc.oneof(
        { arbitrary: fc.constantFrom(...type.getValues().map((v) => v.name)), weight: 5 },
        { arbitrary: hostileString, weight: 1 },
      );
    }
    if (type instanceof GraphQLInputObjectType) {
      const fields = Object.values(type.getFields());
      return fc
        .tuple(
          ...fields.map((f) => {
            const required = f.type instanceof GraphQLNonNull;
            return fc.oneof(
              { arbitrary: inputArb(f.type, depth + 1).map((v) => [f.name, v] as const), weight: required ? 20 : 5 },
              { arbitrary: fc.constant(undefined), weight: required ? 1 : 4 },
              { arbitrary: fc.constant([f.name, null] as const), weight: 1 },
            );
          }),
          fc.option(fc.tuple(hostileString, hostileJson), { freq: 12 }),
        )
        .map((parts) => {
          const extra = parts.pop() as [string, unknown] | null;
          const entries = (parts as Array<readonly [string, unknown] | undefined>).filter(
            (e): e is readonly [string, unknown] => e !== undefined,
          );
          return new Obj(extra ? [...entries, extra] : entries);
        });
    }
    return scalarArb(type as GraphQLScalarType);
  })();
  return fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: wrongType, weight: 1 });
}

// ---------------------------------------------------------------------------------------------
// GraphQL requests.

type GraphqlCase = { kind: 'graphql'; mutation: string; body: string; contentType: string; note: string };

/** The selection of a mutation's result: the type, errors' field, and ids of what was stored. */
function selection(type: GraphQLOutputType): string {
  const named = getNamedType(type);
  const members =
    named instanceof GraphQLUnionType ? named.getTypes() : named instanceof GraphQLObjectType ? [named] : [];
  const parts = members.map((m) => {
    const fields = m.getFields();
    const isError = m.getInterfaces().some((i) => i.name === 'Error');
    const picked: string[] = [];
    // No aliases (the query limits count them): these fields have one type wherever they occur.
    if (isError) {
      picked.push('code', 'message');
      if (fields.field) picked.push('field');
    } else {
      for (const name of ['messageId', 'templateId', 'mediaId', 'name'])
        if (fields[name] && !fields[name]!.args.length) picked.push(name);
      if (fields.endpoint) picked.push('endpoint { id }');
    }
    return picked.length ? `... on ${m.name} { ${picked.join(' ')} }` : '';
  });
  return `{ __typename ${parts.join(' ')} }`;
}

const FILE_ARGS = (m: GraphQLField<unknown, unknown>) => m.args.filter((a) => getNamedType(a.type).name === 'File');

function graphqlArb(m: GraphQLField<unknown, unknown>): fc.Arbitrary<GraphqlCase> {
  const args = m.args.filter((a) => getNamedType(a.type).name !== 'File');
  const decl = m.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const call = m.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const query = `mutation${decl ? `(${decl})` : ''} { ${m.name}${call ? `(${call})` : ''} ${selection(m.type)} }`;
  const variables = fc
    .tuple(
      ...args.map((a) =>
        fc.oneof(
          { arbitrary: inputArb(a.type).map((v) => [a.name, v] as const), weight: 20 },
          { arbitrary: fc.constant(undefined), weight: 1 },
        ),
      ),
    )
    .map((entries) => new Obj(entries.filter((e): e is readonly [string, unknown] => e !== undefined)));
  if (FILE_ARGS(m).length === 0) {
    return variables.map((v) => ({
      kind: 'graphql',
      mutation: m.name,
      body: `{"query":${JSON.stringify(query)},"variables":${toJson(v)}}`,
      contentType: 'application/json',
      note: '',
    }));
  }
  // Uploads: a GraphQL multipart request, whole or broken.
  const fileArg = FILE_ARGS(m)[0]!.name;
  return fc
    .tuple(
      variables,
      fileArb,
      fc.constantFrom('whole', 'whole', 'whole', 'cut', 'no-map', 'bad-map', 'two-files', 'no-file'),
    )
    .map(([v, file, shape]) => {
      const ops = `{"query":${JSON.stringify(query)},"variables":${toJson(new Obj([...v.entries, [fileArg, null]]))}}`;
      const map = shape === 'bad-map' ? '{"0":["variables.nothing.here"]}' : `{"0":["variables.${fileArg}"]}`;
      const parts = [field('operations', ops)];
      if (shape !== 'no-map') parts.push(field('map', map));
      if (shape !== 'no-file') parts.push(filePart('0', file));
      if (shape === 'two-files') parts.push(filePart('1', file));
      let body = multipart(parts);
      if (shape === 'cut') body = body.subarray(0, Math.floor(body.length * 0.8));
      return {
        kind: 'graphql',
        mutation: m.name,
        body: body.toString('latin1'),
        contentType: `multipart/form-data; boundary=${BOUNDARY}`,
        note: shape,
      };
    });
}

// ---------------------------------------------------------------------------------------------
// Multipart and files.

const BOUNDARY = 'herald-fuzz-boundary';
type Part = Buffer;
type FileSpec = { name: string; type: string; bytes: Buffer };

const field = (name: string, value: string): Part =>
  Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`),
    Buffer.from(value, 'utf8'),
    Buffer.from('\r\n'),
  ]);

/** The filename goes in raw: quotes, CRLF and NUL in it are part of the attack. */
const filePart = (name: string, f: FileSpec): Part =>
  Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`,
      'utf8',
    ),
    f.bytes,
    Buffer.from('\r\n'),
  ]);

const multipart = (parts: Part[]): Buffer => Buffer.concat([...parts, Buffer.from(`--${BOUNDARY}--\r\n`)]);

const PNG_HEAD = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const fileArb: fc.Arbitrary<FileSpec> = fc.record({
  name: fc.oneof(
    fc.constantFrom(
      'note.txt',
      'a.png',
      'invoice.pdf',
      'x.mp3',
      '',
      '../../etc/passwd',
      'a"b.txt',
      'a\r\nX-Evil: 1.txt',
      'a\u0000.txt',
      `${'n'.repeat(300)}.txt`,
    ),
    hostileString,
  ),
  type: fc.constantFrom(
    'text/plain',
    'image/png',
    'application/pdf',
    'application/octet-stream',
    'audio/mpeg',
    'garbage',
  ),
  bytes: fc.oneof(
    fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
    fc.constantFrom(
      Buffer.from([0xff, 0xfb, 0x90]),
      Buffer.from('plain text note\n'),
      Buffer.from('%PDF-1.4\n%%EOF\n'),
      Buffer.concat([PNG_HEAD, Buffer.alloc(40)]),
      Buffer.alloc(0),
      Buffer.alloc(MEDIA_MAX + 1024, 0x41),
      Buffer.from('a\u0000b'),
    ),
  ),
});

// ---------------------------------------------------------------------------------------------
// REST requests.

type RestCase = {
  kind: 'rest';
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  note: string;
};

const SEND_ROUTES: Record<string, readonly string[]> = {
  '/api/whatsapp-cloud-api/send-message-api': [
    'mobile',
    'templatename',
    'mediatype',
    'mediaid',
    'param1',
    'param2',
    'param3',
    'language',
    'serviceid',
  ],
  '/api/sms/send-sms-api': ['mobile', 'smstext', 'senderid', 'nonenglish', 'flash', 'peid', 'templateid', 'serviceid'],
  '/api/email/send-email-api': ['emailids', 'emailsubject', 'emailbody', 'emailfrom', 'attachments', 'serviceid'],
};
const COMMON_PARAMS = ['externalref', 'callbackurl', 'sendat', 'validuntil', 'tags', 'idempotencykey'];
const MEDIA_PARAMS = ['mediatype', 'mediaurl', 'data', 'filename', 'caption'];

/** Percent-encoding that also writes what encodeURIComponent refuses: a lone surrogate as its (invalid) UTF-8 bytes. */
function pct(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    if (pair) {
      out += encodeURIComponent(s.slice(i, i + 2));
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff)
      out += `%${(0xe0 | (c >> 12)).toString(16)}%${(0x80 | ((c >> 6) & 0x3f)).toString(16)}%${(0x80 | (c & 0x3f)).toString(16)}`;
    else out += encodeURIComponent(s[i]!);
  }
  return out;
}

const paramValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileString, weight: 10 },
  { arbitrary: fc.array(hostileString, { maxLength: 3 }), weight: 1 },
  { arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null)), weight: 1 },
  { arbitrary: fc.constant(new Obj([['a', 1]])), weight: 1 },
  { arbitrary: fc.integer({ min: 30, max: 5000 }).map((d) => nested(d, '[', ']')), weight: 1 },
);

const paramsArb = (known: readonly string[]) =>
  fc.array(
    fc.tuple(
      fc.oneof(
        { arbitrary: fc.constantFrom(...known, ...COMMON_PARAMS), weight: 10 },
        { arbitrary: fc.constantFrom(...known).map((n) => n.toUpperCase()), weight: 1 },
        { arbitrary: fc.constantFrom(...PROTO_KEYS, 'apikey', 'unknown_param', 'x'.repeat(80)), weight: 1 },
        { arbitrary: hostileString, weight: 1 },
      ),
      paramValue,
    ),
    { maxLength: 8 },
  );

const headerSafe = (s: string) => s.replace(/[^\x20-\x7e]/g, '').slice(0, 200);

const restArb: fc.Arbitrary<RestCase> = fc
  .tuple(
    fc.oneof(
      { arbitrary: fc.constantFrom(...Object.keys(SEND_ROUTES), '/api/media/upload'), weight: 12 },
      {
        arbitrary: fc.constantFrom(
          '/api/openapi.json',
          '/api/nope',
          '/api/sms/send-sms-api/..%2f',
          '/api//sms',
          '/webhooks/sandbox',
          '/webhooks/twilio',
          '/webhooks/nope',
        ),
        weight: 2,
      },
      { arbitrary: hostileString.map((id) => `/media/${pct(id)}`), weight: 1 },
    ),
    fc.constantFrom('GET', 'POST', 'POST', 'POST', 'PUT'),
    fc.constantFrom('query', 'json', 'json', 'form', 'multipart', 'garbage'),
    fc.option(hostileString.map(headerSafe), { freq: 5 }),
    fc.nat(),
  )
  .chain(([path, method, encoding, idem, pick]) => {
    const known = path === '/api/media/upload' ? MEDIA_PARAMS : (SEND_ROUTES[path] ?? ['mobile']);
    return fc
      .tuple(paramsArb(known), fileArb, fc.constantFrom(...GARBAGE_BODIES))
      .map(([params, file, garbage]): RestCase => {
        const headers: Record<string, string> = { apikey: h.adminKey };
        if (idem !== null) headers['idempotency-key'] = idem;
        const text = (v: unknown) =>
          typeof v === 'string'
            ? v
            : v instanceof Raw || v instanceof Obj
              ? toJson(v)
              : Array.isArray(v)
                ? v.map(String).join(',')
                : String(v);
        const query = params.map(([k, v]) => `${pct(k)}=${pct(text(v))}`).join('&');
        if (method === 'GET' || encoding === 'query')
          return { kind: 'rest', method, path: `${path}?${query}`, headers, body: undefined, note: 'query' };
        if (encoding === 'json') {
          return {
            kind: 'rest',
            method,
            path,
            headers: { ...headers, 'content-type': 'application/json' },
            body: Buffer.from(toJson(new Obj(params))),
            note: 'json',
          };
        }
        if (encoding === 'form') {
          return {
            kind: 'rest',
            method,
            path,
            headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
            body: Buffer.from(query),
            note: 'form',
          };
        }
        if (encoding === 'multipart') {
          const parts = params.map(([k, v]) => field(k.replace(/["\r\n]/g, ''), text(v)));
          if (path === '/api/media/upload' || pick % 3 === 0) parts.push(filePart('file', file));
          let body = multipart(parts);
          if (pick % 5 === 0) body = body.subarray(0, Math.floor(body.length * 0.7));
          return {
            kind: 'rest',
            method,
            path,
            headers: { ...headers, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
            body,
            note: pick % 5 === 0 ? 'multipart cut' : 'multipart',
          };
        }
        return {
          kind: 'rest',
          method,
          path,
          headers: { ...headers, 'content-type': garbage.type },
          body: garbage.body,
          note: `garbage ${garbage.type}`,
        };
      });
  });

const GARBAGE_BODIES: Array<{ type: string; body: Buffer }> = [
  { type: 'application/json', body: Buffer.from('{"mobile": "9188') },
  { type: 'application/json', body: Buffer.from('[1,2,3]') },
  { type: 'application/json', body: Buffer.from('"just a string"') },
  { type: 'application/json', body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) },
  { type: 'application/json', body: Buffer.from(`{"mobile":${'['.repeat(10_000)}${']'.repeat(10_000)}}`) },
  { type: 'application/json', body: Buffer.from(`{"smstext":"${'x'.repeat(1_100_000)}"}`) },
  { type: 'application/json; charset=latin1', body: Buffer.from('{"mobile":"918800001234"}') },
  { type: 'text/plain', body: Buffer.from('mobile=918800001234') },
  { type: 'application/xml', body: Buffer.from('<a/>') },
  { type: 'multipart/form-data', body: Buffer.from('--x\r\n') },
  {
    type: 'multipart/form-data; boundary=zz',
    body: Buffer.from('--zz\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nunterminated'),
  },
  { type: 'application/x-www-form-urlencoded', body: Buffer.from('mobile=%ZZ&smstext=%E0%A4') },
  { type: 'application/x-www-form-urlencoded', body: Buffer.from([0x6d, 0x3d, 0xc3, 0x28]) },
];

// ---------------------------------------------------------------------------------------------
// Running and judging.

type Outcome = { status: number; body: any; text: string };
type Accepted = {
  messages: Set<string>;
  templates: Set<string>;
  media: Set<string>;
  endpoints: Set<string>;
  providers: Set<string>;
};

/** A Buffer as fetch's types want it. */
const bytes = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength) as Uint8Array<ArrayBuffer>;

async function send(c: GraphqlCase | RestCase): Promise<Outcome> {
  const res =
    c.kind === 'graphql'
      ? await fetch(h.graphqlUrl, {
          method: 'POST',
          headers: { apikey: h.adminKey, 'content-type': c.contentType },
          body: bytes(Buffer.from(c.body, c.contentType.startsWith('multipart') ? 'latin1' : 'utf8')),
        })
      : await fetch(`${h.url}${c.path}`, {
          method: c.method,
          headers: c.headers,
          ...(c.body ? { body: bytes(c.body) } : {}),
        });
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text };
}

/** Codes REST may answer without a field: the request as a whole is at fault. */
const REST_WHOLE_REQUEST: Record<string, number> = {
  MALFORMED_REQUEST: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  UNAUTHENTICATED: 401,
};

/** Typed results about the object an id names (the id is the only input at fault). */
const ABOUT_THE_ID = new Set(['NotFoundError', 'InvalidStateError', 'CampaignStateError']);

/** Why an answer is not acceptable, or null; records what an accepted request stored. */
function judge(c: GraphqlCase | RestCase, o: Outcome, accepted: Accepted): string | null {
  if (o.status >= 500) return `HTTP ${o.status}`;
  if (c.kind === 'rest') {
    // The HTTP server's own refusal of a request line over 16 KB (documented): no body.
    if (o.status === 431) return null;
    if (c.path.startsWith('/api/openapi.json') && o.status === 200) return null;
    // Provider reports answer providers, in their own terms: below 500 is all that is asked.
    if (c.path.startsWith('/webhooks/')) return null;
    if (o.body === undefined) return `not JSON: ${o.text.slice(0, 120)}`;
    if (o.status === 200) {
      if (o.body.status !== 'success') return 'a 200 that is not a success';
      for (const id of o.body.messageIds ?? []) accepted.messages.add(id);
      if (c.path.startsWith('/api/media/upload')) accepted.media.add(o.body.mediaId);
      return null;
    }
    const err = o.body.error;
    if (o.body.status !== 'error' || typeof err?.code !== 'string' || typeof err.message !== 'string')
      return 'not a typed REST error';
    if (typeof err.field === 'string' && err.field.length > 0)
      return err.message.includes(err.field) ? null : `message does not name its field ${err.field}`;
    return REST_WHOLE_REQUEST[err.code] === o.status ? null : `no field for ${o.status} ${err.code}`;
  }
  if (!o.body) return `not JSON: ${o.text.slice(0, 120)}`;
  const errors: Array<{ message: string; extensions?: { code?: string } }> = o.body.errors ?? [];
  if (errors.length > 0) {
    const variables = MUTATIONS.find((m) => m.name === c.mutation)!.args.map((a) => `"$${a.name}"`);
    for (const e of errors) {
      const code = e.extensions?.code;
      // Coercion and validation errors name the variable (and the path inside it).
      if (variables.some((v) => e.message.includes(v))) continue;
      // graphql-js stops after 50 of those with one more error that names nothing.
      if (
        e.message.startsWith('Too many errors processing variables') &&
        errors.some((x) => variables.some((v) => x.message.includes(v)))
      )
        continue;
      // Malformed or oversized request bodies (uploads): typed by their code.
      if (o.status === 400 && code === 'BAD_REQUEST') continue;
      if (o.status === 413 && code === 'MEDIA_TOO_LARGE') continue;
      // Lists of lists of long strings (addCampaignRecipients) pass the JSON body limit.
      if (o.status === 413 && code === 'REQUEST_ENTITY_TOO_LARGE') continue;
      return `untyped GraphQL error (${code}): ${e.message.slice(0, 160)}`;
    }
    return null;
  }
  const result = o.body.data?.[c.mutation];
  if (!result?.__typename) return 'no result';
  const t = result.__typename as string;
  if ('code' in result) {
    if (ABOUT_THE_ID.has(t)) return null;
    const f = result.field;
    return typeof f === 'string' && f.length > 0 ? null : `${t} without a field`;
  }
  const id = (k: string) => result[k] as string | undefined;
  if (t === 'Message' && c.mutation.startsWith('send')) accepted.messages.add(id('messageId')!);
  if (t === 'Template' && c.mutation === 'createTemplate') accepted.templates.add(id('templateId')!);
  if (t === 'Media') accepted.media.add(id('mediaId')!);
  if (t === 'CreatedWebhookEndpoint') accepted.endpoints.add(result.endpoint.id);
  if (t === 'ProviderConfig' && c.mutation === 'configureProvider') accepted.providers.add(id('name')!);
  return null;
}

async function ids() {
  const db = h.herald.services.db;
  return {
    messages: new Set((await db.select({ id: messages.id }).from(messages)).map((r) => r.id)),
    templates: new Set((await db.select({ id: templates.id }).from(templates)).map((r) => r.id)),
    media: new Set((await db.select({ id: media.id }).from(media)).map((r) => r.id)),
    endpoints: (await db.select({ id: webhookEndpoints.id }).from(webhookEndpoints)).length,
    providers: new Set((await db.select({ name: providerConfigs.name }).from(providerConfigs)).map((r) => r.name)),
  };
}

const added = <T>(after: Set<T>, before: Set<T>) => new Set([...after].filter((x) => !before.has(x)));

async function fuzz(part: 'graphql' | 'rest', share: { index: number; of: number }): Promise<void> {
  console.log(`fuzz seed: ${SEED}`);
  const sample: Array<GraphqlCase | RestCase> =
    part === 'graphql'
      ? fc.sample(fc.oneof(...MUTATIONS.map(graphqlArb)), { seed: SEED, numRuns: GRAPHQL_REQUESTS })
      : fc.sample(restArb, { seed: SEED + 1, numRuns: REST_REQUESTS });
  if (part === 'graphql') {
    // Every mutation is in the sample at least once.
    const seen = new Set(sample.filter((c): c is GraphqlCase => c.kind === 'graphql').map((c) => c.mutation));
    expect([...seen].sort()).toEqual(MUTATIONS.map((m) => m.name).sort());
  }
  const cases = sample.filter((_, i) => i % share.of === share.index);

  const before = await ids();
  const logged = h.logLines().length;
  const accepted: Accepted = {
    messages: new Set(),
    templates: new Set(),
    media: new Set(),
    endpoints: new Set(),
    providers: new Set(),
  };
  const problems: string[] = [];
  const timings = new Map<string, number>();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < cases.length) {
        const c = cases[next++]!;
        const what =
          c.kind === 'graphql'
            ? `${c.mutation} ${c.note} ${c.body.slice(0, 300)}`
            : `${c.method} ${c.path.slice(0, 200)} ${c.note} ${c.body?.subarray(0, 200).toString('utf8') ?? ''}`;
        const started = performance.now();
        try {
          const outcome = await send(c);
          const key = c.kind === 'graphql' ? c.mutation : `${c.method} ${c.note}`;
          timings.set(key, (timings.get(key) ?? 0) + performance.now() - started);
          const problem = judge(c, outcome, accepted);
          if (problem)
            problems.push(
              `${problem}\n    request: ${JSON.stringify(what)}\n    answer: ${outcome.status} ${outcome.text.slice(0, 300)}`,
            );
        } catch (err) {
          problems.push(
            `request failed: ${String(err)} (${String((err as { cause?: unknown }).cause)})\n    request: ${JSON.stringify(what)}`,
          );
        }
      }
    }),
  );
  if (process.env.FUZZ_TIMINGS)
    console.log(
      [...timings]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 15)
        .map(([k, v]) => `${k}: ${Math.round(v)} ms`)
        .join('\n'),
    );
  const kinds = new Map<string, number>();
  for (const p of problems)
    kinds.set(p.split('\n')[0]!.slice(0, 90), (kinds.get(p.split('\n')[0]!.slice(0, 90)) ?? 0) + 1);
  expect(problems.slice(0, 10), `seed ${SEED}: ${problems.length} problems: ${JSON.stringify([...kinds])}`).toEqual([]);

  // Rows appeared only for accepted requests.
  const after = await ids();
  expect(added(after.messages, before.messages)).toEqual(accepted.messages);
  expect(added(after.templates, before.templates)).toEqual(accepted.templates);
  expect(added(after.media, before.media)).toEqual(accepted.media);
  expect(after.endpoints - before.endpoints).toBe(accepted.endpoints.size);
  expect(added(after.providers, before.providers)).toEqual(accepted.providers);

  expect(
    h
      .logLines()
      .slice(logged)
      .filter((l) => JSON.parse(l).level >= 50),
  ).toEqual([]);
  expect(await (await fetch(`${h.url}/healthz`)).json()).toMatchObject({ status: 'ok' });
}
