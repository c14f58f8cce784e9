import type { Readable } from 'node:stream';

/**
 * Most of an upstream answer a provider call reads: a send's answer, a template page or an error
 * page is far smaller. A tenant chooses some of these servers (a provider's baseUrl), so an
 * answer that does not end is cut here instead of growing Herald's memory.
 */
export const ANSWER_MAX_BYTES = 4 * 1024 * 1024;

/** The body as text, at most `maxBytes` of it; the rest is not read (the connection is dropped). */
export async function answerText(body: Readable, maxBytes = ANSWER_MAX_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const piece = chunk as Buffer;
    chunks.push(size + piece.length > maxBytes ? piece.subarray(0, maxBytes - size) : piece);
    size += piece.length;
    if (size >= maxBytes) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}
