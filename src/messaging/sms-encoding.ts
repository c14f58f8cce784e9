// SMS segment arithmetic (3GPP TS 23.038). A text that fits the GSM 03.38 alphabet travels as
// 7-bit GSM (160 characters alone, 153 per part when concatenated); anything else as UCS-2
// (70 alone, 67 per part). Extension-table characters cost two septets.

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '^{}\\[~]|€\f';

const basic = new Set(GSM_BASIC);
const extension = new Set(GSM_EXTENSION);

export type SmsEncoding = 'GSM7' | 'UCS2';

export type SmsLayout = { encoding: SmsEncoding; segments: number; units: number };

export function layoutSms(text: string, forceUnicode = false): SmsLayout {
  let septets = 0;
  let gsm = !forceUnicode;
  if (gsm) {
    for (const ch of text) {
      if (basic.has(ch)) septets += 1;
      else if (extension.has(ch)) septets += 2;
      else {
        gsm = false;
        break;
      }
    }
  }
  if (gsm) {
    return { encoding: 'GSM7', units: septets, segments: septets <= 160 ? 1 : Math.ceil(septets / 153) };
  }
  // UCS-2 counts UTF-16 code units; characters outside the BMP take two.
  const units = text.length;
  return { encoding: 'UCS2', units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}
