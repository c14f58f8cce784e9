import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GraphQLLimitsConfig } from '../config.js';

// What one GraphQL document may ask of Herald, checked before anything runs: size (tokens),
// depth, aliases, directives, cost, and root fields per mutation. A refusal is a GraphQL error
// with an `extensions.code` and HTTP 400, whatever the transport (HTTP, SSE, graphql-ws: they
// all parse and validate through Yoga's Envelop).

export type GraphQLLimits = GraphQLLimitsConfig;

/** Herald's largest page (messages, mediaList, deliveries, stuckMessages): `first: $var` may ask this much. */
const MAX_PAGE = 100;
/** Lists without a page argument (events, callbackDeliveries, attempts, webhookEndpoints...): a typical length. */
const UNPAGED_LIST = 10;
/** A page argument left out and without a declared default. */
const DEFAULT_PAGE = 20;

export class LimitError extends GraphQLError {
  constructor(code: string, message: string) {
    super(message, { extensions: { code } });
  }
}

/** An Armor rule's refusal, reported with Herald's code (Armor's own error has none). */
function refuse(code: string) {
  return [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(new LimitError(code, error.message.replace(/^Syntax Error: /, ''))),
  ];
}

function pageArgument(node: FieldNode, name: string): number | 'absent' {
  const arg = node.arguments?.find((a) => a.name.value === name);
  return arg ? pageSize(arg.value) : 'absent';
}

function pageSize(value: ValueNode): number {
  if (value.kind === Kind.INT) return Math.max(0, Number(value.value));
  if (value.kind === Kind.VARIABLE) {
    // Validation does not see the variables' values: a variable may ask for a whole page.
    return MAX_PAGE;
  }
  // null or a wrong type: the field's own default applies, or validation refuses it.
  return DEFAULT_PAGE;
}

/** How many items a field returns at most, as far as the document tells. */
function multiplier(field: GraphQLField<unknown, unknown>, node: FieldNode, inConnection: boolean): number {
  const paged = field.args.filter((a) => a.name === 'first' || a.name === 'last');
  if (paged.length > 0) {
    let size = 0;
    for (const arg of paged) {
      const given = pageArgument(node, arg.name);
      if (given !== 'absent') size = Math.max(size, given);
    }
    if (size > 0) return size;
    const declared = paged.map((a) => a.defaultValue).find((v): v is number => typeof v === 'number');
    return declared ?? DEFAULT_PAGE;
  }
  if (isListType(getNullableType(field.type))) {
    // A connection's edges and nodes are the page its field already counted.
    return inConnection && (field.name === 'edges' || field.name === 'nodes') ? 1 : UNPAGED_LIST;
  }
  return 1;
}

/**
 * An estimate of what an operation makes Herald resolve: each field counts 1, and what is
 * selected under a list counts once per item it may return (its `first`/`last`, a variable
 * counting as a full page). Introspection is not counted (depth bounds it).
 */
export function operationCost(context: ValidationContext, operation: OperationDefinitionNode): number {
  const schema = context.getSchema();
  const fragments = new Map<string, number>();

  const fragmentCost = (fragment: FragmentDefinitionNode): number => {
    const name = fragment.name.value;
    const known = fragments.get(name);
    if (known !== undefined) return known;
    fragments.set(name, 0); // a cycle (refused by validation) counts nothing
    const type = schema.getType(fragment.typeCondition.name.value);
    const cost = selectionCost(fragment.selectionSet, type, isConnection(type));
    fragments.set(name, cost);
    return cost;
  };

  const selectionCost = (
    set: SelectionSetNode,
    parent: GraphQLNamedType | null | undefined,
    inConnection: boolean,
  ): number => {
    let cost = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        const field =
          isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : undefined;
        if (!field || !selection.selectionSet) {
          cost += 1;
          continue;
        }
        const type = getNamedType(field.type);
        cost +=
          1 +
          multiplier(field, selection, inConnection) * selectionCost(selection.selectionSet, type, isConnection(type));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        cost += selectionCost(selection.selectionSet, type, inConnection || isConnection(type));
      } else {
        const fragment = context.getFragment(selection.name.value);
        if (fragment) cost += fragmentCost(fragment);
      }
    }
    return cost;
  };

  return selectionCost(operation.selectionSet, schema.getRootType(operation.operation), false);
}

const isConnection = (type: GraphQLNamedType | null | undefined): boolean => !!type && type.name.endsWith('Connection');

function costRule(maxCost: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const cost = operationCost(context, operation);
      if (cost > maxCost) {
        context.reportError(
          new LimitError(
            'QUERY_TOO_COMPLEX',
            `Query cost limit of ${maxCost} exceeded, found ${Math.round(cost)}: ask for smaller pages or fewer nested lists.`,
          ),
        );
      }
    },
  });
}

/** Root fields of a mutation (response keys, fragments included): one document cannot send a thousand messages. */
function mutationFieldsRule(max: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      if (operation.operation !== 'mutation') return;
      const keys = new Set<string>();
      const spread = new Set<string>();
      const collect = (set: SelectionSetNode): void => {
        for (const s of set.selections) {
          if (s.kind === Kind.FIELD) {
            if (s.name.value !== '__typename') keys.add(s.alias?.value ?? s.name.value);
          } else if (s.kind === Kind.INLINE_FRAGMENT) collect(s.selectionSet);
          else if (!spread.has(s.name.value)) {
            spread.add(s.name.value);
            const fragment = context.getFragment(s.name.value);
            if (fragment) collect(fragment.selectionSet);
          }
        }
      };
      collect(operation.selectionSet);
      if (keys.size > max) {
        context.reportError(
          new LimitError(
            'TOO_MANY_MUTATIONS',
            `A mutation may have at most ${max} root fields, found ${keys.size}: send the rest in another request.`,
          ),
        );
      }
    },
  });
}

/** Messages that name a limit the document exceeded, with their codes. */
function limitRules(limits: GraphQLLimits): ValidationRule[] {
  const rules: ValidationRule[] = [
    maxDepthRule({
      n: limits.maxDepth,
      flattenFragments: true,
      propagateOnRejection: false,
      onReject: refuse('QUERY_TOO_DEEP'),
    }),
    maxAliasesRule({
      n: limits.maxAliases,
      propagateOnRejection: false,
      onReject: refuse('TOO_MANY_ALIASES'),
    }),
    maxDirectivesRule({
      n: limits.maxDirectives,
      propagateOnRejection: false,
      onReject: refuse('TOO_MANY_DIRECTIVES'),
    }),
    mutationFieldsRule(limits.maxMutationFields),
    costRule(limits.maxCost),
  ];
  if (!limits.introspection) rules.push(introspectionOffRule);
  return rules;
}

const introspectionOffRule: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value === '__schema' || node.name.value === '__type') {
      context.reportError(
        new LimitError(
          'INTROSPECTION_DISABLED',
          'Introspection is disabled on this server (HERALD_GRAPHQL_INTROSPECTION).',
        ),
      );
    }
  },
});

/** Checks only the limits: the cheap rules, run before graphql-js' own (some of which grow with the square of the aliases). */
export function checkLimits(
  limits: GraphQLLimits,
  schema: Parameters<typeof validate>[0],
  document: Parameters<typeof validate>[1],
): readonly GraphQLError[] {
  return validate(schema, document, limitRules(limits), { maxErrors: 10 });
}

// graphql-js suggests names ("Did you mean ...?") in validation and variable errors: with
// introspection off that would still map the schema, so suggestions are never sent.
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

function withoutSuggestions<E extends Error>(error: E): E {
  error.message = error.message.replace(SUGGESTION, '').trim();
  return error;
}

function resultWithoutSuggestions(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  return { ...result, errors: result.errors.map(withoutSuggestions) };
}

/** Envelop plugins enforcing `limits`, for Yoga's `plugins`. */
export function limitsPlugins(limits: GraphQLLimits): Plugin[] {
  const tokens = maxTokensPlugin({
    n: limits.maxTokens,
    onReject: [
      () => {
        throw new LimitError(
          'QUERY_TOO_LARGE',
          `Token limit of ${limits.maxTokens} exceeded: the document is too long.`,
        );
      },
    ],
  }) as Plugin;
  // The checks depend on the schema and the document alone, and Yoga's parser cache hands out the
  // same document object for the same text: a document that passed once passes again, unwalked.
  const passedBySchema = new WeakMap<object, WeakSet<DocumentNode>>();
  const withinLimits = (schema: object, document: DocumentNode) => passedBySchema.get(schema)?.has(document) ?? false;
  const passed = (schema: object, document: DocumentNode) => {
    const documents = passedBySchema.get(schema) ?? new WeakSet<DocumentNode>();
    passedBySchema.set(schema, documents.add(document));
  };
  const checks: Plugin = {
    onParse({ parseFn, setParseFn }) {
      // graphql-js parses recursively: a document nested deeper than the stack (thousands of
      // levels, possible only with a raised token limit) is refused like any other, not a 500.
      setParseFn((source, options) => {
        try {
          return parseFn(source, options);
        } catch (err) {
          if (err instanceof RangeError)
            throw new LimitError('QUERY_TOO_DEEP', 'The document nests too deeply to be parsed.');
          throw err;
        }
      });
    },
    onValidate({ params, setResult }) {
      let refused: readonly GraphQLError[] = [];
      try {
        if (!withinLimits(params.schema, params.documentAST)) {
          refused = checkLimits(limits, params.schema, params.documentAST);
          if (!refused.length) passed(params.schema, params.documentAST);
        }
      } catch (err) {
        // The depth and cost walks recurse too: past the stack, the document is too deep.
        if (!(err instanceof RangeError)) throw err;
        refused = [new LimitError('QUERY_TOO_DEEP', 'The document nests too deeply to be checked.')];
      }
      // A refused document skips graphql-js' validation: nothing else is worth computing.
      if (refused.length) setResult([...refused]);
      return ({ result, setResult: replace }) => replace(result.map(withoutSuggestions));
    },
    onExecute() {
      return {
        onExecuteDone: ({ result, setResult }) => {
          if (!isAsyncIterable(result)) setResult(resultWithoutSuggestions(result));
        },
      };
    },
    onSubscribe() {
      return {
        onSubscribeResult: ({ result, setResult }) => {
          if (!isAsyncIterable(result)) setResult(resultWithoutSuggestions(result));
        },
      };
    },
  };
  // Yoga answers application/json requests refused by validation with 200 (GraphQL over HTTP),
  // and an SSE request with a stream: a refused document is answered 400 with JSON instead,
  // whatever was accepted, so that clients and proxies see the refusal.
  const answer: Plugin = {
    onResultProcess({ result, setResultProcessor }) {
      if (isAsyncIterable(result) || Array.isArray(result)) return;
      const refusals = result.errors?.filter((e) => e instanceof LimitError);
      if (!refusals?.length) return;
      setResultProcessor(
        (_result, fetchAPI) =>
          new fetchAPI.Response(
            JSON.stringify({
              errors: refusals.map((e) => ({ message: e.message, extensions: { code: e.extensions.code } })),
            }),
            {
              status: 400,
              headers: { 'content-type': 'application/json; charset=utf-8' },
            },
          ),
        'application/json',
      );
    },
  };
  return [tokens, checks, answer];
}

const isAsyncIterable = (v: unknown): v is AsyncIterable<unknown> =>
  typeof v === 'object' && v !== null && Symbol.asyncIterator in v;
