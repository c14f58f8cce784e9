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
 * client with their message and code; only unexpected faults are masked.
 */
export function exposeDomainError(error: unknown): GraphQLError | null {
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (!(original instanceof HeraldError)) return null;
  const extensions: Record<string, unknown> = { code: original.code };
  if (original instanceof ValidationError) extensions.field = original.field;
  return new GraphQLError(original.message, {
    ...(error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {}),
    extensions,
  });
}
