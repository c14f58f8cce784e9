import { getOperationAST, type DocumentNode, type GraphQLSchema, Kind, print } from 'graphql';
import type { Principal } from '../../tenancy/service.js';
import type { SharePolicy } from './live-groups.js';

// What makes two subscribers receive the same payloads: the same tenant and scopes (what the
// schema lets them see), the same document and operation (what is selected) and the same
// variables. The subscription field decides whether it may be shared at all: its
// `extensions: { live: 'shared' | 'latest' }` in the Pothos schema; without it each subscriber
// is a group of its own.

const printed = new WeakMap<DocumentNode, string>();

function documentText(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` are the same variables. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The sharing policy of the operation's root field ('own' unless the field declares one). */
export function sharePolicy(schema: GraphQLSchema, document: DocumentNode, operationName?: string | null): SharePolicy {
  const operation = getOperationAST(document, operationName);
  const selections = operation?.selectionSet.selections ?? [];
  const root = selections[0];
  // One plain root field (a subscription has exactly one); anything else is not shared.
  if (operation?.operation !== 'subscription' || selections.length !== 1 || root?.kind !== Kind.FIELD) return 'own';
  const live = schema.getSubscriptionType()?.getFields()[root.name.value]?.extensions?.live;
  return live === 'shared' || live === 'latest' ? live : 'own';
}

export function liveKey(
  principal: Principal,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: unknown,
): string {
  return [
    principal.tenantId,
    [...principal.scopes].sort().join(','),
    operationName ?? '',
    documentText(document),
    stableJson(variables ?? {}),
  ].join('\u0000');
}
