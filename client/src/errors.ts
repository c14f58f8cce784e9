// What the client throws, beyond the typed results Herald answers with.

/** One GraphQL error as Herald sent it: its message, where, and `extensions.code`. */
export type HeraldGraphQLError = {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
};

/**
 * Herald refused a request as a whole: GraphQL errors (a missing scope, a document over the
 * limits, variables that do not coerce), or an HTTP status such as 401 for a wrong key. Domain
 * refusals (a ValidationError naming the field…) are not thrown: they are typed results.
 */
export class HeraldRequestError extends Error {
  override readonly name = 'HeraldRequestError';
  constructor(
    readonly errors: readonly HeraldGraphQLError[],
    /** The HTTP status, when there was one. */
    readonly status?: number,
  ) {
    super(errors.map((e) => (e.extensions?.code ? `${e.message} (${e.extensions.code})` : e.message)).join('; '));
  }
  /** The first error's `extensions.code` (`UNAUTHENTICATED`, `FORBIDDEN`, `TOO_MANY_SUBSCRIPTIONS`…). */
  get code(): string | undefined {
    return this.errors.find((e) => e.extensions?.code)?.extensions?.code;
  }
}

/** The subscription's connection closed for good (Herald stopped, the key was revoked…). */
export class HeraldConnectionError extends Error {
  override readonly name = 'HeraldConnectionError';
  constructor(
    message: string,
    /** The WebSocket close code (4403: the key was revoked) or the HTTP status of an SSE stream. */
    readonly code?: number,
  ) {
    super(message);
  }
}
