import { ForbiddenError } from '../errors.js';
import type { Scope } from '../vocabulary.js';
import type { GraphQLContext } from './context.js';

// node(id) and nodes(ids) reach every Node type, so they must ask for the same scope as the
// typed root field of each (message, template, media, webhookEndpoints, apiKeys, campaign). A Node type
// missing here is refused to every key: a new type is closed until its scope is written down.

export const NODE_SCOPES: Readonly<Record<string, Scope>> = {
  Message: 'read',
  Template: 'read',
  Media: 'read',
  WebhookEndpoint: 'read',
  ApiKey: 'admin',
  Campaign: 'read',
};

/** Null when the caller may load nodes of `typename`, else the error to answer with. */
export function nodeRefusal(ctx: GraphQLContext, typename: string): ForbiddenError | null {
  const scope = NODE_SCOPES[typename];
  if (scope && ctx.principal.scopes.includes(scope)) return null;
  return new ForbiddenError(
    scope ? `node: ${typename} needs the ${scope.toUpperCase()} scope` : `node: ${typename} cannot be loaded by id`,
  );
}
