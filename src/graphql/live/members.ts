import type { ExecutionResult } from 'graphql';
import type { WebSocket } from 'ws';
import { SubscriberTooSlowError } from '../../pubsub/status-hub.js';
import type { Member } from './live-groups.js';

// The two kinds of group member. A graphql-ws subscription writes the group's bytes straight to
// its socket, only its own `id` spliced in front; graphql-ws itself holds a control iterator
// that yields nothing and ends with the subscription (complete, error, or the client's
// `complete` / closed socket calling return()). An SSE stream is an async iterator of results
// that Yoga serialises as for any other subscription.

/** Close code for a socket whose unsent bytes passed the bound: "try again later". */
export const SLOW_CONSUMER_CLOSE_CODE = 1013;

const SUFFIX = Buffer.from('}');

/** An iterator that ends (or fails) when told, and calls `onReturn` if the caller stops first. */
function control(onReturn: () => void) {
  let settle: { resolve: (r: IteratorResult<ExecutionResult>) => void; reject: (e: unknown) => void } | undefined;
  let outcome: { err?: unknown } | undefined;
  const finish = (err?: unknown) => {
    if (outcome) return;
    outcome = { err };
    if (err !== undefined) settle?.reject(err);
    else settle?.resolve({ value: undefined, done: true });
  };
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    next: () => {
      if (outcome)
        return outcome.err !== undefined
          ? Promise.reject(outcome.err)
          : Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => {
        settle = { resolve, reject };
      });
    },
    return: async () => {
      onReturn();
      finish();
      return { value: undefined, done: true };
    },
    throw: async (err: unknown) => {
      onReturn();
      finish(err);
      throw err;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return { iterator, finish };
}

/**
 * A graphql-ws subscription `id` on `socket`. A socket holding more than `maxBufferedBytes`
 * unsent is closed with SLOW_CONSUMER_CLOSE_CODE (the client reconnects and subscribes again)
 * rather than buffering without bound.
 */
export function socketMember(socket: WebSocket, id: string, maxBufferedBytes: number) {
  const prefix = Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);
  let leave = () => {};
  const { iterator, finish } = control(() => leave());
  const member: Member = {
    deliver: (_result, json) => {
      if (socket.readyState !== socket.OPEN) return;
      if (socket.bufferedAmount > maxBufferedBytes) {
        socket.close(SLOW_CONSUMER_CLOSE_CODE, 'client too slow: unsent events passed the bound');
        return;
      }
      socket.send(Buffer.concat([prefix, json, SUFFIX]), { binary: false });
    },
    end: (err) => finish(err),
  };
  return {
    member,
    /** What graphql-ws iterates: nothing until the subscription ends. */
    iterator,
    setLeave: (fn: () => void) => {
      leave = fn;
    },
  };
}

/** An SSE stream's results, at most `maxQueued` waiting (then it ends with SubscriberTooSlowError). */
export function iteratorMember(maxQueued: number) {
  const queue: ExecutionResult[] = [];
  let waiting: ((r: IteratorResult<ExecutionResult>) => void) | undefined;
  let failWaiting: ((err: unknown) => void) | undefined;
  let ended: { err?: unknown } | undefined;
  let leave = () => {};
  const end = (err?: unknown) => {
    if (ended) return;
    ended = { err };
    if (err !== undefined && failWaiting) failWaiting(err);
    else waiting?.({ value: undefined, done: true });
    waiting = failWaiting = undefined;
  };
  const member: Member = {
    deliver: (result) => {
      if (ended) return;
      if (waiting) {
        const resolve = waiting;
        waiting = failWaiting = undefined;
        resolve({ value: result, done: false });
      } else if (queue.length >= maxQueued) {
        queue.length = 0;
        leave();
        end(new SubscriberTooSlowError());
      } else queue.push(result);
    },
    end,
  };
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    next: () => {
      if (queue.length > 0) return Promise.resolve({ value: queue.shift()!, done: false });
      if (ended?.err !== undefined) return Promise.reject(ended.err);
      if (ended) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => {
        waiting = resolve;
        failWaiting = reject;
      });
    },
    return: async () => {
      leave();
      end();
      return { value: undefined, done: true };
    },
    throw: async (err: unknown) => {
      leave();
      end();
      throw err;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return {
    member,
    iterator,
    setLeave: (fn: () => void) => {
      leave = fn;
    },
  };
}
