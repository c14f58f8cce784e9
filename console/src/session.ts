import { createContext, useContext } from 'react';
import type { Client } from 'graphql-ws';
import type { ApiKeyScope } from './gql/graphql';

// The key lives in sessionStorage only: it is gone when the browser tab closes.
const KEY = 'herald.apiKey';

export const storedKey = (): string | null => window.sessionStorage.getItem(KEY);
export const storeKey = (key: string): void => window.sessionStorage.setItem(KEY, key);
export const forgetKey = (): void => window.sessionStorage.removeItem(KEY);

export type Session = {
  key: string;
  scopes: ApiKeyScope[];
  tenantName: string;
  live: Client;
  signOut(): void;
};

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in session');
  return session;
}

export const can = (session: Pick<Session, 'scopes'>, scope: ApiKeyScope): boolean => session.scopes.includes(scope);
