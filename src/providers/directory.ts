import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { providerConfigs, routingRules, type ProviderConfigRow, type RoutingRuleRow } from '../db/schema.js';
import type { Channel } from '../vocabulary.js';
import { PROVIDER_KINDS, type BuildContext } from './kinds.js';
import type { Provider, ProviderStatusEvent } from './provider.js';
import type { Config } from '../config.js';
import { createProviders, type ProviderRegistry } from './registry.js';
import { SecretBox } from './secrets.js';
import type { OutboundGuard } from '../net/outbound.js';

// Which provider sends a tenant's message: the tenant's own route (providers it configured
// through the API) or else the installation's (environment). Tenant providers are built on
// first use and rebuilt when their configuration changes; lookups are cached briefly.

const CACHE_MS = 2_000;

/** Name of a tenant-configured provider instance, as stored on messages and used in webhook URLs. */
export const instanceName = (config: Pick<ProviderConfigRow, 'kind' | 'id'>): string => `${config.kind}.${config.id}`;

export type Route = { provider: Provider; channel: Channel };

export class ProviderDirectory {
  private readonly instances = new Map<string, { version: number; provider: Provider }>();
  private readonly rules = new Map<string, { at: number; rules: RoutingRuleRow[]; configs: ProviderConfigRow[] }>();
  private reporter: ((events: ProviderStatusEvent[]) => Promise<void>) | undefined;

  constructor(
    private readonly db: Db,
    readonly registry: ProviderRegistry,
    readonly secrets: SecretBox,
    private readonly ctx: Omit<BuildContext, 'name'>,
  ) {}

  /** Background reports (sandbox timers) of every provider, tenant ones included, go here. */
  startReporting(report: (events: ProviderStatusEvent[]) => Promise<void>): void {
    this.reporter = report;
    for (const p of this.all()) p.start?.(report);
  }

  all(): Provider[] {
    return [...this.registry.all(), ...[...this.instances.values()].map((i) => i.provider)];
  }

  async stop(): Promise<void> {
    for (const p of this.all()) await p.stop?.();
  }

  /** A provider by the name stored on messages or used in a webhook URL. */
  async byName(name: string): Promise<Provider | undefined> {
    const fromEnv = this.registry.get(name);
    if (fromEnv) return fromEnv;
    const id = /^[a-z-]+\.([0-9a-f-]{36})$/.exec(name)?.[1];
    if (!id) return undefined;
    const [config] = await this.db.select().from(providerConfigs).where(eq(providerConfigs.id, id));
    return config && instanceName(config) === name ? this.instance(config) : undefined;
  }

  /**
   * The provider for a message. `fallbackStep` > 0 with no channel change means the tenant's
   * fallback provider for that channel.
   */
  async route(tenantId: string, channel: Channel, fallbackStep: number, changedChannel: boolean): Promise<Route> {
    const { rules, configs } = await this.tenant(tenantId);
    const rule = rules.find((r) => r.channel === channel);
    const name = fallbackStep > 0 && !changedChannel && rule?.fallbackProvider ? rule.fallbackProvider : rule?.provider;
    const config = name ? configs.find((c) => c.name === name && c.enabled) : undefined;
    if (config) return { provider: this.instance(config), channel };
    if (name && this.registry.get(name)) return { provider: this.registry.get(name)!, channel };
    return { provider: this.registry.forChannel(channel), channel };
  }

  /** What to do after a permanent failure at this step, per the tenant's rule; null: give up. */
  async fallback(
    tenantId: string,
    channel: Channel,
    fallbackStep: number,
  ): Promise<{ provider: string } | { channel: Channel } | null> {
    if (fallbackStep > 0) return null;
    const rule = (await this.tenant(tenantId)).rules.find((r) => r.channel === channel);
    if (rule?.fallbackProvider) return { provider: rule.fallbackProvider };
    if (rule?.fallbackChannel && rule.fallbackChannel !== channel) return { channel: rule.fallbackChannel };
    return null;
  }

  /** Forget cached routes of a tenant (its configuration changed here). */
  invalidate(tenantId: string): void {
    this.rules.delete(tenantId);
  }

  private async tenant(tenantId: string) {
    const cached = this.rules.get(tenantId);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached;
    const [rules, configs] = await Promise.all([
      this.db.select().from(routingRules).where(eq(routingRules.tenantId, tenantId)),
      this.db
        .select()
        .from(providerConfigs)
        .where(and(eq(providerConfigs.tenantId, tenantId))),
    ]);
    const entry = { at: Date.now(), rules, configs };
    this.rules.set(tenantId, entry);
    return entry;
  }

  private instance(config: ProviderConfigRow): Provider {
    const name = instanceName(config);
    const version = config.updatedAt.getTime();
    const existing = this.instances.get(name);
    if (existing && existing.version === version) return existing.provider;
    const kind = PROVIDER_KINDS[config.kind]!;
    const secrets = config.secretsEncrypted ? this.secrets.open(config.secretsEncrypted) : {};
    const provider = kind.build(kind.settings.parse(config.settings), kind.secrets.parse(secrets), {
      ...this.ctx,
      name,
    });
    if (existing) void existing.provider.stop?.();
    if (this.reporter) provider.start?.(this.reporter);
    this.instances.set(name, { version, provider });
    return provider;
  }
}

/** The providers of one process: the installation's (environment) and its tenants'. */
/** `outbound` guards tenant providers' connections (their base URLs are tenant input); the environment's are trusted. */
export function createProviderDirectory(
  db: Db,
  config: Config,
  now: () => Date,
  outbound: OutboundGuard,
): ProviderDirectory {
  return new ProviderDirectory(
    db,
    createProviders(config.providers, now),
    SecretBox.fromConfig(config.encryptionKey, config.dataDir),
    {
      callbackBaseUrl: config.providers.callbackBaseUrl,
      sandboxDelayMs: config.providers.sandboxDelayMs,
      now,
      outbound,
    },
  );
}
