// Outbound calls that follow a caller's signal. One listener per signal however many calls share
// it: a dispatcher's shutdown signal would otherwise collect hundreds (Node warns past 10).
const following = new WeakMap<AbortSignal, Set<AbortController>>();

/** Aborts `controller` when `signal` aborts; call the returned function once the call is over. */
export function followSignal(signal: AbortSignal, controller: AbortController): () => void {
  let calls = following.get(signal);
  if (!calls) {
    const set = new Set<AbortController>();
    signal.addEventListener(
      'abort',
      () => {
        for (const c of set) c.abort(signal.reason);
      },
      { once: true },
    );
    following.set(signal, set);
    calls = set;
  }
  calls.add(controller);
  return () => calls.delete(controller);
}

/**
 * A signal that aborts when `parent` does (with its reason) or after `ms` (a TimeoutError, as
 * AbortSignal.timeout's): what AbortSignal.any with a timeout gives, without its cost per call
 * (a weak reference and finalizer per signal, in every send and callback). Call `done` once the
 * call is over.
 */
export function deadline(parent: AbortSignal, ms: number): { signal: AbortSignal; done: () => void } {
  const controller = new AbortController();
  if (parent.aborted) controller.abort(parent.reason);
  const unfollow = followSignal(parent, controller);
  const timer = setTimeout(
    () => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
    ms,
  );
  return {
    signal: controller.signal,
    done: () => {
      clearTimeout(timer);
      unfollow();
    },
  };
}
