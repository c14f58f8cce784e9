import { z } from 'zod';
import type { Channel } from '../vocabulary.js';
import type { OutboundGuard } from '../net/outbound.js';
import type { Provider } from './provider.js';
import { createSandboxProvider } from './sandbox.js';
import { createSmsMediaProvider } from './smsmedia.js';
import { createSmtpProvider } from './smtp.js';
import { createTwilioProvider } from './twilio.js';
import { createWhatsAppCloudProvider } from './whatsapp-cloud.js';

// The adapters a tenant can configure through the API: what each needs (settings in clear,
// secrets encrypted at rest) and how to build it. Adding an adapter here makes it configurable.

export type BuildContext = {
  /** The instance's name: messages and webhook URLs (/webhooks/<name>) refer to it. */
  name: string;
  /** Public base URL for provider callbacks, when configured. */
  callbackBaseUrl: string | undefined;
  sandboxDelayMs: number;
  now: () => Date;
  /** Tenant providers connect through it: their base URLs and hosts are tenant input. */
  outbound: OutboundGuard;
};

type Kind<S extends z.ZodType, X extends z.ZodType> = {
  channels: readonly Channel[];
  settings: S;
  secrets: X;
  build(settings: z.output<S>, secrets: z.output<X>, ctx: BuildContext): Provider;
  /** Settings that name where Herald connects: checked by the outbound guard when configured. */
  targets?: Partial<Record<keyof z.output<S> & string, 'url' | 'host'>>;
};

const kind = <S extends z.ZodType, X extends z.ZodType>(k: Kind<S, X>) => k as unknown as Kind<z.ZodType, z.ZodType>;

const callbackUrl = (ctx: BuildContext) =>
  ctx.callbackBaseUrl ? { statusCallbackUrl: `${ctx.callbackBaseUrl}/webhooks/${ctx.name}` } : {};

export const PROVIDER_KINDS: Record<string, Kind<z.ZodType, z.ZodType>> = {
  sandbox: kind({
    channels: ['SMS', 'WHATSAPP', 'EMAIL'],
    settings: z.object({}).strict(),
    secrets: z.object({ webhookSecret: z.string().min(16).optional() }).strict(),
    build: (_settings, secrets, ctx) =>
      createSandboxProvider({
        name: ctx.name,
        delayMs: ctx.sandboxDelayMs,
        now: ctx.now,
        ...(secrets.webhookSecret ? { webhookSecret: secrets.webhookSecret } : {}),
      }),
  }),
  twilio: kind({
    channels: ['SMS'],
    settings: z
      .object({
        accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'accountSid is "AC" followed by 32 hex digits'),
        from: z.string().optional(),
        messagingServiceSid: z
          .string()
          .regex(/^MG[0-9a-fA-F]{32}$/, 'messagingServiceSid is "MG" followed by 32 hex digits')
          .optional(),
        baseUrl: z.string().url().optional(),
        maxPerSecond: z.number().int().min(1).max(10_000).optional(),
      })
      .strict(),
    secrets: z
      .object({ authToken: z.string().min(16, 'authToken is the Auth Token of your Twilio console (32 characters)') })
      .strict(),
    targets: { baseUrl: 'url' },
    build: (settings, secrets, ctx) =>
      createTwilioProvider({
        ...settings,
        authToken: secrets.authToken,
        name: ctx.name,
        outbound: ctx.outbound,
        ...callbackUrl(ctx),
      }),
  }),
  'whatsapp-cloud': kind({
    channels: ['WHATSAPP'],
    settings: z
      .object({
        phoneNumberId: z.string().regex(/^\d{1,32}$/, 'phoneNumberId is the numeric id of the business phone number'),
        wabaId: z
          .string()
          .regex(/^\d{1,32}$/, 'wabaId is the numeric id of the WhatsApp Business Account (for template management)')
          .optional(),
        appId: z
          .string()
          .regex(/^\d{1,32}$/, 'appId is the numeric id of the Meta app (for template header samples)')
          .optional(),
        baseUrl: z.string().url().optional(),
        apiVersion: z
          .string()
          .regex(/^v\d{1,3}\.\d{1,2}$/, 'apiVersion is a Graph API version such as v23.0')
          .optional(),
        maxPerSecond: z.number().int().min(1).max(1000).optional(),
      })
      .strict(),
    secrets: z
      .object({
        accessToken: z.string().min(16, 'accessToken is required'),
        appSecret: z.string().optional(),
        verifyToken: z.string().optional(),
      })
      .strict(),
    targets: { baseUrl: 'url' },
    build: (settings, secrets, ctx) =>
      createWhatsAppCloudProvider({ ...settings, ...secrets, name: ctx.name, outbound: ctx.outbound }),
  }),
  smsmedia: kind({
    channels: ['WHATSAPP', 'SMS', 'EMAIL'],
    settings: z
      .object({
        baseUrl: z.string().url().optional(),
        senderId: z.string().optional(),
        serviceIds: z
          .object({ WHATSAPP: z.number().int(), SMS: z.number().int(), EMAIL: z.number().int() })
          .partial()
          .optional(),
        maxPerSecond: z.number().int().min(1).max(10_000).optional(),
      })
      .strict(),
    secrets: z
      .object({ apiKey: z.string().min(8, 'apiKey is required'), webhookToken: z.string().min(16).optional() })
      .strict(),
    targets: { baseUrl: 'url' },
    build: (settings, secrets, ctx) =>
      createSmsMediaProvider({ ...settings, ...secrets, name: ctx.name, outbound: ctx.outbound }),
  }),
  smtp: kind({
    channels: ['EMAIL'],
    settings: z
      .object({
        host: z.string().min(1, 'host is required'),
        port: z.number().int().min(1).max(65535).optional(),
        secure: z.boolean().optional(),
        requireTls: z.boolean().optional(),
        user: z.string().optional(),
        from: z.string().optional(),
        poolSize: z.number().int().min(1).max(100).optional(),
      })
      .strict(),
    secrets: z.object({ password: z.string().optional() }).strict(),
    targets: { host: 'host' },
    build: (settings, secrets, ctx) =>
      createSmtpProvider({ ...settings, ...secrets, name: ctx.name, outbound: ctx.outbound }),
  }),
};
