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
});

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
  };
}
