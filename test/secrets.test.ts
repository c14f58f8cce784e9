import { eq, like } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sealStoredSecrets } from '../src/callbacks/endpoints.js';
import { generateSecret } from '../src/callbacks/signature.js';
import { callbackSecrets, webhookEndpoints } from '../src/db/schema.js';
import { startCallbackReceiver, type CallbackReceiver } from './support/callback-receiver.js';
import { eventually } from './support/clock.js';
import { startHerald, type Sdk, type TestHerald } from './support/herald.js';

// Callback signing secrets at rest: the database holds them sealed (as provider secrets are),
// the secret shown at creation still verifies the callbacks, and rows an earlier Herald stored
// in plaintext are sealed at start.

let h: TestHerald;
const receivers: CallbackReceiver[] = [];
beforeAll(async () => {
  h = await startHerald({
    HERALD_WORKERS: '1',
    HERALD_POLL_MS: '20',
    HERALD_SANDBOX_DELAY_MS: '10',
    HERALD_CALLBACK_WORKERS: '1',
    HERALD_CALLBACK_POLL_MS: '20',
  });
});
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});
afterAll(() => h?.stop());

async function receiver(secret?: string): Promise<CallbackReceiver> {
  const r = await startCallbackReceiver({ now: () => new Date(), ...(secret ? { secret } : {}) });
  receivers.push(r);
  return r;
}

async function tenant(name: string): Promise<{ sdk: Sdk; tenantId: string }> {
  const created = await h.sdk().CreateTenant({ name });
  if (created.createTenant.__typename !== 'IssuedApiKey') throw new Error(JSON.stringify(created.createTenant));
  const sdk = h.sdk(created.createTenant.key);
  const viewer = await sdk.Viewer();
  return { sdk, tenantId: viewer.viewer.tenant.id };
}

async function sendAndWait(sdk: Sdk, rx: CallbackReceiver[], extra: Record<string, unknown> = {}): Promise<string> {
  const r = await sdk.SendSms({ input: { to: '+918800001234', text: 'sealed secrets', ...extra } });
  if (r.sendSms.__typename !== 'Message') throw new Error(JSON.stringify(r.sendSms));
  const id = r.sendSms.messageId;
  // QUEUED, SENDING, SENT, DELIVERED, READ: five callbacks to each receiver.
  await eventually(
    async () => rx.map((x) => x.received.filter((c) => c.body.messageId === id).length + x.rejected.length),
    (counts) => counts.every((n) => n >= 5),
  );
  return id;
}

/** The row id behind a GraphQL global id ("WebhookEndpoint:<uuid>", base64). */
const rowId = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8').split(':')[1]!;
const storedEndpointSecret = async (id: string) =>
  (
    await h.herald.database.db
      .select({ secret: webhookEndpoints.secret })
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.id, rowId(id)))
  )[0]!.secret;
const storedTenantSecret = async (tenantId: string) =>
  (
    await h.herald.database.db
      .select({ secret: callbackSecrets.secret })
      .from(callbackSecrets)
      .where(eq(callbackSecrets.tenantId, tenantId))
  )[0]?.secret;

describe('signing secrets are sealed at rest', () => {
  it('an endpoint secret and the callback secret: not readable in the database, still verifying callbacks', async () => {
    const { sdk, tenantId } = await tenant('Sealed Ltd');
    const hooks = await receiver();
    const created = await sdk.CreateWebhookEndpoint({ input: { url: hooks.url } });
    if (created.createWebhookEndpoint.__typename !== 'CreatedWebhookEndpoint') throw new Error(JSON.stringify(created));
    const { secret, endpoint } = created.createWebhookEndpoint;
    hooks.secret = secret;
    const rotated = (await sdk.RotateCallbackSecret()).rotateCallbackSecret.secret;
    const own = await receiver(rotated);

    for (const [stored, shown] of [
      [await storedEndpointSecret(endpoint.id), secret],
      [await storedTenantSecret(tenantId), rotated],
    ] as const) {
      expect(stored).toBeDefined();
      expect(stored).not.toContain(shown);
      expect(stored).not.toContain(shown.slice('whsec_'.length, 20));
      expect(stored).toMatch(/^v1\./);
    }

    const id = await sendAndWait(sdk, [hooks, own], { callbackUrl: own.url });
    for (const rx of [hooks, own]) {
      expect(rx.rejected).toEqual([]);
      expect(rx.received.filter((c) => c.body.messageId === id).map((c) => c.body.status)).toEqual([
        'QUEUED',
        'SENDING',
        'SENT',
        'DELIVERED',
        'READ',
      ]);
    }
  });

  it('a tenant first callback secret, created by the dispatcher, is sealed too', async () => {
    const { sdk, tenantId } = await tenant('First Callback Co');
    const own = await receiver(); // does not know the secret: accepts unverified
    await sendAndWait(sdk, [own], { callbackUrl: own.url });
    const stored = await storedTenantSecret(tenantId);
    expect(stored).toMatch(/^v1\./);
    expect(stored).not.toMatch(/whsec_/);
  });

  it('plaintext secrets stored by an earlier Herald are sealed at start and keep verifying', async () => {
    const { sdk, tenantId } = await tenant('Legacy GmbH');
    const hooks = await receiver();
    const created = await sdk.CreateWebhookEndpoint({ input: { url: hooks.url } });
    if (created.createWebhookEndpoint.__typename !== 'CreatedWebhookEndpoint') throw new Error(JSON.stringify(created));
    const endpointId = created.createWebhookEndpoint.endpoint.id;
    // What the previous version stored: the secret itself.
    const legacyEndpoint = generateSecret();
    const legacyTenant = generateSecret();
    const db = h.herald.database.db;
    await db
      .update(webhookEndpoints)
      .set({ secret: legacyEndpoint })
      .where(eq(webhookEndpoints.id, rowId(endpointId)));
    await db.insert(callbackSecrets).values({ tenantId, secret: legacyTenant, createdAt: new Date() });
    const plaintextRows = async () =>
      (
        await db
          .select({ id: webhookEndpoints.id })
          .from(webhookEndpoints)
          .where(like(webhookEndpoints.secret, 'whsec_%'))
      ).length +
      (
        await db
          .select({ id: callbackSecrets.tenantId })
          .from(callbackSecrets)
          .where(like(callbackSecrets.secret, 'whsec_%'))
      ).length;
    expect(await plaintextRows()).toBe(2);

    // What a start runs after the migrations.
    expect(await sealStoredSecrets(db, h.herald.services.providers.secrets)).toBe(2);
    expect(await sealStoredSecrets(db, h.herald.services.providers.secrets)).toBe(0);
    expect(await plaintextRows()).toBe(0);
    expect(await storedEndpointSecret(endpointId)).not.toContain(legacyEndpoint);
    expect(await storedTenantSecret(tenantId)).not.toContain(legacyTenant);

    // The receivers configured with the old secrets still verify every callback.
    hooks.secret = legacyEndpoint;
    const own = await receiver(legacyTenant);
    await sendAndWait(sdk, [hooks, own], { callbackUrl: own.url });
    expect(hooks.rejected).toEqual([]);
    expect(own.rejected).toEqual([]);
  });
});
