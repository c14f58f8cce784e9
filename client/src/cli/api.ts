import { createHeraldClient } from '../client.js';
import { HeraldRequestError } from '../errors.js';
import type { Recipient } from './mapping.js';
import {
  CliAddRecipientsDocument,
  CliApiKeysDocument,
  type CliCountersFragment,
  CliCampaignProgressDocument,
  CliCreateApiKeyDocument,
  CliCreateCampaignDocument,
  CliCreateTenantDocument,
  CliDiagnosticsDocument,
  type CliMessageFragment,
  CliMessageDocument,
  type CliMessageStatusSubscription,
  CliMessageStatusDocument,
  CliRevokeApiKeyDocument,
  CliSendEmailDocument,
  CliSendSmsDocument,
  CliSendWhatsAppDocument,
  CliStartCampaignDocument,
  CliTenantsDocument,
  type CreateApiKeyInput,
  type CreateCampaignInput,
  type SendEmailInput,
  type SendSmsInput,
  type SendWhatsAppInput,
} from './graphql.js';

// The `herald` command talks to a running Herald over its public API only, through this
// package's own client: GraphQL over HTTP for commands, graphql-ws for live progress. Typed
// results come from graphql.ts (generated from operations.graphql); a refusal becomes an
// ApiError naming what Herald said.

export class ApiError extends Error {}

export type HeraldApi = ReturnType<typeof heraldApi>;

export function heraldApi(url: string, apiKey: string) {
  const client = createHeraldClient({ url, apiKey });
  const refused = (r: { __typename: string; message?: string; field?: string }) =>
    new ApiError(`${r.__typename}${r.field ? ` (${r.field})` : ''}: ${r.message ?? ''}`);
  // Herald refusing the request as a whole (a key without the scope…) is an ApiError too.
  const call = async <T>(request: Promise<T>): Promise<T> => {
    try {
      return await request;
    } catch (err) {
      throw err instanceof HeraldRequestError ? new ApiError(err.message) : err;
    }
  };

  return {
    async createCampaign(input: CreateCampaignInput) {
      const { createCampaign: r } = await call(client.mutate(CliCreateCampaignDocument, { input }));
      if (r.__typename !== 'Campaign') throw refused(r);
      return r;
    },
    async addRecipients(campaignId: string, recipients: Recipient[]) {
      const { addCampaignRecipients: r } = await call(
        client.mutate(CliAddRecipientsDocument, { campaignId, recipients }),
      );
      if (r.__typename !== 'CampaignRecipientsAdded') throw refused(r);
      return r;
    },
    /** Starts the campaign; one that an earlier run started already is fine. */
    async startCampaign(id: string): Promise<{ status: string }> {
      const { startCampaign: r } = await call(client.mutate(CliStartCampaignDocument, { id }));
      if (r.__typename === 'Campaign') return r;
      if (r.__typename === 'CampaignStateError' && r.status !== 'DRAFT' && r.status !== 'PAUSED')
        return { status: r.status };
      throw refused(r);
    },
    /** The campaign's counters as they change, until it is done. */
    async *campaignProgress(id: string): AsyncGenerator<{ status: string; counters: CliCountersFragment }> {
      for await (const data of client.subscribe(CliCampaignProgressDocument, { id })) yield data.campaignProgress;
    },
    async diagnostics() {
      return (await call(client.query(CliDiagnosticsDocument))).diagnostics;
    },
    /** Herald's /healthz: reachable at all, and its database answering. */
    async health(): Promise<{ status: number; body: string }> {
      const res = await fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(5_000) });
      return { status: res.status, body: await res.text() };
    },
    async apiKeys() {
      return (await call(client.query(CliApiKeysDocument))).apiKeys;
    },
    async createApiKey(input: CreateApiKeyInput) {
      const { createApiKey: r } = await call(client.mutate(CliCreateApiKeyDocument, { input }));
      if (r.__typename !== 'IssuedApiKey') throw refused(r);
      return r;
    },
    async revokeApiKey(id: string) {
      const { revokeApiKey: r } = await call(client.mutate(CliRevokeApiKeyDocument, { id }));
      if (r.__typename !== 'ApiKey') throw refused(r);
      return r;
    },
    async tenants() {
      return (await call(client.query(CliTenantsDocument))).tenants;
    },
    async createTenant(name: string) {
      const { createTenant: r } = await call(client.mutate(CliCreateTenantDocument, { name }));
      if (r.__typename !== 'IssuedApiKey') throw refused(r);
      return r;
    },
    async sendSms(input: SendSmsInput): Promise<CliMessageFragment> {
      const { sendSms: r } = await call(client.mutate(CliSendSmsDocument, { input }));
      if (r.__typename !== 'Message') throw refused(r);
      return r;
    },
    async sendWhatsApp(input: SendWhatsAppInput): Promise<CliMessageFragment> {
      const { sendWhatsApp: r } = await call(client.mutate(CliSendWhatsAppDocument, { input }));
      if (r.__typename !== 'Message') throw refused(r);
      return r;
    },
    async sendEmail(input: SendEmailInput): Promise<CliMessageFragment> {
      const { sendEmail: r } = await call(client.mutate(CliSendEmailDocument, { input }));
      if (r.__typename !== 'Message') throw refused(r);
      return r;
    },
    async message(id: string): Promise<CliMessageFragment> {
      const { message } = await call(client.query(CliMessageDocument, { id }));
      if (!message) throw new ApiError(`NotFoundError: no message ${id}`);
      return message;
    },
    /** The message's status history, then its changes as they happen, until `signal` aborts. */
    async *messageStatus(
      id: string,
      signal: AbortSignal,
    ): AsyncGenerator<CliMessageStatusSubscription['messageStatusChanged']> {
      for await (const data of client.subscribe(CliMessageStatusDocument, { id }, { signal }))
        yield data.messageStatusChanged;
    },
  };
}
