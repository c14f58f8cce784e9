// Billing: when an invoice is created, remind the customer on WhatsApp three days before it is
// due (at once when that is already past). The invoice id is the idempotency key, so a hook that
// fires twice for one invoice still sends one reminder.
//
//   HERALD_URL=http://127.0.0.1:4000 HERALD_KEY=hk_… npx tsx examples/billing-reminder.ts
import { CreateTemplateDocument, createHeraldClient, SendWhatsAppDocument } from '@herald/client';

const herald = createHeraldClient({
  url: process.env.HERALD_URL ?? 'http://127.0.0.1:4000',
  apiKey: process.env.HERALD_KEY ?? '',
});
const DAY = 86_400_000;

type Invoice = { id: string; customer: string; phone: string; amount: string; dueDate: string };

/** Your billing system's "invoice created" hook. */
async function onInvoiceCreated(invoice: Invoice) {
  const remindAt = new Date(Date.parse(invoice.dueDate) - 3 * DAY);
  const { sendWhatsApp: sent } = await herald.mutate(SendWhatsAppDocument, {
    input: {
      to: invoice.phone,
      templateName: 'invoice_reminder',
      language: 'en',
      category: 'UTILITY',
      params: [invoice.customer, invoice.id, invoice.amount, invoice.dueDate.slice(0, 10)],
      externalRef: invoice.id,
      idempotencyKey: `invoice-reminder-${invoice.id}`,
      tags: ['billing'],
      ...(remindAt.getTime() > Date.now() ? { sendAt: remindAt.toISOString() } : {}),
    },
  });
  // Refusals are typed results naming the field, not exceptions.
  if (sent.__typename !== 'Message') throw new Error(`${sent.__typename} (${sent.field}): ${sent.message}`);
  return sent;
}

// The template, registered once (an ADMIN key may; "already exists" is fine).
const { createTemplate: template } = await herald.mutate(CreateTemplateDocument, {
  input: {
    channel: 'WHATSAPP',
    name: 'invoice_reminder',
    language: 'en',
    category: 'UTILITY',
    body: 'Hi {{1}}, invoice {{2}} of {{3}} is due on {{4}}.',
  },
});
if (template.__typename === 'ValidationError' && !/already exists/.test(template.message))
  throw new Error(`template: ${template.message}`);

const run = Date.now().toString(36);
const dueSoon = { id: `INV-${run}-1`, customer: 'Asha', phone: '+14155550101', amount: '$120.00' };
const dueLater = { id: `INV-${run}-2`, customer: 'Ben', phone: '+14155550102', amount: '$80.00' };
const first = await onInvoiceCreated({ ...dueSoon, dueDate: new Date(Date.now() + 2 * DAY).toISOString() });
// The hook fired again (a retry on your side): the same message comes back, nothing is sent twice.
const again = await onInvoiceCreated({ ...dueSoon, dueDate: new Date(Date.now() + 2 * DAY).toISOString() });
const later = await onInvoiceCreated({ ...dueLater, dueDate: new Date(Date.now() + 30 * DAY).toISOString() });

console.log(`${dueSoon.id}: reminder ${first.id} ${first.status}`);
console.log(
  `${dueSoon.id} again: reminder ${again.id} ${again.id === first.id ? '(the same message)' : '(a new one!)'}`,
);
console.log(`${dueLater.id}: reminder ${later.id} ${later.status} for ${later.sendAt}`);
