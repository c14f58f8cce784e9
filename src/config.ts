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
  HERALD_SANDBOX_DELAY_MS: z.coerce.number().int().min(0).default(200),
  // Routing: which provider sends each channel.
  HERALD_ROUTE_SMS: z.string().default('sandbox'),
  HERALD_ROUTE_WHATSAPP: z.string().default('sandbox'),
  HERALD_ROUTE_EMAIL: z.string().default('sandbox'),
  TWILIO_ACCOUNT_SID: z.string().optional(),
  TWILIO_AUTH_TOKEN: z.string().optional(),
  TWILIO_FROM: z.string().optional(),
  TWILIO_BASE_URL: z.string().url().default('https://api.twilio.com'),
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
};

export type ProvidersConfig = {
  routes: { SMS: string; WHATSAPP: string; EMAIL: string };
  sandboxDelayMs: number;
  twilio?: { accountSid: string; authToken: string; from: string | undefined; baseUrl: string };
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
  delivery: DeliveryConfig;
  providers: ProvidersConfig;
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
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
    },
    providers: {
      routes: { SMS: e.HERALD_ROUTE_SMS, WHATSAPP: e.HERALD_ROUTE_WHATSAPP, EMAIL: e.HERALD_ROUTE_EMAIL },
      sandboxDelayMs: e.HERALD_SANDBOX_DELAY_MS,
      ...(e.TWILIO_ACCOUNT_SID && e.TWILIO_AUTH_TOKEN
        ? { twilio: { accountSid: e.TWILIO_ACCOUNT_SID, authToken: e.TWILIO_AUTH_TOKEN, from: e.TWILIO_FROM, baseUrl: e.TWILIO_BASE_URL } }
        : {}),
    },
  };
}
