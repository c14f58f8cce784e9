import type { Channel } from './vocabulary.js';

// Expected failures of the domain. The APIs translate them: GraphQL into typed members of a
// result union, REST into status codes. Anything else is a fault and stays masked.

export abstract class HeraldError extends Error {
  abstract readonly code: string;
}

/** Input that Herald refuses; `field` names the offending input path (e.g. "to", "params.2"). */
export class ValidationError extends HeraldError {
  readonly code = 'INVALID_INPUT';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export class NotFoundError extends HeraldError {
  readonly code = 'NOT_FOUND';
  constructor(
    readonly resource: string,
    readonly id: string,
  ) {
    super(`${resource} ${id} was not found`);
  }
}

/** The caller's key lacks a scope the operation needs. */
export class ForbiddenError extends HeraldError {
  readonly code = 'FORBIDDEN';
}

/** The message is in a state that forbids the operation (cancel a sent message, retry a queued one). */
export class InvalidStateError extends HeraldError {
  readonly code = 'INVALID_STATE';
  constructor(
    readonly status: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A MARKETING message to a recipient on the tenant's suppression list (an opt-out): refused,
 * nothing stored. `field` is the input that names the recipient.
 */
export class RecipientSuppressedError extends HeraldError {
  readonly code = 'RECIPIENT_SUPPRESSED';
  constructor(
    readonly field: string,
    readonly channel: Channel,
    readonly recipient: string,
  ) {
    super(
      `${field} ${recipient} opted out of marketing messages on ${channel} (suppression list): send it as UTILITY or AUTHENTICATION if it is one, or not at all`,
    );
  }
}

/** The campaign is in a state that forbids the operation (add recipients to a completed one). */
export class CampaignStateError extends HeraldError {
  readonly code = 'INVALID_CAMPAIGN_STATE';
  constructor(
    readonly status: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * An upstream (a provider's management API) refused the request or could not be reached.
 * `provider` names the tenant's provider; `retryable` says whether the same request may succeed later.
 */
export class UpstreamError extends HeraldError {
  readonly code = 'UPSTREAM_ERROR';
  constructor(
    readonly provider: string,
    readonly retryable: boolean,
    message: string,
  ) {
    super(message);
  }
}
