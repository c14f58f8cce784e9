import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { type Channel, DEFAULT_SERVICE_IDS } from './vocabulary.js';

// Every environment variable Herald reads, parsed and validated in one place.
// The README's configuration table mirrors this schema.

/** "true"/"false" (also 1/0, yes/no): z.coerce.boolean would read "false" as true. */
const envBoolean = (name: string) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no'], `${name} is true or false`))
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A "whatsapp=18,sms=6,email=10" list of SMSMedia service ids; unnamed channels keep the defaults. */
const serviceIdList = (name: string) =>
  z
    .string()
    .regex(
      /^(?:whatsapp|sms|email)=\d{1,9}(?:,(?:whatsapp|sms|email)=\d{1,9})*$/i,
      `${name} is a list like "whatsapp=18,sms=6,email=10"`,
    )
    .optional();

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
  HERALD_METRICS_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  HERALD_METRICS_HOST: z.string().default('127.0.0.1'),
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty'], 'LOG_FORMAT is auto, json or pretty').default('auto'),
  REDIS_URL: z.string().url().optional(),
  // Subscriptions (graphql-ws and SSE).
  HERALD_MAX_SUBSCRIPTIONS_PER_CONNECTION: z.coerce.number().int().min(1).max(10_000).default(100),
  HERALD_MAX_SSE_SUBSCRIPTIONS_PER_KEY: z.coerce.number().int().min(1).max(100_000).default(100),
  HERALD_WS_MAX_BUFFERED_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  HERALD_KEY_RECHECK_MS: z.coerce.number().int().min(100).default(30_000),
  // Delivery engine.
  HERALD_WORKERS: z.coerce.number().int().min(0).max(64).default(4),
  HERALD_PROCESSES: z.enum(['auto', 'single'], 'HERALD_PROCESSES is auto or single').default('auto'),
  HERALD_DISPATCH_BATCH: z.coerce.number().int().min(1).max(1000).default(100),
  HERALD_CAMPAIGN_IN_FLIGHT: z.coerce.number().int().min(1).max(1000).default(32),
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
  // Provider reports parked for provider ids never recorded: providers stop redelivering after days.
  HERALD_PARKED_REPORT_MAX_AGE_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(3 * 86_400_000),
  HERALD_PARKED_REPORTS_MAX: z.coerce.number().int().min(1).default(100_000),
  HERALD_PARKED_REPORT_SWEEP_MS: z.coerce.number().int().min(50).default(60_000),
  // WhatsApp templates read back from Meta by the dispatch process (0: only webhooks and syncTemplates).
  HERALD_TEMPLATE_SYNC_MS: z.coerce
    .number()
    .int()
    .refine((v) => v === 0 || v >= 1000, 'HERALD_TEMPLATE_SYNC_MS is 0 (off) or at least 1000')
    .default(300_000),
  HERALD_ENCRYPTION_KEY: z.string().min(32, 'HERALD_ENCRYPTION_KEY must be at least 32 characters').optional(),
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
  // Meta WhatsApp Cloud API: the `whatsapp-cloud` provider, when the token and phone number id are set.
  WHATSAPP_ACCESS_TOKEN: z.string().optional(),
  WHATSAPP_PHONE_NUMBER_ID: z
    .string()
    .regex(
      /^\d{1,32}$/,
      'WHATSAPP_PHONE_NUMBER_ID is the numeric id of the business phone number (WhatsApp Manager > API Setup), not the number itself',
    )
    .or(z.literal(''))
    .optional(),
  WHATSAPP_APP_SECRET: z.string().optional(),
  WHATSAPP_VERIFY_TOKEN: z.string().optional(),
  WHATSAPP_BASE_URL: z.string().url().default('https://graph.facebook.com'),
  WHATSAPP_API_VERSION: z
    .string()
    .regex(/^v\d{1,3}\.\d{1,2}$/, 'WHATSAPP_API_VERSION is a Graph API version such as v23.0')
    .default('v23.0'),
  // Email over SMTP: the `smtp` provider, when SMTP_HOST is set.
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  SMTP_SECURE: envBoolean('SMTP_SECURE').optional(),
  SMTP_REQUIRE_TLS: envBoolean('SMTP_REQUIRE_TLS').default(false),
  SMTP_TLS_REJECT_UNAUTHORIZED: envBoolean('SMTP_TLS_REJECT_UNAUTHORIZED').default(true),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_FROM: z.string().optional(),
  SMTP_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(5),
  // SMSMedia's HTTP API as an upstream: the `smsmedia` provider, when SMSMEDIA_API_KEY is set.
  SMSMEDIA_API_KEY: z.string().optional(),
  SMSMEDIA_BASE_URL: z.string().url().default('https://smsmediaapi.patronservices.in'),
  SMSMEDIA_SENDER_ID: z.string().optional(),
  SMSMEDIA_SERVICE_IDS: serviceIdList('SMSMEDIA_SERVICE_IDS'),
  SMSMEDIA_WEBHOOK_TOKEN: z.string().min(16, 'SMSMEDIA_WEBHOOK_TOKEN must be at least 16 characters').optional(),
  SMSMEDIA_METHOD: z.enum(['auto', 'get', 'post'], 'SMSMEDIA_METHOD is auto, get or post').default('auto'),
  // Webhooks: the address providers call, and the sandbox's signing secret.
  HERALD_PUBLIC_URL: z
    .string()
    .url()
    .regex(
      /^https?:\/\/[^?#]*$/,
      'HERALD_PUBLIC_URL is the http(s) base URL providers call, without query or fragment, e.g. https://herald.example.com',
    )
    .optional(),
  HERALD_SANDBOX_WEBHOOK_SECRET: z
    .string()
    .min(16, 'HERALD_SANDBOX_WEBHOOK_SECRET must be at least 16 characters')
    .optional(),
  // REST (SMSMedia-compatible) API: the serviceid of each channel, and a per-key request limit.
  HERALD_SERVICE_IDS: serviceIdList('HERALD_SERVICE_IDS'),
  /** Older name of HERALD_KEY_RATE_LIMIT (it limited REST sends only); used when that is unset. */
  HERALD_REST_RATE_LIMIT: z.coerce.number().int().min(1).optional(),
  // Tenant-supplied outbound URLs (callbacks, provider base URLs, media URLs) may reach private
  // addresses only when this is on; HERALD_MEDIA_ALLOW_PRIVATE_URLS is its older name.
  HERALD_ALLOW_PRIVATE_TARGETS: envBoolean('HERALD_ALLOW_PRIVATE_TARGETS').optional(),
  // Per-API-key request limit on GraphQL, REST and uploads (per process); 0 turns it off.
  HERALD_KEY_RATE_LIMIT: z.coerce
    .number()
    .int()
    .min(0, 'HERALD_KEY_RATE_LIMIT is requests per second per key, 0 for no limit')
    .optional(),
  HERALD_KEY_RATE_BURST: z.coerce.number().int().min(1, 'HERALD_KEY_RATE_BURST is at least 1').optional(),
  // Media: where uploads are kept, how large they may be, and which URLs Herald fetches.
  HERALD_MEDIA_STORE: z.enum(['local', 's3'], { message: 'HERALD_MEDIA_STORE is local or s3' }).default('local'),
  HERALD_MEDIA_DIR: z.string().min(1).optional(),
  HERALD_S3_BUCKET: z.string().min(1).optional(),
  HERALD_S3_PREFIX: z.string().default(''),
  HERALD_S3_ENDPOINT: z.string().url('HERALD_S3_ENDPOINT must be a URL').optional(),
  HERALD_S3_REGION: z.string().min(1).optional(),
  HERALD_S3_FORCE_PATH_STYLE: envBoolean('HERALD_S3_FORCE_PATH_STYLE').optional(),
  HERALD_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  HERALD_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  HERALD_MEDIA_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024, 'HERALD_MEDIA_MAX_BYTES must be at least 1024')
    .max(2_147_483_647, 'HERALD_MEDIA_MAX_BYTES must be below 2 GiB')
    .default(100 * 1024 * 1024),
  HERALD_MEDIA_ALLOW_PRIVATE_URLS: envBoolean('HERALD_MEDIA_ALLOW_PRIVATE_URLS').optional(),
  HERALD_MEDIA_FETCH_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  // GraphQL multipart files are held in memory while parsed: all of them together at most this.
  HERALD_UPLOAD_MEMORY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(2 ** 40)
    .default(256 * 1024 * 1024),
  HERALD_EMAIL_ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(2_147_483_647)
    .default(10 * 1024 * 1024),
  // What one GraphQL document may ask (src/graphql/limits.ts); the defaults leave every
  // operation in schema/operations far inside them.
  HERALD_GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(100).max(10_000).default(2000),
  HERALD_GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(3).max(100).default(10),
  HERALD_GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).max(1000).default(15),
  HERALD_GRAPHQL_MAX_DIRECTIVES: z.coerce.number().int().min(0).max(1000).default(20),
  HERALD_GRAPHQL_MAX_COST: z.coerce.number().int().min(100).max(10_000_000).default(20_000),
  HERALD_GRAPHQL_MAX_MUTATION_FIELDS: z.coerce.number().int().min(1).max(100).default(10),
  HERALD_GRAPHQL_INTROSPECTION: envBoolean('HERALD_GRAPHQL_INTROSPECTION').default(true),
});

type Env = z.output<typeof EnvSchema>;

/** Settings valid one by one but not together: a refusal, never a silent fallback. */
function checkCombinations(e: Env, ctx: z.RefinementCtx): void {
  // A send must end (or time out) well inside its lease, or a second worker could claim the
  // message while the first is still sending it.
  if (e.HERALD_LEASE_MS < e.HERALD_SEND_TIMEOUT_MS + 1000) {
    ctx.addIssue({
      code: 'custom',
      path: [],
      message: `HERALD_LEASE_MS (${e.HERALD_LEASE_MS}) must be at least HERALD_SEND_TIMEOUT_MS (${e.HERALD_SEND_TIMEOUT_MS}) + 1000`,
    });
  }
  // Half a WhatsApp configuration is a mistake, not a reason to fall back to the sandbox silently.
  if (!e.WHATSAPP_ACCESS_TOKEN !== !e.WHATSAPP_PHONE_NUMBER_ID) {
    const [missing, present] = e.WHATSAPP_ACCESS_TOKEN
      ? ['WHATSAPP_PHONE_NUMBER_ID', 'WHATSAPP_ACCESS_TOKEN']
      : ['WHATSAPP_ACCESS_TOKEN', 'WHATSAPP_PHONE_NUMBER_ID'];
    ctx.addIssue({
      code: 'custom',
      path: [missing],
      message: `required with ${present} (the whatsapp-cloud provider needs both)`,
    });
  }
  if (e.SMTP_HOST && e.SMTP_USER && !e.SMTP_PASSWORD) {
    ctx.addIssue({ code: 'custom', path: ['SMTP_PASSWORD'], message: 'required with SMTP_USER' });
  }
  if (e.HERALD_MEDIA_STORE === 's3' && !e.HERALD_S3_BUCKET) {
    ctx.addIssue({ code: 'custom', path: ['HERALD_S3_BUCKET'], message: 'required with HERALD_MEDIA_STORE=s3' });
  }
  if (!e.HERALD_S3_ACCESS_KEY_ID !== !e.HERALD_S3_SECRET_ACCESS_KEY) {
    ctx.addIssue({
      code: 'custom',
      path: [e.HERALD_S3_ACCESS_KEY_ID ? 'HERALD_S3_SECRET_ACCESS_KEY' : 'HERALD_S3_ACCESS_KEY_ID'],
      message: 'HERALD_S3_ACCESS_KEY_ID and HERALD_S3_SECRET_ACCESS_KEY go together',
    });
  }
}

/**
 * The media bucket. Without an endpoint it is AWS S3 (region from AWS_REGION when not given);
 * with one, an S3-compatible service, addressed by path unless told otherwise. Without keys, the
 * AWS SDK's own chain finds credentials (AWS_ACCESS_KEY_ID, profiles, instance roles).
 */
function s3Options(e: Env) {
  return {
    bucket: e.HERALD_S3_BUCKET!,
    prefix: e.HERALD_S3_PREFIX,
    endpoint: e.HERALD_S3_ENDPOINT,
    region: e.HERALD_S3_REGION ?? process.env.AWS_REGION ?? 'us-east-1',
    forcePathStyle: e.HERALD_S3_FORCE_PATH_STYLE ?? e.HERALD_S3_ENDPOINT !== undefined,
    credentials:
      e.HERALD_S3_ACCESS_KEY_ID && e.HERALD_S3_SECRET_ACCESS_KEY
        ? { accessKeyId: e.HERALD_S3_ACCESS_KEY_ID, secretAccessKey: e.HERALD_S3_SECRET_ACCESS_KEY }
        : undefined,
  };
}

/** Stripe-like: 100 requests a second per key, bursts of twice that. */
const DEFAULT_KEY_RATE_LIMIT = 100;

function keyRateLimit(perSecond: number, burst: number | undefined) {
  if (perSecond === 0) return undefined;
  return { perSecond, burst: burst ?? perSecond * 2 };
}

/** "sandbox=80,twilio:+14155550100=50": sends per second by "provider" or "provider:sender". */
function rateLimits(list: string | undefined): Record<string, number> {
  return Object.fromEntries(
    (list?.split(',') ?? []).map((pair) => {
      const at = pair.lastIndexOf('=');
      return [pair.slice(0, at), Number(pair.slice(at + 1))];
    }),
  );
}

/** "whatsapp=18,sms=6": the named channels' service ids over the defaults. */
function serviceIds(list: string | undefined): Record<Channel, number> {
  const named = (list?.split(',') ?? []).map((pair) => {
    const [channel, id] = pair.split('=');
    return [channel!.toUpperCase(), Number(id)];
  });
  return { ...DEFAULT_SERVICE_IDS, ...Object.fromEntries(named) };
}

// The environment, checked, becomes Herald's configuration here; Config is this transform's
// output, so the type cannot drift from what is parsed.
const ConfigSchema = EnvSchema.superRefine(checkCombinations).transform((e) => ({
  port: e.PORT,
  host: e.HOST,
  /** PostgreSQL connection string; when absent Herald runs on embedded PGlite. */
  databaseUrl: e.DATABASE_URL,
  databasePoolSize: e.DATABASE_POOL_SIZE,
  /** PGlite directory; 'memory://' keeps it in memory (tests). */
  dataDir: e.HERALD_DATA_DIR,
  bootstrapApiKey: e.HERALD_BOOTSTRAP_API_KEY,
  defaultCountry: e.HERALD_DEFAULT_COUNTRY,
  logLevel: e.LOG_LEVEL,
  /** 'auto': human lines (pino-pretty) when stdout is a terminal, JSON otherwise. */
  logFormat: e.LOG_FORMAT,
  /** `npm run worker` only: where it serves its own /metrics (it has no API to serve them). */
  metricsPort: e.HERALD_METRICS_PORT,
  metricsHost: e.HERALD_METRICS_HOST,
  /**
   * How `npm start` lays out its work: 'auto' runs the API and dispatch in separate processes
   * on PostgreSQL (src/supervisor.ts), 'single' keeps both in one process (always so on PGlite).
   */
  processes: e.HERALD_PROCESSES,
  redisUrl: e.REDIS_URL,
  subscriptions: {
    /** Subscriptions one graphql-ws connection may hold open at once. */
    maxPerConnection: e.HERALD_MAX_SUBSCRIPTIONS_PER_CONNECTION,
    /** SSE subscriptions one API key may hold open at once, per process. */
    maxSsePerKey: e.HERALD_MAX_SSE_SUBSCRIPTIONS_PER_KEY,
    /** Unsent bytes a graphql-ws socket may hold before it is closed as too slow (1013). */
    maxBufferedBytes: e.HERALD_WS_MAX_BUFFERED_BYTES,
    /** How often keys of open sessions are checked for revocation made by another process. */
    keyRecheckMs: e.HERALD_KEY_RECHECK_MS,
  },
  /** Seals provider secrets at rest; unset, a key file in HERALD_DATA_DIR is used. */
  encryptionKey: e.HERALD_ENCRYPTION_KEY,
  /** The externally visible base URL (no trailing slash), as providers that sign URLs see it. */
  publicUrl: (e.HERALD_PUBLIC_URL ?? `http://127.0.0.1:${e.PORT}`).replace(/\/+$/, ''),
  /** Whether HERALD_PUBLIC_URL was set: without it providers cannot reach this machine. */
  publicUrlSet: e.HERALD_PUBLIC_URL !== undefined,
  delivery: {
    /** Dispatch pipelines in this process; 0 serves the API only. */
    workers: e.HERALD_WORKERS,
    batchSize: e.HERALD_DISPATCH_BATCH,
    /**
     * Campaign messages claimed and not yet through their provider call, per process: enough to
     * keep a provider busy; more only queue there ahead of single sends.
     */
    campaignInFlight: e.HERALD_CAMPAIGN_IN_FLIGHT,
    leaseMs: e.HERALD_LEASE_MS,
    pollMs: e.HERALD_POLL_MS,
    sendTimeoutMs: e.HERALD_SEND_TIMEOUT_MS,
    retry: { baseMs: e.HERALD_RETRY_BASE_MS, capMs: e.HERALD_RETRY_CAP_MS, maxAttempts: e.HERALD_MAX_ATTEMPTS },
    /** Sends per second by "provider" or "provider:sender". */
    rateLimits: rateLimits(e.HERALD_RATE_LIMITS),
    reconcileAfterMs: e.HERALD_RECONCILE_AFTER_MS,
    /** A SENT message without a report for this long is reported as stuck. */
    stuckSentAfterMs: e.HERALD_STUCK_SENT_AFTER_MS,
    /** Reports parked for provider ids not (yet) recorded: dropped after maxAgeMs, and beyond maxPerProvider. */
    parkedReports: {
      maxAgeMs: e.HERALD_PARKED_REPORT_MAX_AGE_MS,
      maxPerProvider: e.HERALD_PARKED_REPORTS_MAX,
      sweepMs: e.HERALD_PARKED_REPORT_SWEEP_MS,
    },
    /** How often the dispatch process syncs WhatsApp templates from Meta; 0: never. */
    templateSyncMs: e.HERALD_TEMPLATE_SYNC_MS,
  },
  callbacks: {
    /** Callback pipelines in a dispatching process; 0 sends no callbacks from it. */
    workers: e.HERALD_CALLBACK_WORKERS,
    batchSize: e.HERALD_CALLBACK_BATCH,
    pollMs: e.HERALD_CALLBACK_POLL_MS,
    /** Per POST: connect, headers and body. */
    timeoutMs: e.HERALD_CALLBACK_TIMEOUT_MS,
    retry: { baseMs: e.HERALD_CALLBACK_RETRY_BASE_MS, capMs: e.HERALD_CALLBACK_RETRY_CAP_MS },
    /** A delivery still failing this long after its event is given up (FAILED). */
    maxAgeMs: e.HERALD_CALLBACK_MAX_AGE_MS,
  },
  providers: {
    routes: { SMS: e.HERALD_ROUTE_SMS, WHATSAPP: e.HERALD_ROUTE_WHATSAPP, EMAIL: e.HERALD_ROUTE_EMAIL },
    sandboxDelayMs: e.HERALD_SANDBOX_DELAY_MS,
    ...(e.TWILIO_ACCOUNT_SID && e.TWILIO_AUTH_TOKEN
      ? {
          twilio: {
            accountSid: e.TWILIO_ACCOUNT_SID,
            authToken: e.TWILIO_AUTH_TOKEN,
            from: e.TWILIO_FROM,
            baseUrl: e.TWILIO_BASE_URL,
          },
        }
      : {}),
    ...(e.WHATSAPP_ACCESS_TOKEN && e.WHATSAPP_PHONE_NUMBER_ID
      ? {
          /** Meta WhatsApp Cloud API; its webhook needs `appSecret` (and `verifyToken` for the handshake). */
          whatsappCloud: {
            accessToken: e.WHATSAPP_ACCESS_TOKEN,
            phoneNumberId: e.WHATSAPP_PHONE_NUMBER_ID,
            appSecret: e.WHATSAPP_APP_SECRET || undefined,
            verifyToken: e.WHATSAPP_VERIFY_TOKEN || undefined,
            baseUrl: e.WHATSAPP_BASE_URL,
            apiVersion: e.WHATSAPP_API_VERSION,
          },
        }
      : {}),
    ...(e.SMTP_HOST
      ? {
          /** Email over SMTP (nodemailer's pool). */
          smtp: {
            host: e.SMTP_HOST,
            port: e.SMTP_PORT,
            /** TLS from the first byte; default true on port 465. */
            secure: e.SMTP_SECURE ?? e.SMTP_PORT === 465,
            requireTls: e.SMTP_REQUIRE_TLS,
            tlsRejectUnauthorized: e.SMTP_TLS_REJECT_UNAUTHORIZED,
            user: e.SMTP_USER || undefined,
            password: e.SMTP_PASSWORD || undefined,
            from: e.SMTP_FROM || undefined,
            poolSize: e.SMTP_POOL_SIZE,
          },
        }
      : {}),
    ...(e.SMSMEDIA_API_KEY
      ? {
          /** SMSMedia's HTTP API; its webhook is enabled by `webhookToken`. */
          smsmedia: {
            apiKey: e.SMSMEDIA_API_KEY,
            baseUrl: e.SMSMEDIA_BASE_URL,
            senderId: e.SMSMEDIA_SENDER_ID || undefined,
            serviceIds: serviceIds(e.SMSMEDIA_SERVICE_IDS),
            webhookToken: e.SMSMEDIA_WEBHOOK_TOKEN,
            method: e.SMSMEDIA_METHOD,
          },
        }
      : {}),
    /**
     * HERALD_PUBLIC_URL when it is set: providers are told to report to `<it>/webhooks/<name>`
     * (Twilio's StatusCallback). Unset, no callback URL is sent (a loopback one cannot work and
     * would override a callback configured on a Twilio Messaging Service).
     */
    callbackBaseUrl: e.HERALD_PUBLIC_URL?.replace(/\/+$/, ''),
    /** Enables the sandbox's signed webhook (POST /webhooks/sandbox). */
    sandboxWebhookSecret: e.HERALD_SANDBOX_WEBHOOK_SECRET,
  },
  rest: {
    /** The serviceid each channel's endpoint answers to (SMSMedia: 18 WhatsApp, 6 SMS, 10 email). */
    serviceIds: serviceIds(e.HERALD_SERVICE_IDS),
  },
  /**
   * Requests per API key on every API route, per process: `perSecond` sustained, `burst` at once.
   * Undefined: no per-key limit (HERALD_KEY_RATE_LIMIT=0). The older HERALD_REST_RATE_LIMIT
   * allowed N requests per one-second window: burst N.
   */
  keyRateLimit:
    e.HERALD_KEY_RATE_LIMIT === undefined && e.HERALD_REST_RATE_LIMIT !== undefined
      ? keyRateLimit(e.HERALD_REST_RATE_LIMIT, e.HERALD_KEY_RATE_BURST ?? e.HERALD_REST_RATE_LIMIT)
      : keyRateLimit(e.HERALD_KEY_RATE_LIMIT ?? DEFAULT_KEY_RATE_LIMIT, e.HERALD_KEY_RATE_BURST),
  media: {
    /**
     * The bucket media live in when HERALD_MEDIA_STORE=s3 (every Herald of an installation
     * reads it); absent, the local directory below.
     */
    s3: e.HERALD_MEDIA_STORE === 's3' ? s3Options(e) : undefined,
    /**
     * The local media directory: HERALD_MEDIA_DIR, else `<HERALD_DATA_DIR>/media` on PGlite
     * (a directory under the OS temp dir for an in-memory database) or `./data/media` on PostgreSQL.
     */
    dir:
      e.HERALD_MEDIA_DIR ??
      (e.DATABASE_URL
        ? join('.', 'data', 'media')
        : e.HERALD_DATA_DIR.startsWith('memory://')
          ? join(tmpdir(), 'herald-media')
          : join(e.HERALD_DATA_DIR, 'media')),
    /** Largest file stored, of any kind (WhatsApp's per-kind limits apply within it). */
    maxBytes: e.HERALD_MEDIA_MAX_BYTES,
    /** Whole-fetch timeout for media URLs (connect, redirects, body). */
    fetchTimeoutMs: e.HERALD_MEDIA_FETCH_TIMEOUT_MS,
    /** Largest media an email may attach. */
    emailAttachmentMaxBytes: e.HERALD_EMAIL_ATTACHMENT_MAX_BYTES,
    /** GraphQL multipart uploads held in memory at once, in bytes (at least one whole upload). */
    uploadMemoryBytes: e.HERALD_UPLOAD_MEMORY_BYTES,
  },
  outbound: {
    /**
     * Let tenant-supplied URLs (webhook endpoints, callbackUrl, provider base URLs and SMTP hosts,
     * media URLs) reach loopback, private and link-local addresses: on-premise installations only.
     */
    allowPrivateTargets: e.HERALD_ALLOW_PRIVATE_TARGETS ?? e.HERALD_MEDIA_ALLOW_PRIVATE_URLS ?? false,
  },
  /** Limits on each GraphQL document, checked before it runs (see src/graphql/limits.ts). */
  graphql: {
    /** Lexical tokens per document. */
    maxTokens: e.HERALD_GRAPHQL_MAX_TOKENS,
    /** Nested fields, fragments flattened. */
    maxDepth: e.HERALD_GRAPHQL_MAX_DEPTH,
    maxAliases: e.HERALD_GRAPHQL_MAX_ALIASES,
    maxDirectives: e.HERALD_GRAPHQL_MAX_DIRECTIVES,
    /** Estimated fields resolved: what is under a list counts once per item its `first`/`last` allows. */
    maxCost: e.HERALD_GRAPHQL_MAX_COST,
    /** Root fields of one mutation document. */
    maxMutationFields: e.HERALD_GRAPHQL_MAX_MUTATION_FIELDS,
    /** Schema introspection (GraphiQL and codegen need it); suggestions are off either way. */
    introspection: e.HERALD_GRAPHQL_INTROSPECTION,
  },
}));

export type Config = z.output<typeof ConfigSchema>;
// The parts that modules take on their own.
export type DeliveryConfig = Config['delivery'];
export type CallbackConfig = Config['callbacks'];
export type ProvidersConfig = Config['providers'];
export type GraphQLLimitsConfig = Config['graphql'];

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
