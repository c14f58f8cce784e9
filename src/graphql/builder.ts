import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import type { GraphQLContext } from './context.js';
import { nodeRefusal } from './node-scopes.js';

// Plugins and options only; every type lives in its own file under types/.
export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  AuthScopes: { send: boolean; read: boolean; admin: boolean; operator: boolean };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
    ID: { Input: string; Output: string };
    /** An uploaded file (GraphQL multipart request); input only. */
    File: { Input: File; Output: never };
  };
  DefaultFieldNullability: false;
}>({
  plugins: [ScopeAuthPlugin, RelayPlugin, ErrorsPlugin, DataloaderPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    // Subscriptions are checked when subscribing, before they attach to the status hub or
    // replay a history (by default only each event's resolve was checked).
    authorizeOnSubscribe: true,
    authScopes: (ctx) => ({
      send: ctx.principal.scopes.includes('send'),
      read: ctx.principal.scopes.includes('read'),
      admin: ctx.principal.scopes.includes('admin'),
      operator: ctx.principal.isOperator && ctx.principal.scopes.includes('admin'),
    }),
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // Each id is checked against its type's scope before anything is loaded (node-scopes.ts);
    // in nodes(ids) a refused id is an error at its own index, the others still load.
    nodeQueryOptions: {
      resolve: (_root, { id }, ctx, _info, resolveNode) => {
        const refused = nodeRefusal(ctx, id.typename);
        if (refused) throw refused;
        return resolveNode(id);
      },
    },
    nodesQueryOptions: {
      resolve: async (_root, args, ctx, _info, resolveNodes) => {
        const ids = args.ids;
        const refusals = ids.map((id) => nodeRefusal(ctx, id.typename));
        const allowed = ids.filter((_id, i) => !refusals[i]);
        // Pothos's helper loads args.ids whatever it is handed: narrow them first.
        args.ids = allowed;
        const loaded = await resolveNodes(allowed);
        let next = 0;
        return ids.map((_id, i) => refusals[i] ?? loaded[next++]);
      },
    },
  },
  // Every field with expected failures returns its own object or one of the error types
  // (directResult), in a union named after the field: sendSms -> SendSmsResult. Fields list only
  // their error types.
  errors: {
    defaultTypes: [],
    directResult: true,
    defaultUnionOptions: { name: ({ fieldName }) => `${capitalize(fieldName)}Result` },
    defaultResultOptions: { name: ({ fieldName }) => `${capitalize(fieldName)}Success` },
  },
});

function capitalize(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
