import { PothosValidationError } from '@pothos/core';
import { GraphQLError } from 'graphql';
import { HeraldError } from '../errors.js';

// Which GraphQL errors are the client's mistakes (logged at debug) and which are Herald's own
// faults (logged at error). Variables that do not coerce, unknown enum values and bad cursors
// arrive as GraphQLErrors written for the client; a missing scope is Pothos' ForbiddenError (a
// PothosValidationError); the domain's refusals are HeraldErrors. Anything else thrown while
// executing is a fault.

export function isClientMistake(original: unknown): boolean {
  return (
    original instanceof GraphQLError || original instanceof PothosValidationError || original instanceof HeraldError
  );
}

/** An error Yoga hands its logger: a client-facing GraphQLError unless it wraps a fault. */
export function isClientFacing(value: unknown): boolean {
  if (!(value instanceof GraphQLError)) return false;
  return value.originalError == null || isClientMistake(value.originalError);
}

/** What a refusal is, for a debug line: its class and code, never its message (it may quote input). */
export function kindOf(error: unknown): string {
  const name = error instanceof Error ? error.constructor.name : typeof error;
  const code =
    error instanceof HeraldError ? error.code : error instanceof GraphQLError ? error.extensions?.code : undefined;
  return typeof code === 'string' ? `${name}:${code}` : name;
}

export function pathOf(error: unknown): string | undefined {
  return error instanceof GraphQLError && error.path ? error.path.join('.') : undefined;
}
