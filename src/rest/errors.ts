// The REST surface's refusals: an HTTP status, a stable code, a message a user understands and,
// for a parameter problem, the REST name of that parameter. Never carries a secret: messages
// name parameters and echo at most a short, sanitised piece of a value that is not the key.

export type RestErrorCode =
  | 'INVALID_INPUT'
  | 'MALFORMED_REQUEST'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'IDEMPOTENCY_CONFLICT'
  | 'RECIPIENT_SUPPRESSED'
  | 'PAYLOAD_TOO_LARGE'
  | 'MEDIA_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'URL_REFUSED'
  | 'MEDIA_FETCH_FAILED'
  | 'RATE_LIMITED'
  | 'INTERNAL'
  | 'NOT_IMPLEMENTED';

export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: RestErrorCode,
    message: string,
    readonly field: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** 400 naming the parameter; the message starts with its name, as GraphQL's ValidationError does. */
export const invalid = (field: string, message: string): RestError =>
  new RestError(400, 'INVALID_INPUT', `${field} ${message}`, field);

export const malformed = (message: string): RestError => new RestError(400, 'MALFORMED_REQUEST', message);

/** A parameter name or value quoted in an error: short, printable, never a raw control character. */
export function quote(value: string, max = 40): string {
  const cut = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(cut);
}

/** The error body every refusal carries. */
export type ErrorBody = { status: 'error'; error: { code: RestErrorCode; message: string; field: string | null } };

export const errorBody = (e: RestError): ErrorBody => ({
  status: 'error',
  error: { code: e.code, message: e.message, field: e.field },
});
