// A callback source (graphql-ws sinks, an SSE stream) as an async iterator: values pushed are
// pulled in order by `for await`; it ends when the source completes, throws what the source
// fails with, and stops the source when the consumer returns early (`break`) or `signal` aborts.

export type Sink<T> = {
  next(value: T): void;
  error(error: unknown): void;
  complete(): void;
};

/** What a subscription returns: `for await` it; `return()` ends it early. */
export type HeraldSubscription<T> = AsyncIterableIterator<T> & {
  return(): Promise<IteratorResult<T, undefined>>;
};

/** `start` begins the source and returns how to stop it; it is called once, at once. */
export function pushIterator<T>(start: (sink: Sink<T>) => () => void, signal?: AbortSignal): HeraldSubscription<T> {
  const values: T[] = [];
  let ended = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const sink: Sink<T> = {
    next: (value) => {
      if (ended) return;
      values.push(value);
      notify();
    },
    error: (error) => {
      if (ended) return;
      ended = true;
      failure = { error };
      notify();
      // A result with errors ends the iteration: the source may still be running.
      stop?.();
    },
    complete: () => {
      ended = true;
      notify();
    },
  };
  let stop: (() => void) | undefined;
  // Ended by the consumer: what was not pulled yet is dropped and the source told to stop.
  const stopEarly = () => {
    const wasEnded = ended;
    ended = true;
    values.length = 0;
    notify();
    if (!wasEnded) stop?.();
  };
  stop = start(sink);
  if (signal?.aborted) stopEarly();
  else signal?.addEventListener('abort', stopEarly, { once: true });

  const iterator: HeraldSubscription<T> = {
    async next(): Promise<IteratorResult<T, undefined>> {
      for (;;) {
        if (values.length > 0) return { value: values.shift() as T, done: false };
        if (failure) {
          const { error } = failure;
          failure = undefined;
          signal?.removeEventListener('abort', stopEarly);
          throw error;
        }
        if (ended) {
          signal?.removeEventListener('abort', stopEarly);
          return { value: undefined, done: true };
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
    async return() {
      signal?.removeEventListener('abort', stopEarly);
      stopEarly();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
