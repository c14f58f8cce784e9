import { createGraphQLError, type Plugin } from 'graphql-yoga';

// How large a /graphql request body may be. Multipart requests (uploadMedia) carry one file of
// at most HERALD_MEDIA_MAX_BYTES: the same limit as REST uploads and URL fetches, and what the
// README documents. Past it the answer is the typed MEDIA_TOO_LARGE, whichever limit noticed:
// the declared Content-Length (app.ts, before anything is read), the multipart parser's file
// size limit, or the byte count of a body streamed without a length (the only bodies counted as
// they stream: a declared length is all a body can hold). Other bodies (JSON
// operations) keep a limit of their own. Yoga's built-in limit (25,000,000 bytes by default,
// for every body) is turned off in app.ts: it would cut uploads short of the documented cap.

/** Bodies that are not multipart: Yoga's former default, unchanged. */
export const GRAPHQL_MAX_BODY_BYTES = 25_000_000;

/** Room for the GraphQL multipart fields (operations, map) around the file. */
export const GRAPHQL_MULTIPART_SLACK = 1024 * 1024;

const isMultipart = (contentType: string | null | undefined): boolean => /^multipart\//i.test(contentType ?? '');

/** The error of an upload over the limit: the same code and message whichever check saw it. */
export function uploadTooLarge(maxBytes: number) {
  return createGraphQLError(
    `file is larger than the largest upload this Herald accepts (${maxBytes} bytes, HERALD_MEDIA_MAX_BYTES)`,
    {
      extensions: {
        code: 'MEDIA_TOO_LARGE',
        field: 'file',
        limitBytes: maxBytes,
        http: { status: 413, headers: { connection: 'close' } },
      },
    },
  );
}

const bodyTooLarge = (limit: number) =>
  createGraphQLError(`the request body is limited to ${limit} bytes`, {
    extensions: { code: 'REQUEST_ENTITY_TOO_LARGE', http: { status: 413, headers: { connection: 'close' } } },
  });

/** True for the parser's and the byte counter's "too large" refusals. */
function isTooLarge(err: unknown): boolean {
  const ext = (err as { extensions?: { code?: unknown; http?: { status?: unknown } } } | null)?.extensions;
  return ext?.code === 'REQUEST_ENTITY_TOO_LARGE' || ext?.http?.status === 413;
}

/**
 * The body limits of /graphql as a Yoga plugin. `maxBytes` is HERALD_MEDIA_MAX_BYTES; a
 * multipart body may hold that and GRAPHQL_MULTIPART_SLACK more.
 */
export function useBodyLimits(maxBytes: number, jsonLimit = GRAPHQL_MAX_BODY_BYTES): Plugin {
  const multipartLimit = maxBytes + GRAPHQL_MULTIPART_SLACK;
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const multipart = isMultipart(request.headers.get('content-type'));
      const limit = multipart ? multipartLimit : jsonLimit;
      const refusal = () => (multipart ? uploadTooLarge(maxBytes) : bodyTooLarge(limit));
      const length = request.headers.get('content-length');
      const declared = length === null ? Number.NaN : Number(length);
      if (Number.isFinite(declared) && declared > limit) throw refusal();
      if (!requestParser || !request.body) return;
      // Node's HTTP parser reads exactly the declared length (and refuses a body that also says
      // chunked): a JSON body declared within the limit has nothing left to count. Multipart
      // bodies still pass below, where the parser's own file size refusal gets the typed error.
      if (!multipart && Number.isFinite(declared)) return;
      const parse = requestParser;
      setRequestParser(async (req) => {
        // Counted as it streams: a body without a Content-Length is stopped at the limit too.
        const Transform = req.body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
        let read = 0;
        let over = false;
        const counted = req.body!.pipeThrough(
          new Transform<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
              read += chunk.byteLength;
              if (read <= limit) return controller.enqueue(chunk);
              over = true;
              controller.error(refusal());
            },
          }),
        );
        const limited = new fetchAPI.Request(req.url, {
          method: req.method,
          headers: req.headers,
          signal: req.signal,
          body: counted,
          duplex: 'half',
        } as RequestInit);
        try {
          return await parse(limited);
        } catch (err) {
          // The parsers wrap what the counter raised; the multipart parser raises its own
          // "File size limit exceeded" for a file over formDataLimits.fileSize.
          if (over || (multipart && isTooLarge(err))) throw refusal();
          throw err;
        }
      });
    },
  };
}
