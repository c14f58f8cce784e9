import type { ProvidersConfig } from '../config.js';
import type { Channel } from '../vocabulary.js';
import type { Provider } from './provider.js';
import { createSandboxProvider } from './sandbox.js';
import { createSmsMediaProvider } from './smsmedia.js';
import { createSmtpProvider } from './smtp.js';
import { createTwilioProvider } from './twilio.js';
import { createWhatsAppCloudProvider } from './whatsapp-cloud.js';

/** The configured providers and the route from each channel to one of them. */
export class ProviderRegistry {
  private readonly byName: Map<string, Provider>;

  constructor(
    providers: Provider[],
    private readonly routes: Record<Channel, string>,
  ) {
    this.byName = new Map(providers.map((p) => [p.name, p]));
    for (const [channel, name] of Object.entries(routes)) {
      const provider = this.byName.get(name);
      if (!provider) throw new Error(`HERALD_ROUTE_${channel} names provider "${name}", which is not configured`);
      if (!provider.capabilities.channels.includes(channel as Channel)) {
        throw new Error(`provider "${name}" cannot send ${channel}`);
      }
    }
  }

  forChannel(channel: Channel): Provider {
    return this.byName.get(this.routes[channel])!;
  }

  get(name: string): Provider | undefined {
    return this.byName.get(name);
  }

  all(): Provider[] {
    return [...this.byName.values()];
  }
}

export function createProviders(config: ProvidersConfig, now: () => Date): ProviderRegistry {
  const providers: Provider[] = [
    createSandboxProvider({
      delayMs: config.sandboxDelayMs,
      now,
      ...(config.sandboxWebhookSecret ? { webhookSecret: config.sandboxWebhookSecret } : {}),
    }),
  ];
  if (config.twilio) {
    providers.push(
      createTwilioProvider({
        ...config.twilio,
        // Where Twilio reports; it signs this URL, so it must be the public one.
        ...(config.callbackBaseUrl ? { statusCallbackUrl: `${config.callbackBaseUrl}/webhooks/twilio` } : {}),
      }),
    );
  }
  if (config.whatsappCloud) {
    const { appSecret, verifyToken, ...rest } = config.whatsappCloud;
    // WhatsApp's webhook URL is set once in the Meta app (<HERALD_PUBLIC_URL>/webhooks/whatsapp-cloud), not per message.
    providers.push(
      createWhatsAppCloudProvider({
        ...rest,
        ...(appSecret ? { appSecret } : {}),
        ...(verifyToken ? { verifyToken } : {}),
      }),
    );
  }
  if (config.smtp) {
    const { user, password, from, ...rest } = config.smtp;
    // No webhook: SMTP has no delivery reports (bounces come back as email to the sender).
    providers.push(
      createSmtpProvider({ ...rest, ...(user ? { user, password: password ?? '' } : {}), ...(from ? { from } : {}) }),
    );
  }
  if (config.smsmedia) {
    const { senderId, webhookToken, ...rest } = config.smsmedia;
    // SMSMedia reports to the URL configured in its panel: <HERALD_PUBLIC_URL>/webhooks/smsmedia?token=<webhookToken>.
    providers.push(
      createSmsMediaProvider({ ...rest, ...(senderId ? { senderId } : {}), ...(webhookToken ? { webhookToken } : {}) }),
    );
  }
  return new ProviderRegistry(providers, config.routes);
}
