import type { DocumentNode, ExecutionResult, GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { WebSocket } from 'ws';
import type { Principal } from '../../tenancy/service.js';
import type { GraphQLContext } from '../context.js';
import { LiveGroups } from './live-groups.js';
import { liveKey, sharePolicy } from './live-key.js';
import { iteratorMember, socketMember } from './members.js';

// Every subscription of this process, over graphql-ws (app.ts) or SSE (the Yoga plugin below),
// joins its group here. A group runs its subscription through Yoga's envelope like any other
// operation (masked errors, scope checks) with a context of its own, marked `liveGroup` so the
// plugins that act per subscriber (this one, subscription-guard.ts) leave it alone.

export type LiveRequest = {
  principal: Principal;
  document: DocumentNode;
  operationName?: string | null;
  variables?: Readonly<Record<string, unknown>> | null;
};

/** Runs one group's subscription (app.ts: Yoga's envelope, a context of its own). */
export type RunSubscription = (req: LiveRequest) => Promise<AsyncIterable<ExecutionResult> | ExecutionResult>;

export type LiveContext = GraphQLContext & { liveGroup?: boolean };

export class LiveSubscriptions {
  readonly groups: LiveGroups;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly run: RunSubscription,
    private readonly limits: { maxBufferedBytes: number; maxQueued: number },
    onError: (err: unknown) => void,
  ) {
    this.groups = new LiveGroups(onError);
  }

  /** A graphql-ws subscription: what graphql-ws iterates (nothing, until it ends). */
  socket(socket: WebSocket, id: string, req: LiveRequest): AsyncIterableIterator<ExecutionResult> {
    const m = socketMember(socket, id, this.limits.maxBufferedBytes);
    m.setLeave(this.join(req, m.member));
    return m.iterator;
  }

  /** An SSE subscription: its results, serialised by Yoga. */
  stream(req: LiveRequest): AsyncIterableIterator<ExecutionResult> {
    const m = iteratorMember(this.limits.maxQueued);
    m.setLeave(this.join(req, m.member));
    return m.iterator;
  }

  private join(req: LiveRequest, member: Parameters<LiveGroups['join']>[3]): () => void {
    const policy = sharePolicy(this.schema, req.document, req.operationName);
    const key = policy === 'own' ? '' : liveKey(req.principal, req.document, req.operationName, req.variables);
    return this.groups.join(key, policy, () => this.run(req), member);
  }
}

/** Yoga plugin: SSE subscriptions join their group instead of running on their own. */
export function useLiveSubscriptions(live: () => LiveSubscriptions): Plugin {
  return {
    onSubscribe({ args, setSubscribeFn }) {
      const ctx = args.contextValue as unknown as LiveContext;
      if (ctx.liveGroup) return;
      setSubscribeFn((a) =>
        live().stream({
          principal: ctx.principal,
          document: a.document,
          operationName: a.operationName,
          variables: a.variableValues,
        }),
      );
    },
  };
}
