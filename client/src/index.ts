// @herald/client: a typed client for Herald's GraphQL API.
export {
  createHeraldClient,
  type HeraldClient,
  type HeraldClientOptions,
  type SubscribeOptions,
  type VariablesArgs,
} from './client.js';
export { HeraldConnectionError, type HeraldGraphQLError, HeraldRequestError } from './errors.js';
export type { HeraldSubscription } from './push-iterator.js';
// A typed document (and its result and variable types) for every operation in Herald's
// schema/operations/: pass them to query, mutate and subscribe.
export * from './graphql.js';
