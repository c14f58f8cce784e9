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
        for (const c of set) c.abort();
      },
      { once: true },
    );
    following.set(signal, set);
    calls = set;
  }
  calls.add(controller);
  return () => calls.delete(controller);
}
