import { type DocumentNode, print } from 'graphql';
import { GraphQLClient } from 'graphql-request';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import {
  type CliCountersFragment,
  type CliCampaignProgressSubscription,
  CliCampaignProgressDocument,
  type CliMessageFragment,
  type CliMessageStatusSubscription,
  CliMessageStatusDocument,
  type CreateApiKeyInput,
  type CreateCampaignInput,
  getSdk,
  type SendEmailInput,
  type SendSmsInput,
  type SendWhatsAppInput,
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

  /**
   * A subscription over graphql-ws, as an iterator of its results; ends when Herald completes it
   * or `signal` aborts (which closes the socket even while a result is awaited).
   */
  async function* subscribe<Data>(
    document: DocumentNode,
    variables: Record<string, unknown>,
    signal?: AbortSignal,
  ): AsyncGenerator<Data> {
    const ws = createClient({
      url: endpoint.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { apiKey },
      retryAttempts: 5,
      lazy: true,
    });
    signal?.addEventListener('abort', () => void ws.dispose(), { once: true });
    try {
      for await (const update of ws.iterate<Data>({ query: print(document), variables })) {
        if (update.errors?.length) throw new ApiError(update.errors.map((e) => e.message).join('; '));
        if (update.data) yield update.data;
      }
    } finally {
      await ws.dispose();
    }
  }

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
      for await (const data of subscribe<CliCampaignProgressSubscription>(CliCampaignProgressDocument, { id }))
        yield data.campaignProgress;
    },
    async diagnostics() {
      return (await sdk.CliDiagnostics()).diagnostics;
    },
    /** Herald's /healthz: reachable at all, and its database answering. */
    async health(): Promise<{ status: number; body: string }> {
      const res = await fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(5_000) });
      return { status: res.status, body: await res.text() };
    },
    async apiKeys() {
      return (await sdk.CliApiKeys()).apiKeys;
    },
    async createApiKey(input: CreateApiKeyInput) {
      const { createApiKey: r } = await sdk.CliCreateApiKey({ input });
      if (r.__typename !== 'IssuedApiKey') throw refused(r);
      return r;
    },
    async revokeApiKey(id: string) {
      const { revokeApiKey: r } = await sdk.CliRevokeApiKey({ id });
      if (r.__typename !== 'ApiKey') throw refused(r);
      return r;
    },
    async tenants() {
      return (await sdk.CliTenants()).tenants;
    },
    async createTenant(name: string) {
      const { createTenant: r } = await sdk.CliCreateTenant({ name });
      if (r.__typename !== 'IssuedApiKey') throw refused(r);
      return r;
    },
    async sendSms(input: SendSmsInput): Promise<CliMessageFragment> {
      const { sendSms: r } = await sdk.CliSendSms({ input });
      if (r.__typename !== 'Message') throw refused(r);
      return r;
    },
    async sendWhatsApp(input: SendWhatsAppInput): Promise<CliMessageFragment> {
      const { sendWhatsApp: r } = await sdk.CliSendWhatsApp({ input });
      if (r.__typename !== 'Message') throw refused(r);
      return r;
    },
    async sendEmail(input: SendEmailInput): Promise<CliMessageFragment> {
      const { sendEmail: r } = await sdk.CliSendEmail({ input });
      if (r.__typename !== 'Message') throw refused(r);
      return r;
    },
    async message(id: string): Promise<CliMessageFragment> {
      const { message } = await sdk.CliMessage({ id });
      if (!message) throw new ApiError(`NotFoundError: no message ${id}`);
      return message;
    },
    /** The message's status history, then its changes as they happen, until `signal` aborts. */
    async *messageStatus(
      id: string,
      signal: AbortSignal,
    ): AsyncGenerator<CliMessageStatusSubscription['messageStatusChanged']> {
      for await (const data of subscribe<CliMessageStatusSubscription>(CliMessageStatusDocument, { id }, signal))
        yield data.messageStatusChanged;
    },
  };
}
