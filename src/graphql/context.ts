import type { Services } from '../services.js';
import type { Principal } from '../tenancy/service.js';

/** Built per request (or per WebSocket subscription); DataLoaders hang off this object. */
export type GraphQLContext = {
  principal: Principal;
  services: Services;
};
