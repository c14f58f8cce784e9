import { print } from 'graphql';
import { GraphQLClient } from 'graphql-request';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import {
  type CliCountersFragment,
  type CliCampaignProgressSubscription,
  CliCampaignProgressDocument,
  type CreateCampaignInput,
  getSdk,
} from './sdk.js';
import type { Recipient } from './mapping.js';

// The CLI talks to a running Herald over its public API only: GraphQL over HTTP for commands,
// graphql-ws for live progress. Typed results come from src/cli/sdk.ts (generated from
// operations.graphql); a refusal becomes an ApiError naming what Herald said.

export class ApiError extends Error {}

export type HeraldApi = ReturnType<typeof heraldApi>;

export function heraldApi(url: string, apiKey: string) {
  const endpoint = new URL('/graphql', url).toString();
  const sdk = getSdk(new GraphQLClient(endpoint, { headers: { authorization: `Bearer ${apiKey}` } }));
  const refused = (r: { __typename: string; message?: string; field?: string }) =>
    new ApiError(`${r.__typename}${r.field ? ` (${r.field})` : ''}: ${r.message ?? ''}`);

  return {
    async createCampaign(input: CreateCampaignInput) {
      const { createCampaign: r } = await sdk.CliCreateCampaign({ input });
      if (r.__typename !== 'Campaign') throw refused(r);
      return r;
    },
    async addRecipients(campaignId: string, recipients: Recipient[]) {
      const { addCampaignRecipients: r } = await sdk.CliAddRecipients({ campaignId, recipients });
      if (r.__typename !== 'CampaignRecipientsAdded') throw refused(r);
      return r;
    },
    /** Starts the campaign; one that an earlier run started already is fine. */
    async startCampaign(id: string): Promise<{ status: string }> {
      const { startCampaign: r } = await sdk.CliStartCampaign({ id });
      if (r.__typename === 'Campaign') return r;
      if (r.__typename === 'CampaignStateError' && r.status !== 'DRAFT' && r.status !== 'PAUSED')
        return { status: r.status };
      throw refused(r);
    },
    /** The campaign's counters as they change, until it is done. */
    async *campaignProgress(id: string): AsyncGenerator<{ status: string; counters: CliCountersFragment }> {
      const ws = createClient({
        url: endpoint.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { apiKey },
        retryAttempts: 5,
        lazy: true,
      });
      try {
        const updates = ws.iterate<CliCampaignProgressSubscription>({
          query: print(CliCampaignProgressDocument),
          variables: { id },
        });
        for await (const update of updates) {
          if (update.errors?.length) throw new ApiError(update.errors.map((e) => e.message).join('; '));
          if (update.data) yield update.data.campaignProgress;
        }
      } finally {
        await ws.dispose();
      }
    },
  };
}
