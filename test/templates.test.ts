import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateTemplateInput, CreateTemplateMutation } from './client/sdk.js';
import { png } from './support/media-fixtures.js';
import { startHerald, type Sdk, type TestHerald } from './support/herald.js';

// The template registry: CRUD and its validation, tenant isolation, previews, and the checks
// sends get against it (GraphQL and REST alike), strict templates included.

let h: TestHerald;
let admin: Sdk;
let other: Sdk;
let otherKey: string;
let imageId: string;
const to = '+918800001234';

beforeAll(async () => {
  h = await startHerald({ HERALD_WORKERS: '0' });
  admin = h.sdk();
  const created = await admin.CreateTenant({ name: 'Other Co' });
  if (created.createTenant.__typename !== 'IssuedApiKey') throw new Error('tenant not created');
  otherKey = created.createTenant.key;
  other = h.sdk(otherKey);
  const res = await fetch(`${h.url}/api/media/upload`, {
    method: 'POST',
    headers: { apikey: h.adminKey, 'content-type': 'application/json' },
    body: JSON.stringify({ mediaType: 'image', data: png().toString('base64'), filename: 'promo.png' }),
  });
  imageId = ((await res.json()) as { mediaId: string }).mediaId;
});
afterAll(() => h?.stop());

type Created = Extract<CreateTemplateMutation['createTemplate'], { __typename: 'Template' }>;

async function create(sdk: Sdk, input: CreateTemplateInput): Promise<Created> {
  const result = (await sdk.CreateTemplate({ input })).createTemplate;
  if (result.__typename !== 'Template') throw new Error(`expected a Template, got ${JSON.stringify(result)}`);
  return result;
}

async function countMessages(sdk: Sdk): Promise<number> {
  let count = 0;
  let after: string | null | undefined;
  for (;;) {
    const page = await sdk.Messages({ first: 100, after });
    count += page.messages.edges.length;
    if (!page.messages.pageInfo.hasNextPage) return count;
    after = page.messages.pageInfo.endCursor;
  }
}

/** Runs a send that must be refused: a ValidationError on `field`, and nothing stored. */
async function refused(
  sdk: Sdk,
  send: () => Promise<{ __typename: string; field?: string; message?: string }>,
  field: string,
) {
  const before = await countMessages(sdk);
  const result = await send();
  expect(result).toMatchObject({ __typename: 'ValidationError', field });
  expect(await countMessages(sdk)).toBe(before);
  return result.message!;
}

const invoice: CreateTemplateInput = {
  channel: 'WHATSAPP',
  name: 'invoice_due',
  language: 'en',
  category: 'UTILITY',
  body: 'Hi {{1}}, invoice {{2}} is due on {{3}}: {{4}}.',
  buttons: [{ type: 'URL', text: 'Pay', url: 'https://pay.example.com/{{1}}' }],
};

describe('registry', () => {
  it('creates, reads, lists, updates and deletes a template; paramCount comes from the body', async () => {
    const t = await create(admin, invoice);
    expect(t).toMatchObject({
      channel: 'WHATSAPP',
      name: 'invoice_due',
      language: 'en',
      paramCount: 4,
      headerKind: 'NONE',
      status: 'APPROVED',
      category: 'UTILITY',
    });
    expect(t.buttons).toEqual(invoice.buttons);
    expect((await admin.Template({ id: t.id })).template?.templateId).toBe(t.templateId);
    expect((await admin.Template({ id: t.templateId })).template?.id).toBe(t.id);

    const listed = await admin.Templates({ filter: { channel: 'WHATSAPP', name: 'invoice_due' } });
    expect(listed.templates.map((x) => x.templateId)).toEqual([t.templateId]);

    const updated = (
      await admin.UpdateTemplate({ id: t.id, input: { body: 'Hi {{1}}, {{2}} is due.', category: null } })
    ).updateTemplate;
    expect(updated).toMatchObject({ __typename: 'Template', paramCount: 2, category: null, name: 'invoice_due' });

    const temp = await create(admin, { channel: 'WHATSAPP', name: 'to_delete', body: 'bye' });
    expect((await admin.DeleteTemplate({ id: temp.id })).deleteTemplate).toMatchObject({
      __typename: 'Template',
      name: 'to_delete',
    });
    expect((await admin.Template({ id: temp.id })).template).toBeNull();
    expect((await admin.DeleteTemplate({ id: temp.id })).deleteTemplate.__typename).toBe('NotFoundError');
    // Back to the four-parameter body for the send tests below.
    await admin.UpdateTemplate({ id: t.id, input: { body: invoice.body } });
  });

  it('refuses placeholders with gaps or names, duplicates and fields of another channel', async () => {
    const cases: Array<[CreateTemplateInput, string, RegExp]> = [
      [{ channel: 'WHATSAPP', name: 'gappy', body: 'Hi {{1}}, see {{3}}' }, 'body', /\{\{2\}\} is missing/],
      [{ channel: 'WHATSAPP', name: 'from_two', body: 'Hi {{2}}' }, 'body', /\{\{1\}\} is missing/],
      [{ channel: 'WHATSAPP', name: 'named', body: 'Hi {{name}}' }, 'body', /numbered/],
      [
        { channel: 'EMAIL', name: 'mail_gap', body: 'Hi {{1}}', subject: 'Invoice {{3}}' },
        'body',
        /\{\{2\}\} is missing/,
      ],
      [{ channel: 'WHATSAPP', name: 'Bad Name', body: 'x' }, 'name', /lower-case/],
      [{ ...invoice }, 'name', /already exists/],
      [{ channel: 'WHATSAPP', name: 'text_head', body: 'x', headerKind: 'TEXT' }, 'headerText', /required/],
      [{ channel: 'SMS', name: 'sms_subject', body: 'x', subject: 'no' }, 'subject', /EMAIL/],
      [{ channel: 'EMAIL', name: 'no_subject', body: 'x' }, 'subject', /required/],
    ];
    for (const [input, field, message] of cases) {
      const result = (await admin.CreateTemplate({ input })).createTemplate;
      expect(result, input.name).toMatchObject({ __typename: 'ValidationError', field });
      expect(result.__typename === 'ValidationError' && result.message).toMatch(message);
    }
    // The same name in another language or channel is a different template.
    expect((await create(admin, { ...invoice, language: 'hi', body: 'नमस्ते {{1}} {{2}} {{3}} {{4}}' })).language).toBe(
      'hi',
    );
    // Renaming onto an existing template is refused the same way.
    const spare = await create(admin, { channel: 'WHATSAPP', name: 'spare', body: 'x' });
    const clash = (await admin.UpdateTemplate({ id: spare.id, input: { name: 'invoice_due' } })).updateTemplate;
    expect(clash).toMatchObject({ __typename: 'ValidationError', field: 'name' });
    expect(clash.__typename === 'ValidationError' && clash.message).toMatch(/already exists/);
  });

  it('needs the admin scope to change the registry', async () => {
    const issued = (await admin.CreateApiKey({ input: { name: 'sender', scopes: ['SEND', 'READ'] } })).createApiKey;
    if (issued.__typename !== 'IssuedApiKey') throw new Error('no key');
    await expect(
      h.sdk(issued.key).CreateTemplate({ input: { channel: 'SMS', name: 'nope', body: 'x' } }),
    ).rejects.toThrow(/authoriz|scope|permission/i);
    expect((await h.sdk(issued.key).Templates({})).templates.length).toBeGreaterThan(0);
  });

  it("keeps tenants apart: another tenant can neither see, change nor delete a tenant's template", async () => {
    const [t] = (await admin.Templates({ filter: { name: 'invoice_due', language: 'en' } })).templates;
    expect((await other.Template({ id: t!.id })).template).toBeNull();
    expect((await other.Templates({})).templates).toEqual([]);
    expect((await other.UpdateTemplate({ id: t!.id, input: { body: 'stolen' } })).updateTemplate.__typename).toBe(
      'NotFoundError',
    );
    expect((await other.DeleteTemplate({ id: t!.id })).deleteTemplate.__typename).toBe('NotFoundError');
    expect(
      (await other.PreviewTemplate({ channel: 'WHATSAPP', name: 'invoice_due', params: [] })).previewTemplate
        .__typename,
    ).toBe('NotFoundError');
    expect((await admin.Template({ id: t!.id })).template?.body).toBe(invoice.body);
    // The other tenant may register the same name for itself.
    expect((await create(other, { ...invoice, body: 'Just {{1}}' })).paramCount).toBe(1);
  });
});

describe('hostile template input', () => {
  const CREATE =
    'mutation($in: CreateTemplateInput!) { createTemplate(input: $in) { __typename ... on ValidationError { field message } } }';
  async function createRaw(inputJson: string) {
    const res = await fetch(h.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${h.adminKey}` },
      body: `{"query":${JSON.stringify(CREATE)},"variables":{"in":${inputJson}}}`,
    });
    return (
      (await res.json()) as { data: { createTemplate: { __typename: string; field?: string; message?: string } } }
    ).data.createTemplate;
  }

  it.each([
    [
      'buttons nested 5,000 deep',
      `{"channel":"WHATSAPP","name":"deep_buttons","body":"hi","buttons":[${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}]}`,
      'buttons.0',
      /nested deeper than 32 levels/,
    ],
    [
      'a lone surrogate in a button',
      '{"channel":"WHATSAPP","name":"sur_button","body":"hi","buttons":[{"type":"QUICK_REPLY","text":"\\udc00"}]}',
      'buttons.0',
      /lone UTF-16 surrogate/,
    ],
    [
      '__proto__ in a button',
      '{"channel":"WHATSAPP","name":"proto_button","body":"hi","buttons":[{"__proto__":{"x":1}}]}',
      'buttons.0',
      /key "__proto__"/,
    ],
    [
      'a lone surrogate in the body',
      '{"channel":"WHATSAPP","name":"sur_body","body":"hi \\ud800"}',
      'body',
      /lone UTF-16 surrogate/,
    ],
    [
      'a lone surrogate in the email html',
      '{"channel":"EMAIL","name":"sur_html","body":"hi","subject":"s","html":"<p>\\ud800</p>"}',
      'html',
      /lone UTF-16 surrogate/,
    ],
    [
      'a lone surrogate in the subject',
      '{"channel":"EMAIL","name":"sur_subject","body":"hi","subject":"s\\udfff"}',
      'subject',
      /lone UTF-16 surrogate/,
    ],
    [
      'a lone surrogate in the header text',
      '{"channel":"WHATSAPP","name":"sur_header","body":"hi","headerKind":"TEXT","headerText":"\\ud800"}',
      'headerText',
      /lone UTF-16 surrogate/,
    ],
    [
      'a lone surrogate in the category',
      '{"channel":"WHATSAPP","name":"sur_category","body":"hi","category":"\\ud800"}',
      'category',
      /lone UTF-16 surrogate/,
    ],
  ])(
    '%s is a ValidationError naming the field; nothing is stored, no error is logged',
    async (_name, input, field, message) => {
      const before = (await admin.Templates({})).templates.length;
      const logged = h.logLines().length;
      const result = await createRaw(input);
      expect(result).toMatchObject({ __typename: 'ValidationError', field });
      expect(result.message).toMatch(message);
      expect((await admin.Templates({})).templates.length).toBe(before);
      expect(
        h
          .logLines()
          .slice(logged)
          .filter((l) => JSON.parse(l).level >= 50),
      ).toEqual([]);
    },
  );
});

describe('preview', () => {
  it('fills in the placeholders, or names what the template expects', async () => {
    const ok = (
      await admin.PreviewTemplate({
        channel: 'WHATSAPP',
        name: 'invoice_due',
        language: 'en',
        params: ['John', 'INV-1', '1 May', '250.00'],
      })
    ).previewTemplate;
    expect(ok).toMatchObject({
      __typename: 'TemplatePreview',
      text: 'Hi John, invoice INV-1 is due on 1 May: 250.00.',
      template: { paramCount: 4 },
    });

    const short = (await admin.PreviewTemplate({ channel: 'WHATSAPP', name: 'invoice_due', params: ['John'] }))
      .previewTemplate;
    expect(short).toMatchObject({
      __typename: 'ValidationError',
      field: 'params',
      message: 'template invoice_due (en) expects 4 parameters, got 1',
    });

    const lang = (await admin.PreviewTemplate({ channel: 'WHATSAPP', name: 'invoice_due', language: 'fr', params: [] }))
      .previewTemplate;
    expect(lang).toMatchObject({ __typename: 'ValidationError', field: 'language' });
    expect(lang.__typename === 'ValidationError' && lang.message).toMatch(/en, hi/);

    await create(admin, {
      channel: 'EMAIL',
      name: 'receipt',
      body: 'Thanks {{1}}',
      subject: 'Receipt {{2}}',
      html: '<p>Thanks <b>{{1}}</b> for {{2}}</p>',
    });
    const mail = (await admin.PreviewTemplate({ channel: 'EMAIL', name: 'receipt', params: ['Ann', 'R-9'] }))
      .previewTemplate;
    expect(mail).toMatchObject({
      __typename: 'TemplatePreview',
      text: 'Thanks Ann',
      subject: 'Receipt R-9',
      html: '<p>Thanks <b>Ann</b> for R-9</p>',
    });

    expect((await admin.PreviewTemplate({ channel: 'SMS', name: 'missing' })).previewTemplate.__typename).toBe(
      'NotFoundError',
    );
  });
});

describe('sending with registered templates', () => {
  const params4 = ['John', 'INV-1', '1 May', '250.00'];

  it('refuses a wrong parameter count, naming what the template expects, and stores nothing', async () => {
    const message = await refused(
      admin,
      async () =>
        (await admin.SendWhatsApp({ input: { to, templateName: 'invoice_due', params: ['John', 'INV-1'] } }))
          .sendWhatsApp,
      'params',
    );
    expect(message).toBe('template invoice_due (en) expects 4 parameters, got 2');
  });

  it('accepts the right count', async () => {
    const sent = (await admin.SendWhatsApp({ input: { to, templateName: 'invoice_due', params: params4 } }))
      .sendWhatsApp;
    expect(sent).toMatchObject({ __typename: 'Message', status: 'QUEUED' });
  });

  it('refuses a language the name is not registered in, naming the registered ones', async () => {
    const message = await refused(
      admin,
      async () =>
        (await admin.SendWhatsApp({ input: { to, templateName: 'invoice_due', language: 'fr', params: params4 } }))
          .sendWhatsApp,
      'language',
    );
    expect(message).toMatch(/invoice_due.*fr.*en, hi/);
  });

  it('checks header media against the template header', async () => {
    await create(admin, { channel: 'WHATSAPP', name: 'promo_image', body: 'New in {{1}}', headerKind: 'IMAGE' });
    const none = await refused(
      admin,
      async () =>
        (await admin.SendWhatsApp({ input: { to, templateName: 'promo_image', params: ['May'] } })).sendWhatsApp,
      'mediaType',
    );
    expect(none).toMatch(/template promo_image \(en\) has an IMAGE header; mediaType must be IMAGE/);
    const wrong = await refused(
      admin,
      async () =>
        (
          await admin.SendWhatsApp({
            input: {
              to,
              templateName: 'promo_image',
              params: ['May'],
              mediaType: 'VIDEO',
              mediaId: 'https://cdn.example.com/a.mp4',
            },
          })
        ).sendWhatsApp,
      'mediaType',
    );
    expect(wrong).toMatch(/mediaType must be IMAGE/);
    const extra = await refused(
      admin,
      async () =>
        (
          await admin.SendWhatsApp({
            input: { to, templateName: 'invoice_due', params: params4, mediaType: 'IMAGE', mediaId: imageId },
          })
        ).sendWhatsApp,
      'mediaType',
    );
    expect(extra).toMatch(/has no media header.*mediaType must be NONE/);
    const ok = (
      await admin.SendWhatsApp({
        input: { to, templateName: 'promo_image', params: ['May'], mediaType: 'IMAGE', mediaId: imageId },
      })
    ).sendWhatsApp;
    expect(ok).toMatchObject({ __typename: 'Message', status: 'QUEUED' });
  });

  it('refuses PENDING and REJECTED templates', async () => {
    const t = await create(admin, { channel: 'WHATSAPP', name: 'not_yet', body: 'Hello {{1}}', status: 'PENDING' });
    const message = await refused(
      admin,
      async () => (await admin.SendWhatsApp({ input: { to, templateName: 'not_yet', params: ['x'] } })).sendWhatsApp,
      'templateName',
    );
    expect(message).toMatch(/not_yet \(en\) is PENDING/);
    await admin.UpdateTemplate({ id: t.id, input: { status: 'REJECTED' } });
    expect(
      await refused(
        admin,
        async () => (await admin.SendWhatsApp({ input: { to, templateName: 'not_yet', params: ['x'] } })).sendWhatsApp,
        'templateName',
      ),
    ).toMatch(/REJECTED/);
    await admin.UpdateTemplate({ id: t.id, input: { status: 'APPROVED' } });
    expect(
      (await admin.SendWhatsApp({ input: { to, templateName: 'not_yet', params: ['x'] } })).sendWhatsApp.__typename,
    ).toBe('Message');
  });

  it("does not check another tenant's sends against this tenant's templates", async () => {
    // The other tenant registered invoice_due with one parameter; this tenant's four do not apply.
    expect(
      (await other.SendWhatsApp({ input: { to, templateName: 'invoice_due', params: ['only'] } })).sendWhatsApp
        .__typename,
    ).toBe('Message');
    expect(
      (await other.SendWhatsApp({ input: { to, templateName: 'promo_image', params: [] } })).sendWhatsApp.__typename,
    ).toBe('Message');
  });

  it('passes an unregistered template on unless the tenant is strict', async () => {
    expect(
      (await admin.SendWhatsApp({ input: { to, templateName: 'unknown_one', params: ['a'] } })).sendWhatsApp.__typename,
    ).toBe('Message');
    expect((await admin.SetStrictTemplates({ enabled: true })).setStrictTemplates.strictTemplates).toBe(true);
    expect((await admin.ViewerTemplates()).viewer.tenant.strictTemplates).toBe(true);
    try {
      const message = await refused(
        admin,
        async () =>
          (await admin.SendWhatsApp({ input: { to, templateName: 'unknown_one', params: ['a'] } })).sendWhatsApp,
        'templateName',
      );
      expect(message).toMatch(/unknown_one is not a registered WhatsApp template.*strict/);
      // Registered templates still go; another tenant is not strict.
      expect(
        (await admin.SendWhatsApp({ input: { to, templateName: 'invoice_due', params: params4 } })).sendWhatsApp
          .__typename,
      ).toBe('Message');
      expect((await other.SendWhatsApp({ input: { to, templateName: 'unknown_one' } })).sendWhatsApp.__typename).toBe(
        'Message',
      );
      expect((await other.ViewerTemplates()).viewer.tenant.strictTemplates).toBe(false);
    } finally {
      await admin.SetStrictTemplates({ enabled: false });
    }
  });

  it('checks an SMS naming a registered DLT template: text and entity id', async () => {
    await create(admin, {
      channel: 'SMS',
      name: 'otp',
      body: 'Your OTP is {{1}}. Do not share it.',
      dltEntityId: '1101456789012345678',
      dltTemplateId: '1107161234567890123',
    });
    const dlt = { dltTemplateId: '1107161234567890123' };
    const ok = (
      await admin.SendSms({
        input: { to, text: 'Your OTP is 4242. Do not share it.', ...dlt, dltEntityId: '1101456789012345678' },
      })
    ).sendSms;
    expect(ok).toMatchObject({ __typename: 'Message', status: 'QUEUED' });
    expect(
      await refused(
        admin,
        async () => (await admin.SendSms({ input: { to, text: 'Your code: 4242', ...dlt } })).sendSms,
        'text',
      ),
    ).toMatch(/does not match SMS template otp/);
    expect(
      await refused(
        admin,
        async () =>
          (await admin.SendSms({ input: { to, text: 'Your OTP is 1. Do not share it.', ...dlt, dltEntityId: '999' } }))
            .sendSms,
        'dltEntityId',
      ),
    ).toMatch(/1101456789012345678/);
    // Free text and unregistered DLT ids are not checked.
    expect((await admin.SendSms({ input: { to, text: 'anything', dltTemplateId: '42' } })).sendSms.__typename).toBe(
      'Message',
    );
  });
});

describe('REST', () => {
  const WA = '/api/whatsapp-cloud-api/send-message-api';
  const get = async (query: Record<string, string>) => {
    const res = await fetch(
      `${h.url}${WA}?${new URLSearchParams({ apikey: h.adminKey, mobile: '918800001234', ...query })}`,
    );
    return {
      status: res.status,
      body: (await res.json()) as { status: string; error?: { code: string; field: string; message: string } },
    };
  };

  it('refuses a registered template sent with the wrong parameters with a 400 naming the parameter', async () => {
    const before = await countMessages(admin);
    const short = await get({ templatename: 'invoice_due', param1: 'John', param2: 'INV-1' });
    expect(short.status).toBe(400);
    expect(short.body.error).toMatchObject({ code: 'INVALID_INPUT' });
    expect(short.body.error!.field).toMatch(/^param\d+$/);
    expect(short.body.error!.message).toMatch(/template invoice_due \(en\) expects 4 parameters, got 2/);

    const pending = await create(admin, { channel: 'WHATSAPP', name: 'rest_pending', body: 'x', status: 'PENDING' });
    const refusedPending = await get({ templatename: 'rest_pending' });
    expect(refusedPending.status).toBe(400);
    expect(refusedPending.body.error).toMatchObject({ field: 'templatename' });
    expect(refusedPending.body.error!.message).toMatch(/^templatename .*PENDING/);
    await admin.DeleteTemplate({ id: pending.id });

    const image = await get({ templatename: 'promo_image', param1: 'May' });
    expect(image.status).toBe(400);
    expect(image.body.error).toMatchObject({ field: 'mediatype' });
    expect(await countMessages(admin)).toBe(before);

    const ok = await get({
      templatename: 'invoice_due',
      param1: 'John',
      param2: 'INV-1',
      param3: '1 May',
      param4: '250.00',
    });
    expect(ok.status).toBe(200);
    expect(await countMessages(admin)).toBe(before + 1);
  });
});
