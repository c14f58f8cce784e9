import { HeraldError } from '../errors.js';

// Media refusals, beside the shared ValidationError (bad input such as a caption that is too
// long). Each names the input at fault in `field` (file, url, data...) and starts its message
// with it, like ValidationError. The APIs map them: GraphQL to typed union members, REST to 413,
// 415, 400 and 422.

/** The file is larger than its limit (the overall cap, or the limit of its kind on WhatsApp). */
export class MediaTooLargeError extends HeraldError {
  readonly code = 'MEDIA_TOO_LARGE';
  constructor(
    readonly field: string,
    readonly limitBytes: number,
    message: string,
  ) {
    super(message);
  }
}

/** The bytes are not a type Herald accepts, or not the type the client said they are. */
export class UnsupportedMediaError extends HeraldError {
  readonly code = 'UNSUPPORTED_MEDIA';
  constructor(
    readonly field: string,
    /** What the bytes are, as far as they could be recognised; null when not at all. */
    readonly detectedType: string | null,
    message: string,
  ) {
    super(message);
  }
}

/** A media URL Herald will not fetch: not http(s), credentials in it, or a private address. */
export class MediaUrlRefusedError extends HeraldError {
  readonly code = 'URL_REFUSED';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** A media URL that could not be fetched: DNS, connection, timeout, redirects, HTTP status. */
export class MediaFetchError extends HeraldError {
  readonly code = 'MEDIA_FETCH_FAILED';
  constructor(
    readonly field: string,
    message: string,
    /** The HTTP status the server answered, when it answered. */
    readonly httpStatus: number | null = null,
  ) {
    super(message);
  }
}
