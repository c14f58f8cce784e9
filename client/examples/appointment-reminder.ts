// Appointment reminder: WhatsApp first, watched live until it is final. Read: done. Failed or
// undelivered: the same reminder by SMS, watched the same way. The exit code says whether the
// patient was reached (0) or not (1).
//
//   HERALD_KEY=hk_… npx tsx examples/appointment-reminder.ts +14155550123
import {
  CreateTemplateDocument,
  createHeraldClient,
  MessageStatusChangedDocument,
  type MessageStatus,
  SendSmsDocument,
  SendWhatsAppDocument,
} from '@herald/client';

const herald = createHeraldClient({
  url: process.env.HERALD_URL ?? 'http://127.0.0.1:4000',
  apiKey: process.env.HERALD_KEY ?? '',
});
const phone = process.argv[2] ?? '+14155550123';
const appointment = { id: `appt-${Date.now().toString(36)}`, patient: 'Asha', at: 'Tuesday 10:30', clinic: 'Elm St' };

/** Prints each status as it happens; resolves with the final one (the subscription completes there). */
async function finalStatus(messageId: string): Promise<MessageStatus> {
  let last: MessageStatus = 'QUEUED';
  for await (const { messageStatusChanged: e } of herald.subscribe(
    MessageStatusChangedDocument,
    { id: messageId },
    { signal: AbortSignal.timeout(60_000) },
  )) {
    last = e.status;
    console.log(`  ${e.occurredAt}  ${e.status}${e.errorCode ? ` (${e.errorCode})` : ''}`);
  }
  return last;
}

const { createTemplate: template } = await herald.mutate(CreateTemplateDocument, {
  input: {
    channel: 'WHATSAPP',
    name: 'appointment_reminder',
    language: 'en',
    category: 'UTILITY',
    body: 'Hi {{1}}, a reminder of your appointment on {{2}} at {{3}}. Reply STOP to opt out.',
  },
});
if (template.__typename === 'ValidationError' && !/already exists/.test(template.message))
  throw new Error(`template: ${template.message}`);

const params = [appointment.patient, appointment.at, appointment.clinic];
const { sendWhatsApp: wa } = await herald.mutate(SendWhatsAppDocument, {
  input: {
    to: phone,
    templateName: 'appointment_reminder',
    params,
    category: 'UTILITY',
    externalRef: appointment.id,
  },
});
if (wa.__typename !== 'Message') throw new Error(`${wa.__typename} (${wa.field}): ${wa.message}`);
console.log(`WhatsApp reminder ${wa.id}`);
const waStatus = await finalStatus(wa.id);

let reached = waStatus === 'READ' || waStatus === 'DELIVERED';
if (!reached) {
  const { sendSms: sms } = await herald.mutate(SendSmsDocument, {
    input: {
      to: phone,
      text: `Hi ${params[0]}, a reminder of your appointment on ${params[1]} at ${params[2]}.`,
      category: 'UTILITY',
      externalRef: appointment.id,
    },
  });
  if (sms.__typename !== 'Message') throw new Error(`${sms.__typename} (${sms.field}): ${sms.message}`);
  console.log(`WhatsApp ended ${waStatus}: SMS reminder ${sms.id}`);
  const smsStatus = await finalStatus(sms.id);
  reached = smsStatus === 'READ' || smsStatus === 'DELIVERED';
}
console.log(reached ? 'patient reminded' : 'patient not reached: call them');
process.exitCode = reached ? 0 : 1;
