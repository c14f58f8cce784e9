import { z } from 'zod';

// Every environment variable Herald reads, parsed and validated in one place.
// The README's configuration table mirrors this schema.
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().url().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  HERALD_DATA_DIR: z.string().default('./data'),
  HERALD_BOOTSTRAP_API_KEY: z.string().min(24, 'HERALD_BOOTSTRAP_API_KEY must be at least 24 characters').optional(),
  HERALD_DEFAULT_COUNTRY: z
    .string()
    .regex(/^[A-Z]{2}$/, 'HERALD_DEFAULT_COUNTRY must be an ISO 3166 alpha-2 code such as IN or US')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  REDIS_URL: z.string().url().optional(),
  // Delivery engine.
  HERALD_WORKERS: z.coerce.number().int().min(0).max(64).default(4),
  HERALD_DISPATCH_BATCH: z.coerce.number().int().min(1).max(1000).default(100),
  HERALD_LEASE_MS: z.coerce.number().int().min(1000).default(30_000),
  HERALD_POLL_MS: z.coerce.number().int().min(10).default(1000),
  HERALD_SEND_TIMEOUT_MS: z.coerce.number().int().min(50).default(10_000),
  HERALD_RETRY_BASE_MS: z.coerce.number().int().min(1).default(1000),
  HERALD_RETRY_CAP_MS: z.coerce.number().int().min(1).default(300_000),
  HERALD_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  HERALD_RATE_LIMITS: z
    .string()
    .regex(
      /^(?:[a-z0-9_-]+(?::[^=,]+)?=[1-9]\d*)(?:,[a-z0-9_-]+(?::[^=,]+)?=[1-9]\d*)*$/,
      'HERALD_RATE_LIMITS is a list like "sandbox=80,twilio:+14155550100=50" (sends per second)',
    )
    .optional(),
  HERALD_RECONCILE_AFTER_MS: z.coerce.number().int().min(100).default(60_000),
  HERALD_STUCK_SENT_AFTER_MS: z.coerce.number().int().min(1000).default(3_600_000),
  HERALD_SANDBOX_DELAY_MS: z.coerce.number().int().min(0).default(200),
  // Customer callbacks (status changes POSTed to tenants' endpoints).
  HERALD_CALLBACK_WORKERS: z.coerce.number().int().min(0).max(64).default(2),
  HERALD_CALLBACK_BATCH: z.coerce.number().int().min(1).max(1000).default(50),
  HERALD_CALLBACK_POLL_MS: z.coerce.number().int().min(10).default(200),
  HERALD_CALLBACK_TIMEOUT_MS: z.coerce.number().int().min(50).default(10_000),
  HERALD_CALLBACK_RETRY_BASE_MS: z.coerce.number().int().min(1).default(5_000),
  HERALD_CALLBACK_RETRY_CAP_MS: z.coerce.number().int().min(1).default(3_600_000),
  HERALD_CALLBACK_MAX_AGE_MS: z.coerce.number().int().min(1000).default(86_400_000),
  // Routing: which provider sends each channel.
  HERALD_ROUTE_SMS: z.string().default('sandbox'),
  HERALD_ROUTE_WHATSAPP: z.string().default('sandbox'),
  HERALD_ROUTE_EMAIL: z.string().default('sandbox'),
  TWILIO_ACCOUNT_SID: z.string().optional(),
  TWILIO_AUTH_TOKEN: z.string().optional(),
  TWILIO_FROM: z.string().optional(),
  TWILIO_BASE_URL: z.string().url().default('https://api.twilio.com'),
  // Webhooks: the address providers call, and the sandbox's signing secret.
  HERALD_PUBLIC_URL: z
    .string()
    .url()
    .regex(/^https?:\/\/[^?#]*$/, 'HERALD_PUBLIC_URL is the http(s) base URL providers call, without query or fragment, e.g. https://herald.example.com')
    .optional(),
  HERALD_SANDBOX_WEBHOOK_SECRET: z.string().min(16, 'HERALD_SANDBOX_WEBHOOK_SECRET must be at least 16 characters').optional(),
  // REST (SMSMedia-compatible) API: the serviceid of each channel, and a per-key request limit.
  HERALD_SERVICE_IDS: z
    .string()
    .regex(
      /^(?:whatsapp|sms|email)=\d{1,9}(?:,(?:whatsapp|sms|email)=\d{1,9})*$/i,
      'HERALD_SERVICE_IDS is a list like "whatsapp=18,sms=6,email=10"',
    )
    .optional(),
  HERALD_REST_RATE_LIMIT: z.coerce.number().int().min(1).optional(),
});

export type DeliveryConfig = {
  /** Dispatch pipelines in this process; 0 serves the API only. */
  workers: number;
  batchSize: number;
  leaseMs: number;
  pollMs: number;
  sendTimeoutMs: number;
  retry: { baseMs: number; capMs: number; maxAttempts: number };
  /** Sends per second by "provider" or "provider:sender". */
  rateLimits: Record<string, number>;
  reconcileAfterMs: number;
  /** A SENT message without a report for this long is reported as stuck. */
  stuckSentAfterMs: number;
};

export type CallbackConfig = {
  /** Callback pipelines in a dispatching process; 0 sends no callbacks from it. */
  workers: number;
  batchSize: number;
  pollMs: number;
  /** Per POST: connect, headers and body. */
  timeoutMs: number;
  retry: { baseMs: number; capMs: number };
  /** A delivery still failing this long after its event is given up (FAILED). */
  maxAgeMs: number;
};

export type ProvidersConfig = {
  routes: { SMS: string; WHATSAPP: string; EMAIL: string };
  sandboxDelayMs: number;
  twilio?: { accountSid: string; authToken: string; from: string | undefined; baseUrl: string };
  /**
   * HERALD_PUBLIC_URL when it is set: providers are told to report to `<it>/webhooks/<name>`
   * (Twilio's StatusCallback). Unset, no callback URL is sent (a loopback one cannot work and
   * would override a callback configured on a Twilio Messaging Service).
   */
  callbackBaseUrl: string | undefined;
  /** Enables the sandbox's signed webhook (POST /webhooks/sandbox). */
  sandboxWebhookSecret: string | undefined;
};

export type RestConfig = {
  /** The serviceid each channel's endpoint answers to (SMSMedia: 18 WhatsApp, 6 SMS, 10 email). */
  serviceIds: { WHATSAPP: number; SMS: number; EMAIL: number };
  /** Requests per second per API key on the REST send endpoints, per process; undefined: no limit. */
  rateLimitPerSecond: number | undefined;
};

export type Config = {
  port: number;
  host: string;
  /** PostgreSQL connection string; when absent Herald runs on embedded PGlite. */
  databaseUrl: string | undefined;
  databasePoolSize: number;
  /** PGlite directory; 'memory://' keeps it in memory (tests). */
  dataDir: string;
  bootstrapApiKey: string | undefined;
  defaultCountry: string | undefined;
  logLevel: string;
  redisUrl: string | undefined;
  /** The externally visible base URL (no trailing slash), as providers that sign URLs see it. */
  publicUrl: string;
  delivery: DeliveryConfig;
  callbacks: CallbackConfig;
  providers: ProvidersConfig;
  rest: RestConfig;
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  // A send must end (or time out) well inside its lease, or a second worker could claim the
  // message while the first is still sending it.
  if (e.HERALD_LEASE_MS < e.HERALD_SEND_TIMEOUT_MS + 1000) {
    throw new ConfigError(
      `Invalid configuration:\n  HERALD_LEASE_MS (${e.HERALD_LEASE_MS}) must be at least HERALD_SEND_TIMEOUT_MS (${e.HERALD_SEND_TIMEOUT_MS}) + 1000`,
    );
  }
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    dataDir: e.HERALD_DATA_DIR,
    bootstrapApiKey: e.HERALD_BOOTSTRAP_API_KEY,
    defaultCountry: e.HERALD_DEFAULT_COUNTRY,
    logLevel: e.LOG_LEVEL,
    redisUrl: e.REDIS_URL,
    publicUrl: (e.HERALD_PUBLIC_URL ?? `http://127.0.0.1:${e.PORT}`).replace(/\/+$/, ''),
    delivery: {
      workers: e.HERALD_WORKERS,
      batchSize: e.HERALD_DISPATCH_BATCH,
      leaseMs: e.HERALD_LEASE_MS,
      pollMs: e.HERALD_POLL_MS,
      sendTimeoutMs: e.HERALD_SEND_TIMEOUT_MS,
      retry: { baseMs: e.HERALD_RETRY_BASE_MS, capMs: e.HERALD_RETRY_CAP_MS, maxAttempts: e.HERALD_MAX_ATTEMPTS },
      rateLimits: Object.fromEntries(
        (e.HERALD_RATE_LIMITS?.split(',') ?? []).map((pair) => {
          const at = pair.lastIndexOf('=');
          return [pair.slice(0, at), Number(pair.slice(at + 1))];
        }),
      ),
      reconcileAfterMs: e.HERALD_RECONCILE_AFTER_MS,
      stuckSentAfterMs: e.HERALD_STUCK_SENT_AFTER_MS,
    },
    callbacks: {
      workers: e.HERALD_CALLBACK_WORKERS,
      batchSize: e.HERALD_CALLBACK_BATCH,
      pollMs: e.HERALD_CALLBACK_POLL_MS,
      timeoutMs: e.HERALD_CALLBACK_TIMEOUT_MS,
      retry: { baseMs: e.HERALD_CALLBACK_RETRY_BASE_MS, capMs: e.HERALD_CALLBACK_RETRY_CAP_MS },
      maxAgeMs: e.HERALD_CALLBACK_MAX_AGE_MS,
    },
    providers: {
      routes: { SMS: e.HERALD_ROUTE_SMS, WHATSAPP: e.HERALD_ROUTE_WHATSAPP, EMAIL: e.HERALD_ROUTE_EMAIL },
      sandboxDelayMs: e.HERALD_SANDBOX_DELAY_MS,
      ...(e.TWILIO_ACCOUNT_SID && e.TWILIO_AUTH_TOKEN
        ? { twilio: { accountSid: e.TWILIO_ACCOUNT_SID, authToken: e.TWILIO_AUTH_TOKEN, from: e.TWILIO_FROM, baseUrl: e.TWILIO_BASE_URL } }
        : {}),
      callbackBaseUrl: e.HERALD_PUBLIC_URL?.replace(/\/+$/, ''),
      sandboxWebhookSecret: e.HERALD_SANDBOX_WEBHOOK_SECRET,
    },
    rest: {
      serviceIds: {
        WHATSAPP: 18,
        SMS: 6,
        EMAIL: 10,
        ...Object.fromEntries(
          (e.HERALD_SERVICE_IDS?.split(',') ?? []).map((pair) => {
            const [channel, id] = pair.split('=');
            return [channel!.toUpperCase(), Number(id)];
          }),
        ),
      },
      rateLimitPerSecond: e.HERALD_REST_RATE_LIMIT,
    },
  };
}
