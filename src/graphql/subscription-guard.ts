import { GraphQLError, type ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { KeyWatch } from '../tenancy/key-watch.js';
import type { GraphQLContext } from './context.js';

// Every subscription, over graphql-ws or SSE, passes here once it has started: it ends when its
// API key is revoked (tenancy/key-watch.ts gives the bound), and SSE subscriptions are capped
// per key (graphql-ws ones per connection, in app.ts), so one client cannot pin unbounded
// streams and hub subscribers. A live group's own run (graphql/live/) is no subscriber: it is
// left alone, and each of its members is guarded instead (SSE streams here; graphql-ws sockets
// close on revocation in app.ts).

type Context = GraphQLContext & { viaWebSocket?: boolean; liveGroup?: boolean };

export const revokedKeyError = (): GraphQLError =>
  new GraphQLError('the API key of this subscription was revoked', { extensions: { code: 'UNAUTHENTICATED' } });

export const tooManySubscriptionsError = (limit: number, setting: string, per: string): GraphQLError =>
  new GraphQLError(`at most ${limit} open subscriptions per ${per} (${setting}); complete one first`, {
    extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', limit },
  });

export function subscriptionGuard(opts: { keyWatch: KeyWatch; maxSsePerKey: number }): Plugin {
  const openSse = new Map<string, number>();
  return {
    onSubscribe({ args }) {
      return {
        onSubscribeResult({ result, setResult }) {
          if (!isAsyncIterable(result)) return;
          const ctx = args.contextValue as unknown as Context;
          if (ctx.liveGroup) return;
          const keyId = ctx.principal.keyId;
          const source = result[Symbol.asyncIterator]();
          let release = () => {};
          if (!ctx.viaWebSocket) {
            const open = openSse.get(keyId) ?? 0;
            if (open >= opts.maxSsePerKey) {
              void source.return?.();
              setResult({
                errors: [
                  tooManySubscriptionsError(opts.maxSsePerKey, 'HERALD_MAX_SSE_SUBSCRIPTIONS_PER_KEY', 'API key'),
                ],
              });
              return;
            }
            openSse.set(keyId, open + 1);
            release = () => {
              const left = (openSse.get(keyId) ?? 1) - 1;
              if (left > 0) openSse.set(keyId, left);
              else openSse.delete(keyId);
            };
          }
          setResult(endWhenRevoked(source, (onRevoked) => opts.keyWatch.watch(keyId, onRevoked), release));
        },
      };
    },
  };
}

/**
 * Passes `source` through until the key is revoked; then one last result carries the reason and
 * the stream ends (the source is returned at once, which detaches it from the status hub).
 * `release` runs exactly once, however the stream ends.
 */
function endWhenRevoked(
  source: AsyncIterator<ExecutionResult>,
  watch: (onRevoked: () => void) => () => void,
  release: () => void,
): AsyncIterableIterator<ExecutionResult> {
  let state: 'open' | 'revoked' | 'done' = 'open';
  let wake: (() => void) | undefined;
  const revoked = new Promise<'revoked'>((resolve) => {
    wake = () => resolve('revoked');
  });
  const unwatch = watch(() => {
    if (state === 'open') state = 'revoked';
    wake?.();
  });
  const finish = async (): Promise<IteratorResult<ExecutionResult>> => {
    if (state !== 'done') {
      state = 'done';
      unwatch();
      release();
      // Not awaited: a source parked in a timer (heartbeat) ends when it wakes.
      source.return?.().catch(() => {});
    }
    return { value: undefined, done: true };
  };
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    next: async () => {
      if (state === 'done') return { value: undefined, done: true };
      if (state === 'revoked') {
        await finish();
        return { value: { errors: [revokedKeyError()] }, done: false };
      }
      let r: IteratorResult<ExecutionResult> | 'revoked';
      try {
        r = await Promise.race([source.next(), revoked]);
      } catch (err) {
        await finish(); // a failed stream gives its place back too
        throw err;
      }
      if (r === 'revoked') return iterator.next();
      if (r.done) await finish();
      return r;
    },
    return: finish,
    throw: async (err: unknown) => {
      await finish();
      throw err;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
