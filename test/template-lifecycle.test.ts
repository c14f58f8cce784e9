import { WebSocket } from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCallbackReceiver, type CallbackReceiver } from './support/callback-receiver.js';
import { eventually } from './support/clock.js';
import { startFakeWhatsApp, type FakeWhatsApp } from './support/fake-whatsapp.js';
import { startHerald, type TestHerald } from './support/herald.js';
import { pdf, png } from './support/media-fixtures.js';

// WhatsApp templates approved by Meta: a tenant's template is submitted to the fake Meta's
// template API, Meta's reviewer (the fake) decides and POSTs its signed webhooks to the tenant
// provider's webhook, and sends follow the registry: refused with a typed error until APPROVED.
// A sync reads Meta's template list (paged) and repairs what a lost webhook left stale.

let fake: FakeWhatsApp;
let h: TestHerald;
let receiver: CallbackReceiver;
let key: string;
let instance: string;
const clients: Client[] = [];

async function gql<T = any>(query: string, variables: Record<string, unknown> = {}, apiKey = key): Promise<T> {
  const res = await fetch(h.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data: T; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const TEMPLATE_FIELDS = 'id templateId name language status metaTemplateId rejectionReason qualityRating syncedAt';
const CREATE = `mutation($input: CreateTemplateInput!) { createTemplate(input: $input) {
  __typename ... on Template { ${TEMPLATE_FIELDS} } ... on ValidationError { field message } } }`;
const SUBMIT = `mutation($id: ID!, $bodyExample: [String!], $headerHandle: String, $headerMediaId: String, $provider: String) {
  submitTemplate(id: $id, bodyExample: $bodyExample, headerHandle: $headerHandle, headerMediaId: $headerMediaId, provider: $provider) {
  __typename ... on Template { ${TEMPLATE_FIELDS} }
  ... on ValidationError { field message } ... on NotFoundError { message } ... on UpstreamError { provider retryable message } } }`;
const SYNC = `mutation { syncTemplates { __typename
  ... on TemplateSync { matched unknown changed { name language status rejectionReason qualityRating } }
  ... on ValidationError { field message } ... on UpstreamError { message } } }`;
const TEMPLATE = `query($id: ID!) { template(id: $id) { ${TEMPLATE_FIELDS} } }`;
const SEND = `mutation($input: SendWhatsAppInput!) { sendWhatsApp(input: $input) {
  __typename ... on Message { messageId } ... on ValidationError { field message } } }`;
const MESSAGE = 'query($id: ID!) { message(id: $id) { status lastError { code message } } }';

async function createTemplate(input: Record<string, unknown>): Promise<{ id: string; templateId: string }> {
  const r = await gql(CREATE, { input: { channel: 'WHATSAPP', ...input } });
  if (r.createTemplate.__typename !== 'Template') throw new Error(JSON.stringify(r.createTemplate));
  return r.createTemplate;
}

const sendTemplate = (templateName: string, params: string[]) =>
  gql(SEND, { input: { to: '+14155550123', templateName, language: 'en', params } }).then((r) => r.sendWhatsApp);

beforeAll(async () => {
  fake = await startFakeWhatsApp();
  receiver = await startCallbackReceiver({ now: () => new Date() });
  h = await startHerald({
    HERALD_WORKERS: '1',
    HERALD_POLL_MS: '20',
    HERALD_CALLBACK_POLL_MS: '50',
    // The sync is driven by the tests here (the periodic job is tested with its own Herald below).
    HERALD_TEMPLATE_SYNC_MS: '0',
  });
  const tenant = await h.sdk().CreateTenant({ name: 'Acme' });
  if (tenant.createTenant.__typename !== 'IssuedApiKey') throw new Error('no tenant');
  key = tenant.createTenant.key;
  const configured = await gql(
    `mutation($input: ConfigureProviderInput!) { configureProvider(input: $input) {
      __typename ... on ProviderConfig { instance } ... on ValidationError { field message } } }`,
    {
      input: {
        name: 'meta',
        kind: 'whatsapp-cloud',
        settings: {
          phoneNumberId: fake.phoneNumberId,
          wabaId: fake.wabaId,
          baseUrl: fake.url,
          apiVersion: fake.apiVersion,
        },
        secrets: { accessToken: fake.accessToken, appSecret: fake.appSecret },
      },
    },
  );
  if (configured.configureProvider.__typename !== 'ProviderConfig')
    throw new Error(JSON.stringify(configured.configureProvider));
  instance = configured.configureProvider.instance;
  fake.webhookUrl = `${h.url}/webhooks/${instance}`;
  await gql(`mutation { setRoute(input: { channel: WHATSAPP, provider: "meta" }) { __typename } }`);
  const endpoint = await gql(
    `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) {
      __typename ... on CreatedWebhookEndpoint { secret endpoint { templateEvents } } } }`,
    { input: { url: receiver.url, events: ['FAILED'], templateEvents: true } },
  );
  expect(endpoint.createWebhookEndpoint.endpoint.templateEvents).toBe(true);
  receiver.secret = endpoint.createWebhookEndpoint.secret;
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await h?.stop();
  await receiver?.close();
  await fake?.close();
});

function subscribe(query: string): { events: any[]; ready: Promise<void> } {
  const client = createClient({
    url: h.graphqlUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { apiKey: key },
  });
  clients.push(client);
  const events: any[] = [];
  let ready!: () => void;
  const isReady = new Promise<void>((r) => (ready = r));
  client.on('connected', () => setTimeout(ready, 100));
  client.subscribe(
    { query },
    {
      next: (r) => events.push((r.data as any).templateStatusChanged),
      error: (err) => events.push({ error: err }),
      complete: () => {},
    },
  );
  return { events, ready: isReady };
}

const templateCallbacks = () =>
  receiver.received
    .map((c) => c.body as unknown as Record<string, unknown>)
    .filter((b) => b.type === 'template.status');

describe('the template lifecycle with Meta', () => {
  it('submit -> PENDING (send refused) -> webhook APPROVED -> the send goes through Meta', async () => {
    const live = subscribe(
      'subscription { templateStatusChanged { name language status previousStatus source rejectionReason template { status } } }',
    );
    await live.ready;
    const t = await createTemplate({
      name: 'order_update',
      category: 'UTILITY',
      body: 'Hi {{1}}, your order {{2}} has shipped',
    });

    // Meta needs a sample per placeholder: refused before anything is sent to it.
    const noSamples = await gql(SUBMIT, { id: t.id, bodyExample: ['Ada'] });
    expect(noSamples.submitTemplate).toMatchObject({ __typename: 'ValidationError', field: 'bodyExample' });
    expect(fake.requests.filter((r) => r.path.endsWith('/message_templates'))).toHaveLength(0);

    const submitted = (await gql(SUBMIT, { id: t.id, bodyExample: ['Ada', '#1001'] })).submitTemplate;
    expect(submitted).toMatchObject({ __typename: 'Template', status: 'PENDING', rejectionReason: null });
    expect(submitted.metaTemplateId).toMatch(/^\d+$/);
    const request = fake.requests.find((r) => r.path === `/${fake.apiVersion}/${fake.wabaId}/message_templates`)!;
    expect(request.method).toBe('POST');
    expect(request.authorization).toBe(`Bearer ${fake.accessToken}`);
    expect(request.json).toEqual({
      name: 'order_update',
      language: 'en',
      category: 'UTILITY',
      components: [
        { type: 'BODY', text: 'Hi {{1}}, your order {{2}} has shipped', example: { body_text: [['Ada', '#1001']] } },
      ],
    });

    const pending = await sendTemplate('order_update', ['Ada', '#1002']);
    expect(pending).toMatchObject({ __typename: 'ValidationError', field: 'templateName' });
    expect(pending.message).toMatch(/is PENDING, not APPROVED/);

    // Meta approves and says so by webhook: the registry follows before Meta's POST is answered.
    expect(await fake.review('order_update', 'en', { status: 'APPROVED' })).toEqual([200]);
    const approved = (await gql(TEMPLATE, { id: t.id })).template;
    expect(approved).toMatchObject({ status: 'APPROVED', metaTemplateId: submitted.metaTemplateId });
    expect(approved.syncedAt).not.toBeNull();

    const sent = await sendTemplate('order_update', ['Ada', '#1003']);
    expect(sent.__typename).toBe('Message');
    const message = await eventually(
      () => gql(MESSAGE, { id: sent.messageId }),
      (d) => d.message.status !== 'QUEUED' && d.message.status !== 'SENDING',
    );
    expect(message.message).toMatchObject({ status: 'SENT', lastError: null });

    // Tenants hear of it: the subscription and a signed callback (template events only, by opt-in).
    await eventually(
      async () => live.events,
      (e) => e.length >= 2,
    );
    expect(live.events.slice(0, 2)).toEqual([
      expect.objectContaining({ status: 'PENDING', previousStatus: 'APPROVED', source: 'SUBMIT' }),
      expect.objectContaining({
        name: 'order_update',
        language: 'en',
        status: 'APPROVED',
        previousStatus: 'PENDING',
        source: 'WEBHOOK',
        template: { status: 'APPROVED' },
      }),
    ]);
    await eventually(
      async () => templateCallbacks(),
      (c) => c.length >= 2,
    );
    expect(receiver.rejected).toEqual([]);
    expect(templateCallbacks()[1]).toMatchObject({
      type: 'template.status',
      templateId: t.templateId,
      name: 'order_update',
      status: 'APPROVED',
      previousStatus: 'PENDING',
      metaTemplateId: submitted.metaTemplateId,
      source: 'WEBHOOK',
    });
  });

  it('a template Meta rejects is refused with its status and Meta reason', async () => {
    const t = await createTemplate({ name: 'promo_offer', category: 'MARKETING', body: '50% off today only' });
    expect((await gql(SUBMIT, { id: t.id })).submitTemplate.status).toBe('PENDING');
    expect(await fake.review('promo_offer', 'en', { status: 'REJECTED', reason: 'INVALID_FORMAT' })).toEqual([200]);
    expect((await gql(TEMPLATE, { id: t.id })).template).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'INVALID_FORMAT',
    });
    const refused = await sendTemplate('promo_offer', []);
    expect(refused).toMatchObject({ __typename: 'ValidationError', field: 'templateName' });
    expect(refused.message).toMatch(/is REJECTED \(Meta's reason: INVALID_FORMAT\), not APPROVED/);
    expect(fake.requests.filter((r) => r.path.endsWith('/messages') && r.json?.template)).not.toContainEqual(
      expect.objectContaining({
        json: expect.objectContaining({ template: expect.objectContaining({ name: 'promo_offer' }) }),
      }),
    );
    await eventually(
      async () => templateCallbacks(),
      (c) =>
        c.some((b) => b.name === 'promo_offer' && b.status === 'REJECTED' && b.rejectionReason === 'INVALID_FORMAT'),
    );
  });

  it('PAUSED (with the quality turning RED), then APPROVED again', async () => {
    const [t] = (await gql(`{ templates(filter: { name: "order_update" }) { id } }`)).templates;
    expect(
      await fake.review('order_update', 'en', { status: 'PAUSED', reason: 'LOW_QUALITY', quality: 'RED' }),
    ).toEqual([200, 200]);
    expect((await gql(TEMPLATE, { id: t.id })).template).toMatchObject({
      status: 'PAUSED',
      rejectionReason: 'LOW_QUALITY',
      qualityRating: 'RED',
    });
    const paused = await sendTemplate('order_update', ['Ada', '#2001']);
    expect(paused).toMatchObject({ __typename: 'ValidationError', field: 'templateName' });
    expect(paused.message).toMatch(/is PAUSED \(Meta's reason: LOW_QUALITY\)/);

    expect(await fake.review('order_update', 'en', { status: 'APPROVED', quality: 'YELLOW' })).toEqual([200, 200]);
    expect((await gql(TEMPLATE, { id: t.id })).template).toMatchObject({
      status: 'APPROVED',
      rejectionReason: null,
      qualityRating: 'YELLOW',
    });
    const sent = await sendTemplate('order_update', ['Ada', '#2002']);
    expect(sent.__typename).toBe('Message');
    await eventually(
      () => gql(MESSAGE, { id: sent.messageId }),
      (d) => d.message.status === 'SENT',
    );

    // Meta redelivers webhooks: the same news again changes nothing and tells no one twice.
    const before = templateCallbacks().length;
    expect(await fake.review('order_update', 'en', { status: 'APPROVED' })).toEqual([200]);
    await new Promise((r) => setTimeout(r, 300));
    expect(templateCallbacks()).toHaveLength(before);
  });

  it('a sync repairs a registry that missed a webhook, reading every page of Meta list', async () => {
    const [t] = (await gql(`{ templates(filter: { name: "order_update" }) { id } }`)).templates;
    // Meta disables the template, and its webhook never arrives.
    expect(await fake.review('order_update', 'en', { status: 'DISABLED', reason: 'POLICY', silent: true })).toEqual([]);
    expect((await gql(TEMPLATE, { id: t.id })).template.status).toBe('APPROVED');
    // Templates of the account that the tenant never registered: more than one page of them.
    for (let i = 0; i < 120; i++) {
      const id = String(9_000_000_000 + i);
      fake.metaTemplates.set(id, {
        id,
        name: `other_${i}`,
        language: 'en',
        category: 'UTILITY',
        status: 'APPROVED',
        rejectedReason: 'NONE',
        quality: 'GREEN',
        components: [{ type: 'BODY', text: 'hello' }],
      });
    }
    const before = fake.requests.length;
    const synced = (await gql(SYNC)).syncTemplates;
    expect(synced).toMatchObject({ __typename: 'TemplateSync', matched: 2, unknown: 120 });
    expect(synced.changed).toEqual([
      { name: 'order_update', language: 'en', status: 'DISABLED', rejectionReason: 'POLICY', qualityRating: 'YELLOW' },
    ]);
    const pages = fake.requests.slice(before).filter((r) => r.method === 'GET');
    expect(pages.length).toBeGreaterThanOrEqual(2);
    const refused = await sendTemplate('order_update', ['Ada', '#3001']);
    expect(refused.message).toMatch(/is DISABLED \(Meta's reason: POLICY\)/);
    // Nothing more to repair.
    expect((await gql(SYNC)).syncTemplates.changed).toEqual([]);
    for (let i = 0; i < 120; i++) fake.metaTemplates.delete(String(9_000_000_000 + i));
  });

  it('a sync never undoes a webhook that arrived while it read the list', async () => {
    const [t] = (await gql(`{ templates(filter: { name: "order_update" }) { id } }`)).templates;
    fake.listDelayMs = 500;
    try {
      // The list is read with order_update DISABLED; Meta reinstates it while the answer travels.
      const sync = gql(SYNC);
      await new Promise((r) => setTimeout(r, 150));
      expect(await fake.review('order_update', 'en', { status: 'REINSTATED' })).toEqual([200]);
      expect((await gql(TEMPLATE, { id: t.id })).template.status).toBe('APPROVED');
      expect((await sync).syncTemplates.changed).toEqual([]);
      expect((await gql(TEMPLATE, { id: t.id })).template).toMatchObject({ status: 'APPROVED', rejectionReason: null });
    } finally {
      fake.listDelayMs = 0;
    }
  });
});

describe('hostile and mistaken input', () => {
  it('refuses a bad signature, ignores unknown templates and other accounts, and never touches another tenant', async () => {
    const value = {
      event: 'APPROVED',
      message_template_id: 1,
      message_template_name: 'promo_offer',
      message_template_language: 'en',
      reason: 'NONE',
    };
    const forged = fake.templateNotification('message_template_status_update', value, { secret: 'not-the-app-secret' });
    const res = await fetch(fake.webhookUrl!, { method: 'POST', headers: forged.headers, body: forged.body });
    expect(res.status).toBe(401);
    // A template of the same name with another Meta id is not this one: nothing changes.
    const other = fake.templateNotification('message_template_status_update', value);
    expect((await fetch(fake.webhookUrl!, { method: 'POST', headers: other.headers, body: other.body })).status).toBe(
      200,
    );
    const [promo] = (await gql(`{ templates(filter: { name: "promo_offer" }) { status } }`)).templates;
    expect(promo.status).toBe('REJECTED');
    // An id beyond 2^53 reaches Herald rounded (JSON numbers): the template is found by name and language.
    const rounded = fake.templateNotification('message_template_quality_update', {
      previous_quality_score: 'UNKNOWN',
      new_quality_score: 'GREEN',
      message_template_id: 1e19,
      message_template_name: 'promo_offer',
      message_template_language: 'en',
    });
    expect(
      (await fetch(fake.webhookUrl!, { method: 'POST', headers: rounded.headers, body: rounded.body })).status,
    ).toBe(200);
    const [graded] = (await gql(`{ templates(filter: { name: "promo_offer" }) { qualityRating metaTemplateId } }`))
      .templates;
    expect(graded.qualityRating).toBe('GREEN');
    expect(graded.metaTemplateId).not.toBe('10000000000000000000');
    // Unreadable values are refused, not guessed at.
    const broken = fake.templateNotification('message_template_status_update', { event: 'APPROVED' });
    expect((await fetch(fake.webhookUrl!, { method: 'POST', headers: broken.headers, body: broken.body })).status).toBe(
      400,
    );

    // Another tenant: same template name, its own provider without a WABA id.
    const tenant = await h.sdk().CreateTenant({ name: 'Other' });
    if (tenant.createTenant.__typename !== 'IssuedApiKey') throw new Error('no tenant');
    const otherKey = tenant.createTenant.key;
    const created = await gql(
      CREATE,
      { input: { channel: 'WHATSAPP', name: 'promo_offer', category: 'MARKETING', body: 'x', status: 'PENDING' } },
      otherKey,
    );
    const noProvider = await gql(SUBMIT, { id: created.createTemplate.id }, otherKey);
    expect(noProvider.submitTemplate).toMatchObject({ __typename: 'ValidationError', field: 'provider' });
    await gql(
      `mutation($input: ConfigureProviderInput!) { configureProvider(input: $input) { __typename } }`,
      {
        input: {
          name: 'wa',
          kind: 'whatsapp-cloud',
          settings: { phoneNumberId: fake.phoneNumberId, baseUrl: fake.url },
          secrets: { accessToken: fake.accessToken },
        },
      },
      otherKey,
    );
    const noWaba = await gql(SUBMIT, { id: created.createTemplate.id }, otherKey);
    expect(noWaba.submitTemplate).toMatchObject({ __typename: 'ValidationError', field: 'wabaId' });
    expect((await gql(SYNC, {}, otherKey)).syncTemplates).toMatchObject({
      __typename: 'ValidationError',
      field: 'wabaId',
    });
    // The first tenant's template id is unknown to the other.
    const [mine] = (await gql(`{ templates(filter: { name: "promo_offer" }) { id } }`)).templates;
    expect((await gql(SUBMIT, { id: mine.id }, otherKey)).submitTemplate.__typename).toBe('NotFoundError');
  });

  it('a media header is submitted with its sample handle, and refused without one', async () => {
    const t = await createTemplate({
      name: 'invoice_ready',
      category: 'UTILITY',
      body: 'Your invoice {{1}} is attached',
      headerKind: 'DOCUMENT',
    });
    const noHandle = await gql(SUBMIT, { id: t.id, bodyExample: ['INV-1'] });
    expect(noHandle.submitTemplate).toMatchObject({ __typename: 'ValidationError', field: 'headerHandle' });
    const handle = '4::YXBwbGljYXRpb24vcGRm:ARb-sample';
    const submitted = await gql(SUBMIT, { id: t.id, bodyExample: ['INV-1'], headerHandle: handle });
    expect(submitted.submitTemplate.status).toBe('PENDING');
    const request = fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/message_templates')).at(-1)!;
    expect(request.json?.components).toEqual([
      { type: 'HEADER', format: 'DOCUMENT', example: { header_handle: [handle] } },
      { type: 'BODY', text: 'Your invoice {{1}} is attached', example: { body_text: [['INV-1']] } },
    ]);
    // An SMS template is not Meta's to review.
    const sms = await gql(CREATE, { input: { channel: 'SMS', name: 'otp_sms', body: 'Code {{1}}' } });
    const notWhatsApp = await gql(SUBMIT, { id: sms.createTemplate.id, bodyExample: ['1'] });
    expect(notWhatsApp.submitTemplate).toMatchObject({ __typename: 'ValidationError', field: 'id' });
  });

  it("uploads a header sample from the tenant's media with Meta's resumable upload API", async () => {
    const upload = async (bytes: Buffer, filename: string, type: string): Promise<string> => {
      const form = new FormData();
      form.set(
        'operations',
        JSON.stringify({
          query: 'mutation($file: File!) { uploadMedia(file: $file) { __typename ... on Media { mediaId } } }',
          variables: { file: null },
        }),
      );
      form.set('map', JSON.stringify({ 0: ['variables.file'] }));
      form.set('0', new Blob([new Uint8Array(bytes)], { type }), filename);
      const res = await fetch(h.graphqlUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}` },
        body: form,
      });
      const body = (await res.json()) as { data: { uploadMedia: { mediaId: string } } };
      return body.data.uploadMedia.mediaId;
    };
    const sample = pdf(7);
    const pdfId = await upload(sample, 'sample.pdf', 'application/pdf');
    const pngId = await upload(png(), 'sample.png', 'image/png');
    const t = await createTemplate({
      name: 'statement_ready',
      category: 'UTILITY',
      body: 'Your statement is attached',
      headerKind: 'DOCUMENT',
    });
    const wrongKind = await gql(SUBMIT, { id: t.id, headerMediaId: pngId });
    expect(wrongKind.submitTemplate).toMatchObject({ __typename: 'ValidationError', field: 'headerMediaId' });
    const foreign = await gql(SUBMIT, { id: t.id, headerMediaId: '0190c5e0-0000-7000-8000-000000000009' });
    expect(foreign.submitTemplate).toMatchObject({ __typename: 'ValidationError', field: 'headerMediaId' });
    const noApp = await gql(SUBMIT, { id: t.id, headerMediaId: pdfId });
    expect(noApp.submitTemplate).toMatchObject({ __typename: 'ValidationError', field: 'appId' });

    // The provider learns the Meta app's id (its secrets stay as stored).
    await gql(`mutation($input: ConfigureProviderInput!) { configureProvider(input: $input) { __typename } }`, {
      input: {
        name: 'meta',
        kind: 'whatsapp-cloud',
        settings: {
          phoneNumberId: fake.phoneNumberId,
          wabaId: fake.wabaId,
          appId: fake.appId,
          baseUrl: fake.url,
          apiVersion: fake.apiVersion,
        },
      },
    });
    const submitted = await gql(SUBMIT, { id: t.id, headerMediaId: pdfId });
    expect(submitted.submitTemplate).toMatchObject({ __typename: 'Template', status: 'PENDING' });
    const [handle, stored] = [...fake.samples.entries()].at(-1)!;
    expect(stored).toMatchObject({ fileType: 'application/pdf', fileName: 'sample.pdf' });
    expect(stored.bytes.equals(sample)).toBe(true);
    const request = fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/message_templates')).at(-1)!;
    expect(request.json?.components).toContainEqual({
      type: 'HEADER',
      format: 'DOCUMENT',
      example: { header_handle: [handle] },
    });
  });

  it("answers Meta's refusal of a submission as an UpstreamError with Meta's words", async () => {
    // Made at Meta outside Herald: Meta refuses a second template of that name and language.
    fake.metaTemplates.set('1999999999999999', {
      id: '1999999999999999',
      name: 'legacy_notice',
      language: 'en',
      category: 'UTILITY',
      status: 'APPROVED',
      rejectedReason: 'NONE',
      quality: 'GREEN',
      components: [{ type: 'BODY', text: 'Notice' }],
    });
    const t = await createTemplate({ name: 'legacy_notice', category: 'UTILITY', body: 'Notice', status: 'PENDING' });
    const refused = await gql(SUBMIT, { id: t.id });
    expect(refused.submitTemplate).toMatchObject({ __typename: 'UpstreamError', provider: 'meta', retryable: false });
    expect(refused.submitTemplate.message).toMatch(/already exists/);
    expect(refused.submitTemplate.message).not.toContain(fake.accessToken);
    expect((await gql(TEMPLATE, { id: t.id })).template).toMatchObject({ status: 'PENDING', metaTemplateId: null });
    // A template already submitted is not sent again: Meta's review goes on.
    const [promo] = (await gql(`{ templates(filter: { name: "promo_offer" }) { id } }`)).templates;
    const again = await gql(SUBMIT, { id: promo.id });
    expect(again.submitTemplate).toMatchObject({ __typename: 'ValidationError', field: 'id' });
    expect(again.submitTemplate.message).toMatch(/already submitted to Meta/);
    fake.metaTemplates.delete('1999999999999999');
  });
});

describe('the periodic sync', () => {
  it('repairs the registry without anyone asking', async () => {
    const periodic = await startHerald({ HERALD_WORKERS: '1', HERALD_TEMPLATE_SYNC_MS: '1000' });
    try {
      const tenant = await periodic.sdk().CreateTenant({ name: 'Periodic' });
      if (tenant.createTenant.__typename !== 'IssuedApiKey') throw new Error('no tenant');
      const k = tenant.createTenant.key;
      const call = (q: string, v: Record<string, unknown> = {}) =>
        fetch(periodic.graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${k}` },
          body: JSON.stringify({ query: q, variables: v }),
        }).then(async (r) => ((await r.json()) as { data: any }).data);
      await call(`mutation($input: ConfigureProviderInput!) { configureProvider(input: $input) { __typename } }`, {
        input: {
          name: 'meta',
          kind: 'whatsapp-cloud',
          settings: {
            phoneNumberId: fake.phoneNumberId,
            wabaId: fake.wabaId,
            baseUrl: fake.url,
            apiVersion: fake.apiVersion,
          },
          secrets: { accessToken: fake.accessToken },
        },
      });
      // Registered by hand as PENDING, never linked to Meta: Meta's list has it, rejected (see above).
      const created = await call(CREATE, {
        input: {
          channel: 'WHATSAPP',
          name: 'promo_offer',
          language: 'en',
          category: 'MARKETING',
          body: 'x',
          status: 'PENDING',
        },
      });
      const id = created.createTemplate.id;
      const synced = await eventually(
        () => call(TEMPLATE, { id }),
        (d) => d.template.status === 'REJECTED',
        10_000,
      );
      expect(synced.template).toMatchObject({
        rejectionReason: 'INVALID_FORMAT',
        metaTemplateId: expect.stringMatching(/^\d+$/),
      });
    } finally {
      await periodic.stop();
    }
  });
});
