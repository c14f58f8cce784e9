import type { IncomingMessage } from 'node:http';
import { PassThrough, Transform } from 'node:stream';
import { Busboy } from '@fastify/busboy';
import { ValidationError } from '../errors.js';
import { MediaFetchError, MediaTooLargeError, MediaUrlRefusedError, UnsupportedMediaError } from '../media/errors.js';
import { isMediaKind, MEDIA_KINDS, type MediaKind } from '../media/kinds.js';
import type { MediaDetails, MediaService, Staged, UploadResult } from '../media/service.js';
import { invalid, malformed, quote, RestError } from './errors.js';
import { JsonUploadScanner } from './json-upload-scanner.js';
import { DEFAULT_MAX_BODY_BYTES, type Params, readBody } from './params.js';

// POST /api/media/upload: the SMSMedia media upload, and two ways to send the bytes themselves.
//
//   JSON or form   {mediaType, mediaUrl, caption}           Herald fetches the URL (SSRF-safe)
//   JSON           {mediaType, data: <base64>, filename, caption}   decoded as it streams
//   multipart      fields mediaType, filename, caption + a file part named "file" (streamed)
//
// The key is read from the headers (or the query string) before any of the body: an upload is
// not read for a caller without a key. Answers {status: "success", mediaId, ...}; refusals are
// 400 (INVALID_INPUT, URL_REFUSED), 413 (MEDIA_TOO_LARGE: over HERALD_MEDIA_MAX_BYTES or the kind's limit), 415 (not an accepted type or not the
// declared one), 422 (MEDIA_FETCH_FAILED), and nothing is stored.

export const MEDIA_UPLOAD_PATH = '/api/media/upload';

/** The parameters of the endpoint (names case-insensitive). */
export const MEDIA_PARAMS = ['mediatype', 'mediaurl', 'data', 'filename', 'caption'] as const;

/** Room for the multipart framing and fields around the file. */
const MULTIPART_SLACK = 1024 * 1024;
const FIELD_MAX = 64 * 1024;
const CHUNK = 64 * 1024;

export type MediaUploadAnswer = {
  status: 'success';
  mediaId: string;
  mediaType: string;
  mimeType: string;
  size: number;
  sha256: string;
  filename: string | null;
  caption: string | null;
  /** True when these bytes were already stored for the tenant (the existing mediaId is returned). */
  duplicate: boolean;
};

export async function uploadMediaRequest(
  req: IncomingMessage,
  query: Params,
  tenantId: string,
  media: MediaService,
): Promise<MediaUploadAnswer> {
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  let result: UploadResult;
  try {
    if (contentType === 'multipart/form-data') result = await fromMultipart(req, query, tenantId, media);
    else result = await fromParams(req, query, contentType, tenantId, media);
  } catch (err) {
    throw toRestError(err);
  }
  const m = result.media;
  return {
    status: 'success',
    mediaId: m.id,
    mediaType: m.kind.toLowerCase(),
    mimeType: m.mimeType,
    size: m.sizeBytes,
    sha256: m.sha256,
    filename: m.filename,
    caption: m.caption,
    duplicate: !result.created,
  };
}

function checkNames(params: Params): void {
  const unknown = params.names().filter((n) => n !== 'apikey' && !(MEDIA_PARAMS as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new RestError(
      400,
      'INVALID_INPUT',
      `unknown parameter ${quote(unknown[0]!)}; ${MEDIA_UPLOAD_PATH} takes ${MEDIA_PARAMS.join(', ')} (and a multipart part named "file")`,
      unknown[0]!,
    );
  }
}

function kindOf(params: Params): MediaKind | undefined {
  const raw = params.optional('mediatype');
  if (raw === undefined) return undefined;
  const upper = raw.toUpperCase();
  if (!isMediaKind(upper))
    throw invalid('mediatype', `must be one of ${MEDIA_KINDS.map((k) => k.toLowerCase()).join(', ')}`);
  return upper;
}

function details(params: Params, field: string): MediaDetails {
  return { field, kind: kindOf(params), filename: params.optional('filename'), caption: params.raw('caption') };
}

/** JSON, form-encoded, or no body (parameters in the query string): a URL or base64 data. */
async function fromParams(
  req: IncomingMessage,
  query: Params,
  contentType: string,
  tenantId: string,
  media: MediaService,
): Promise<UploadResult> {
  const params = query;
  let data: string | undefined;
  let json: JsonData | undefined;
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody) {
    if (contentType === 'application/json') {
      json = await fromJson(req, params, media);
    } else if (contentType === 'application/x-www-form-urlencoded') {
      const body = await readBody(req, DEFAULT_MAX_BODY_BYTES);
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(body);
      } catch {
        throw malformed('the body is not valid UTF-8');
      }
      for (const [name, value] of new URLSearchParams(text)) {
        if (name.toLowerCase() === 'apikey') throw apiKeyInBody();
        params.add(name, value);
      }
    } else {
      throw new RestError(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        `send the body as application/json, application/x-www-form-urlencoded or multipart/form-data${contentType ? `, not ${quote(contentType)}` : ' (the content-type header is missing)'}`,
      );
    }
  }
  if (json) {
    // The file is stored already (streamed while the body was read): commit it, or drop it.
    const { staged, contentType: declared } = json;
    try {
      checkNames(params);
      if (params.has('mediaurl')) throw invalid('mediaurl', 'and data are both given; send one of them');
      return await media.commit(tenantId, staged, { ...details(params, 'data'), contentType: declared });
    } catch (err) {
      await media.discard(staged);
      throw err;
    }
  }
  checkNames(params);
  data ??= params.has('data') ? params.raw('data') : undefined;
  const url = params.optional('mediaurl');
  if (url !== undefined && data !== undefined) throw invalid('mediaurl', 'and data are both given; send one of them');
  if (url !== undefined) return media.fromUrl(tenantId, url, details(params, 'mediaurl'));
  if (data !== undefined) {
    const { bytes, contentType: declared } = decodeBase64(data);
    return media.upload(tenantId, chunks(bytes), {
      ...details(params, 'data'),
      contentType: declared,
      sizeHint: bytes.length,
    });
  }
  throw invalid(
    'mediaurl',
    'or data (base64) is required, or send the file as multipart/form-data in a part named "file"',
  );
}

type JsonData = { staged: Staged; contentType: string | undefined };

/**
 * A JSON body, read as it arrives: its members become parameters and its `data` (base64) is
 * decoded into the media store while it streams, so no request holds the file in memory.
 * Returns the staged file when there was a `data` member.
 */
async function fromJson(req: IncomingMessage, params: Params, media: MediaService): Promise<JsonData | undefined> {
  // Base64 grows the bytes by 4/3: the body may be that much larger than the media cap.
  const limit = Math.ceil(media.limits.maxBytes / 3) * 4 + FIELD_MAX;
  const tooLarge = () =>
    new RestError(
      413,
      'MEDIA_TOO_LARGE',
      `data is larger than the largest upload this Herald accepts (${media.limits.maxBytes} bytes, HERALD_MEDIA_MAX_BYTES; its base64 body is limited to ${limit} bytes); larger files: multipart/form-data or mediaUrl`,
      'data',
      { connection: 'close' },
    );
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();

  let source: PassThrough | undefined;
  let staging: Promise<Staged> | undefined;
  let contentType: string | undefined;
  const scanner = new JsonUploadScanner({
    field: (name, value) => {
      if (name.toLowerCase() === 'apikey') throw apiKeyInBody();
      params.add(name, value);
    },
    dataStart: () => {
      if (source || params.has('data')) throw invalid('data', 'is given more than once');
      const kind = kindOf(params);
      source = new PassThrough();
      source.on('error', () => {}); // a refused file is reported by staging
      staging = media.stage(source, { field: 'data', kind });
    },
    dataChunk: (bytes) => void source!.write(bytes),
    dataEnd: (type) => {
      contentType = type;
      source!.end();
    },
  });

  try {
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      let received = 0;
      const settle = (err?: unknown) => {
        if (settled) return;
        settled = true;
        req.off('data', onData);
        if (err === undefined) resolve();
        else {
          req.pause(); // the rest is not read: the answer closes the connection
          reject(err);
        }
      };
      const onData = (chunk: Buffer) => {
        try {
          received += chunk.length;
          if (received > limit) throw tooLarge();
          const before = source;
          scanner.write(chunk);
          if (source && !before) staging!.catch(settle); // a refused file (too large, wrong type) stops the reading
          if (source?.writableNeedDrain) {
            req.pause();
            source.once('drain', () => req.resume());
          }
        } catch (err) {
          settle(err);
        }
      };
      req.on('data', onData);
      req.once('end', () => {
        try {
          scanner.end();
          settle();
        } catch (err) {
          settle(err);
        }
      });
      req.once('error', () => settle(malformed('the request body could not be read')));
      req.once('close', () => {
        if (!req.complete) settle(malformed('the request body was cut short'));
      });
      // Closed before these listeners existed (the client left while its key was checked).
      if (req.destroyed && !req.complete) settle(malformed('the request body was cut short'));
    });
  } catch (err) {
    source?.destroy();
    const staged = await staging?.catch(() => undefined);
    if (staged) await media.discard(staged);
    throw err;
  }
  return staging ? { staged: await staging, contentType } : undefined;
}

const apiKeyInBody = () =>
  new RestError(
    400,
    'INVALID_INPUT',
    'apikey must be sent in the "apikey" header (or as "Authorization: Bearer <key>") for media uploads, not in the body',
    'apikey',
  );

/** Standard or URL-safe base64, whitespace ignored, optionally a data: URL. */
function decodeBase64(raw: string): { bytes: Buffer; contentType: string | undefined } {
  let text = raw.trim();
  let contentType: string | undefined;
  const dataUrl = /^data:([^;,]*)(?:;[^;,=]+=[^;,]*)*;base64,/i.exec(text);
  if (dataUrl) {
    contentType = dataUrl[1] || undefined;
    text = text.slice(dataUrl[0].length);
  }
  text = text.replace(/\s+/g, '');
  if (text.length === 0) throw invalid('data', 'is empty');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text) || text.length % 4 === 1) throw invalid('data', 'is not valid base64');
  return { bytes: Buffer.from(text, 'base64'), contentType };
}

async function* chunks(bytes: Buffer): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += CHUNK) yield bytes.subarray(at, at + CHUNK);
}

/**
 * Streams the part named "file" into the store while the form is parsed; the other fields may
 * come before or after it. The request is read to its end (the rest of an oversize file is
 * discarded) unless it is larger than the cap allows, so the client reads the answer.
 */
async function fromMultipart(
  req: IncomingMessage,
  query: Params,
  tenantId: string,
  media: MediaService,
): Promise<UploadResult> {
  const bodyCap = media.limits.maxBytes + MULTIPART_SLACK;
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > bodyCap) throw bodyTooLarge(media, bodyCap);

  const params = query;
  let staging: Promise<Staged> | undefined;
  let source: PassThrough | undefined;
  let file: { filename: string | undefined; contentType: string | undefined } | undefined;
  let failure: unknown;
  const fail = (err: unknown) => {
    failure ??= err;
  };

  await new Promise<void>((resolve) => {
    let bb: ReturnType<typeof Busboy>;
    try {
      bb = Busboy({
        headers: req.headers as { 'content-type': string },
        limits: {
          files: 1,
          fields: 20,
          parts: 21,
          fieldSize: FIELD_MAX,
          fileSize: media.limits.maxBytes + 1,
          headerPairs: 50,
        },
      });
    } catch (err) {
      fail(malformed(`the multipart body cannot be read: ${err instanceof Error ? err.message : 'bad header'}`));
      resolve();
      return;
    }
    let received = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        received += chunk.length;
        if (received > bodyCap) done(bodyTooLarge(media, bodyCap));
        else done(null, chunk);
      },
    });
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      resolve();
    };
    // Parsing stops: the file being stored (if any) fails too, so staging settles.
    const abort = (err: unknown) => {
      fail(err);
      req.unpipe(counter);
      source?.destroy(err instanceof Error ? err : new Error(String(err)));
      finish();
    };
    bb.on('field', (name, value, _nameTruncated, valueTruncated) => {
      if (valueTruncated) return fail(invalid(name.toLowerCase(), `is longer than ${FIELD_MAX} bytes`));
      try {
        if (name.toLowerCase() === 'apikey') throw apiKeyInBody();
        params.add(name, value);
      } catch (err) {
        fail(err);
      }
    });
    bb.on('file', (name, stream, filename, _encoding, mimeType) => {
      // A part cut short errors on its own stream as well as on the parser; the parser's
      // 'error' is the one that answers the request. Unlistened, the part's would end Herald.
      stream.on('error', () => {});
      if (name.toLowerCase() !== 'file' || failure) {
        if (name.toLowerCase() !== 'file')
          fail(invalid(name.toLowerCase(), 'is a file part; send the file in the part named "file"'));
        stream.resume();
        return;
      }
      file = { filename: filename || undefined, contentType: mimeType || undefined };
      let kind: MediaKind | undefined;
      try {
        kind = kindOf(params);
      } catch (err) {
        fail(err);
        stream.resume();
        return;
      }
      const pass = new PassThrough();
      source = pass;
      // A cut-short body destroys `pass` with the parser's error; that error reaches the store
      // through its reader and is recorded by `fail`. Without a listener of its own, a `pass`
      // destroyed before the store starts reading would be an unhandled 'error' event: an exit.
      pass.on('error', () => {});
      stream.on('error', (err) => pass.destroy(err));
      stream.pipe(pass);
      staging = media.stage(pass, { field: 'file', kind });
      // A refused file stops being stored; the rest of it is read and dropped.
      staging.catch((err: unknown) => {
        fail(err);
        stream.unpipe(pass);
        stream.resume();
      });
    });
    bb.on('filesLimit', () => fail(invalid('file', 'is given more than once; send one file per request')));
    bb.on('fieldsLimit', () => fail(malformed('too many form fields')));
    bb.on('partsLimit', () => fail(malformed('too many form parts')));
    bb.on('error', (err) =>
      abort(
        err instanceof RestError
          ? err
          : malformed(`the multipart body cannot be read: ${err instanceof Error ? err.message : 'error'}`),
      ),
    );
    bb.on('finish', finish);
    counter.on('error', abort);
    req.on('error', () => abort(malformed('the request body could not be read')));
    req.on('close', () => {
      if (!req.complete) abort(malformed('the request body was cut short'));
    });
    req.pipe(counter).pipe(bb);
    // A client gone while its key was being checked closed the request before these listeners
    // existed: without this the parser would wait for the rest of the body forever.
    if (req.destroyed && !req.complete) abort(malformed('the request body was cut short'));
  });

  const staged = staging ? await staging.catch(() => undefined) : undefined;
  if (failure !== undefined) {
    if (staged) await media.discard(staged);
    throw failure;
  }
  try {
    checkNames(params);
    if (params.has('mediaurl') || params.has('data'))
      throw invalid(
        params.has('mediaurl') ? 'mediaurl' : 'data',
        'cannot be combined with a file part; send one of them',
      );
    if (!staged)
      throw invalid(
        'file',
        'is required: send the file in a multipart part named "file" (or use mediaUrl / data in a JSON body)',
      );
    return await media.commit(tenantId, staged, {
      ...details(params, 'file'),
      filename: params.optional('filename') ?? file?.filename,
      contentType: file?.contentType,
    });
  } catch (err) {
    if (staged) await media.discard(staged);
    throw err;
  }
}

function bodyTooLarge(media: MediaService, cap: number): RestError {
  return new RestError(
    413,
    'MEDIA_TOO_LARGE',
    `file is larger than the largest upload this Herald accepts (${media.limits.maxBytes} bytes, HERALD_MEDIA_MAX_BYTES; the request is limited to ${cap} bytes)`,
    'file',
    { connection: 'close' },
  );
}

/** The media domain's refusals as REST answers. */
export function toRestError(err: unknown): unknown {
  if (err instanceof RestError) return err;
  if (err instanceof ValidationError) return new RestError(400, 'INVALID_INPUT', err.message, err.field);
  if (err instanceof MediaTooLargeError) return new RestError(413, 'MEDIA_TOO_LARGE', err.message, err.field);
  if (err instanceof UnsupportedMediaError) return new RestError(415, 'UNSUPPORTED_MEDIA_TYPE', err.message, err.field);
  if (err instanceof MediaUrlRefusedError) return new RestError(400, 'URL_REFUSED', err.message, err.field);
  if (err instanceof MediaFetchError) return new RestError(422, 'MEDIA_FETCH_FAILED', err.message, err.field);
  return err;
}
