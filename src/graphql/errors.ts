import { PothosValidationError } from '@pothos/core';
import { ForbiddenError as ScopeForbiddenError } from '@pothos/plugin-scope-auth';
import { GraphQLError } from 'graphql';
import { HeraldError, NotFoundError, ValidationError } from '../errors.js';
import { builder } from './builder.js';

// The domain's expected failures as GraphQL types. Fields list the ones they can return in
// `errors: { types: [...] }`, which makes them members of the field's result union.

export const ErrorInterface = builder.interfaceRef<HeraldError>('Error').implement({
  description: 'An expected failure: the request was understood and refused; nothing changed.',
  fields: (t) => ({
    message: t.exposeString('message'),
    code: t.exposeString('code'),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: 'Input that Herald refuses; `field` names the input that is wrong.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ field: t.exposeString('field') }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ resource: t.exposeString('resource') }),
});

/**
 * Domain errors raised by fields without a result union (queries, connections) still reach the
 * client with their message and code; only unexpected faults are masked. So do refusals of
 * scope-auth (FORBIDDEN) and input Pothos parses itself, such as a malformed global id given to
 * node(id)/nodes(ids) (INVALID_INPUT).
 */
export function exposeDomainError(error: unknown): GraphQLError | null {
  const original = error instanceof GraphQLError ? error.originalError : error;
  let extensions: Record<string, unknown>;
  // ScopeForbiddenError is a PothosValidationError too: test it first.
  if (original instanceof ScopeForbiddenError) extensions = { code: 'FORBIDDEN' };
  else if (original instanceof PothosValidationError) {
    const root = error instanceof GraphQLError ? error.path?.[0] : undefined;
    extensions = { code: 'INVALID_INPUT', field: root === 'nodes' ? 'ids' : root === 'node' ? 'id' : null };
  } else if (original instanceof HeraldError) {
    extensions = { code: original.code };
    if (original instanceof ValidationError) extensions.field = original.field;
  } else return null;
  // The located error itself, completed: Yoga logs every error its maskError replaces at error
  // level, and these are the client's mistakes, not Herald's faults.
  if (error instanceof GraphQLError && error.message === (original as Error).message) {
    Object.assign(error.extensions, extensions);
    return error;
  }
  return new GraphQLError((original as Error).message, {
    ...(error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {}),
    extensions,
  });
}
