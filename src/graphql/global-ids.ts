import { decodeGlobalID } from '@pothos/plugin-relay';

/**
 * A filter's id argument that takes a Relay global id or the plain id: the global id of `typename`
 * becomes its plain id; anything else is passed on as given, for the domain to refuse by name.
 */
export function plainIdOf(typename: string, id: string): string {
  try {
    const decoded = decodeGlobalID(id);
    if (decoded.typename === typename) return decoded.id;
  } catch {
    // not a global id
  }
  return id;
}
