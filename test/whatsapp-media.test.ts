import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/clock.js';
import { startFakeWhatsApp, type FakeWhatsApp } from './support/fake-whatsapp.js';
import { startHerald, type TestHerald } from './support/herald.js';
import { png } from './support/media-fixtures.js';

// The seed's mediaId pattern end to end: upload once to Herald, send many template messages
// by mediaId; WhatsApp gets its own media id, uploaded once and reused.

let fake: FakeWhatsApp;
let h: TestHerald;

beforeAll(async () => {
  fake = await startFakeWhatsApp({ templates: [{ name: 'promo_image', bodyParams: 1, header: 'image' }] });
  h = await startHerald({
    HERALD_WORKERS: '2',
    HERALD_POLL_MS: '20',
    HERALD_ROUTE_WHATSAPP: 'whatsapp-cloud',
    HERALD_RATE_LIMITS: 'whatsapp-cloud=1000',
    WHATSAPP_ACCESS_TOKEN: fake.accessToken,
    WHATSAPP_PHONE_NUMBER_ID: fake.phoneNumberId,
    WHATSAPP_BASE_URL: fake.url,
    WHATSAPP_API_VERSION: fake.apiVersion,
  });
});
afterAll(async () => {
  await h?.stop();
  await fake?.close();
});

describe('WhatsApp template with an image header, by mediaId', () => {
  it('uploads the image to WhatsApp once and reuses its media id for the next 100 sends', async () => {
    const upload = await fetch(`${h.url}/api/media/upload`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', apikey: h.adminKey },
      body: JSON.stringify({
        mediaType: 'image',
        data: png().toString('base64'),
        filename: 'offer.png',
        caption: 'Spring offer',
      }),
    });
    expect(upload.status).toBe(200);
    const { mediaId } = (await upload.json()) as { mediaId: string };

    const sdk = h.sdk();
    const ids: string[] = [];
    for (let batch = 0; batch < 101; batch += 25) {
      const sent = await Promise.all(
        Array.from({ length: Math.min(25, 101 - batch) }, (_, i) =>
          sdk.SendWhatsApp({
            input: {
              to: `+9188000${String(10000 + batch + i)}`,
              templateName: 'promo_image',
              params: [`Customer ${batch + i}`],
              mediaType: 'IMAGE',
              mediaId,
            },
          }),
        ),
      );
      ids.push(...sent.map((r) => (r.sendWhatsApp.__typename === 'Message' ? r.sendWhatsApp.messageId : 'refused')));
    }
    expect(ids).not.toContain('refused');

    await eventually(
      async () => fake.requests.filter((r) => r.wamid).length,
      (n) => n === 101,
      30_000,
    );
    const uploads = fake.requests.filter((r) => r.mediaId);
    expect(uploads).toHaveLength(1);
    const whatsappMediaId = uploads[0]!.mediaId!;
    expect(fake.media.get(whatsappMediaId)?.bytes.equals(png())).toBe(true);

    const sends = fake.requests.filter((r) => r.wamid);
    for (const send of sends) {
      const template = (send.json as any).template;
      expect(template.components[0]).toEqual({
        type: 'header',
        parameters: [{ type: 'image', image: { id: whatsappMediaId } }],
      });
    }
    // Herald keeps its own id on the message.
    const stored = await sdk.Message({ id: ids[0]! });
    expect(stored.message?.content).toMatchObject({ mediaType: 'IMAGE', mediaId });
  });
});
