// Abandoned cart: a MARKETING WhatsApp template with the product's picture as its header. The
// image is uploaded to Herald once (the same bytes again return the same media) and sent by id.
// Recipients who opted out are refused as a typed result, not an error.
//
//   HERALD_KEY=hk_… npx tsx examples/abandoned-cart.ts +14155550123 [picture.png]
import { readFile } from 'node:fs/promises';
import { CreateTemplateDocument, createHeraldClient, SendWhatsAppDocument, UploadMediaDocument } from '@herald/client';

const herald = createHeraldClient({
  url: process.env.HERALD_URL ?? 'http://127.0.0.1:4000',
  apiKey: process.env.HERALD_KEY ?? '',
});
const [phone = '+14155550123', picture] = process.argv.slice(2);
// Without a picture of yours: a 1×1 PNG (Herald recognises files from their bytes).
const SAMPLE_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const bytes = picture ? await readFile(picture) : Buffer.from(SAMPLE_PNG, 'base64');

const { uploadMedia: media } = await herald.mutate(UploadMediaDocument, {
  file: new File([bytes], 'cart.png'),
  caption: 'Your cart',
});
if (media.__typename !== 'Media') throw new Error(`upload: ${media.__typename}: ${media.message}`);
console.log(`image ${media.mediaId} (${media.mimeType}, ${media.sizeBytes} bytes)`);

const { createTemplate: template } = await herald.mutate(CreateTemplateDocument, {
  input: {
    channel: 'WHATSAPP',
    name: 'cart_reminder',
    language: 'en',
    category: 'MARKETING',
    headerKind: 'IMAGE',
    body: 'Hi {{1}}, your {{2}} is still in your cart. Complete your order: {{3}}',
  },
});
if (template.__typename === 'ValidationError' && !/already exists/.test(template.message))
  throw new Error(`template: ${template.message}`);

const cartId = `cart-${Date.now().toString(36)}`;
const { sendWhatsApp: sent } = await herald.mutate(SendWhatsAppDocument, {
  input: {
    to: phone,
    templateName: 'cart_reminder',
    language: 'en',
    category: 'MARKETING',
    params: ['Asha', 'blue running shoes', `https://shop.example/cart/${cartId}`],
    mediaType: 'IMAGE',
    mediaId: media.mediaId,
    externalRef: cartId,
    idempotencyKey: `${cartId}-reminder`,
    tags: ['abandoned-cart'],
  },
});
if (sent.__typename === 'RecipientSuppressedError') console.log(`${sent.recipient} opted out: not sent`);
else if (sent.__typename !== 'Message') throw new Error(`${sent.__typename} (${sent.field}): ${sent.message}`);
else if (sent.content.__typename === 'WhatsAppContent')
  console.log(`cart reminder ${sent.id} ${sent.status} with ${sent.content.mediaType} ${sent.content.mediaId}`);
