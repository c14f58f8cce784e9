import { useSyncExternalStore } from 'react';

// A few routes do not need a router library: the History API and one store.
const listeners = new Set<() => void>();
const notify = () => {
  for (const listener of listeners) listener();
};
window.addEventListener('popstate', notify);

export function navigate(path: string, replace = false): void {
  if (replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  notify();
}

export function usePath(): string {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => window.location.pathname,
  );
}

/** `/console/messages/m_1` → `['messages', 'm_1']` (also for the page served at `/`). */
export function routeOf(path: string): string[] {
  return path
    .replace(/^\/console\/?/, '/')
    .split('/')
    .filter(Boolean)
    .map((part) => decodeURIComponent(part));
}
