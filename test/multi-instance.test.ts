import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphQLClient } from 'graphql-request';
import S3rver from 's3rver';
import { createClient } from 'graphql-ws';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { getSdk } from './client/sdk.js';
import { eventually } from './support/clock.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { killAllWorkers, spawnServer, spawnWorker } from './support/herald-process.js';
import { randomKey } from './support/herald.js';

// Two Herald servers and a worker-only process on one PostgreSQL, one Redis and one media bucket
// (a local S3-compatible server): a change made anywhere reaches subscribers everywhere, and
// media uploaded through one Herald is sent and downloaded through the other.

const SECRET = 'multi-instance-sandbox-secret';
let database: TestDatabase | undefined;
let bucket: { server: S3rver; dir: string } | undefined;

afterAll(async () => {
  await killAllWorkers();
  await database?.drop();
  await bucket?.server.close();
  if (bucket) rmSync(bucket.dir, { recursive: true, force: true });
});

async function startBucket(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'herald-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory: dir,
    silent: true,
    configureBuckets: [{ name: 'herald-media', configs: [] }],
  });
  const { port } = await server.run();
  bucket = { server, dir };
  return `http://127.0.0.1:${port}`;
}

// Below the ephemeral range (32768 up), where the tests' own outgoing connections take ports.
const freePort = () => 20_000 + Math.floor(Math.random() * 12_000);

function signedSandboxReport(body: string, now = Date.now()): Record<string, string> {
  const t = Math.floor(now / 1000);
  const v1 = createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex');
  return { 'content-type': 'application/json', 'herald-sandbox-signature': `t=${t},v1=${v1}` };
}

describe.skipIf(!process.env.DATABASE_URL || !process.env.REDIS_URL)('several Herald processes', () => {
  it('a webhook into A and a worker-only process both reach a graphql-ws subscriber on B', async () => {
    database = await createTestDatabase();
    const key = randomKey();
    const endpoint = await startBucket();
    const common = {
      HERALD_MEDIA_STORE: 's3',
      HERALD_S3_ENDPOINT: endpoint,
      HERALD_S3_BUCKET: 'herald-media',
      HERALD_S3_PREFIX: 'media/',
      HERALD_S3_ACCESS_KEY_ID: 'S3RVER',
      HERALD_S3_SECRET_ACCESS_KEY: 'S3RVER',
      DATABASE_URL: database.url!,
      REDIS_URL: process.env.REDIS_URL!,
      HERALD_BOOTSTRAP_API_KEY: key,
      HERALD_SANDBOX_WEBHOOK_SECRET: SECRET,
      HERALD_WORKERS: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    };
    const [portA, portB] = [freePort(), freePort() + 1];
    const a = spawnServer({ ...common, PORT: String(portA) });
    await a.ready; // A migrates and bootstraps first
    const b = spawnServer({ ...common, PORT: String(portB) });
    await b.ready;

    // B's subscriber, tenant-wide.
    const client = createClient({
      url: `ws://127.0.0.1:${portB}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { apiKey: key },
    });
    const events: Array<{ messageId: string; status: string }> = [];
    const subscription = (async () => {
      for await (const r of client.iterate<{ messageEvents: { messageId: string; status: string } }>({
        query: 'subscription { messageEvents { messageId status } }',
      })) {
        events.push(r.data!.messageEvents);
      }
    })();
    await new Promise((r) => setTimeout(r, 300));

    // Accepted by A.
    const sdkA = getSdk(
      new GraphQLClient(`http://127.0.0.1:${portA}/graphql`, { headers: { authorization: `Bearer ${key}` } }),
    );
    const sent = await sdkA.SendSms({ input: { to: '+918800001234', text: 'across instances' } });
    if (sent.sendSms.__typename !== 'Message') throw new Error(JSON.stringify(sent.sendSms));
    const id = sent.sendSms.messageId;

    // Dispatched by a worker-only process; its sandbox reports are far off, so only the
    // webhook below moves the message past SENT.
    const worker = spawnWorker({
      ...common,
      HERALD_WORKERS: '1',
      HERALD_POLL_MS: '50',
      HERALD_SANDBOX_DELAY_MS: '3600000',
    });
    await worker.ready;
    const sentState = await eventually(
      () => sdkA.Message({ id }),
      (r) => r.message?.status === 'SENT',
      20_000,
    );
    const providerMessageId = sentState.message!.providerMessageId!;

    // The provider's report arrives at A.
    const body = JSON.stringify({
      events: [{ providerMessageId, status: 'delivered', timestamp: Math.floor(Date.now() / 1000) }],
    });
    const hook = await fetch(`http://127.0.0.1:${portA}/webhooks/sandbox`, {
      method: 'POST',
      headers: signedSandboxReport(body),
      body,
    });
    expect(hook.status).toBe(200);

    await eventually(
      async () => events.filter((e) => e.messageId === id).map((e) => e.status),
      (s) => s.includes('DELIVERED'),
      20_000,
    );
    expect(events.filter((e) => e.messageId === id).map((e) => e.status)).toEqual([
      'QUEUED',
      'SENDING',
      'SENT',
      'DELIVERED',
    ]);

    // Media uploaded through A (a 20 MiB PDF: a multipart upload of four parts), sent with a WhatsApp template
    // through B and downloaded from B: both read the one bucket.
    const pdf = Buffer.concat([
      Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n'),
      Buffer.alloc(20 * 1024 * 1024, 0x20),
      Buffer.from('\ntrailer <<>>\n%%EOF\n'),
    ]);
    const form = new FormData();
    form.set('mediaType', 'document');
    form.set('file', new Blob([pdf]), 'invoice.pdf');
    const upload = await fetch(`http://127.0.0.1:${portA}/api/media/upload`, {
      method: 'POST',
      headers: { apikey: key },
      body: form,
    });
    const uploaded = (await upload.json()) as { status: string; mediaId: string };
    expect(uploaded, JSON.stringify(uploaded)).toMatchObject({ status: 'success' });
    const sdkB = getSdk(
      new GraphQLClient(`http://127.0.0.1:${portB}/graphql`, { headers: { authorization: `Bearer ${key}` } }),
    );
    const withImage = await sdkB.SendWhatsApp({
      input: { to: '+918800001234', templateName: 'invoice', mediaType: 'DOCUMENT', mediaId: uploaded.mediaId },
    });
    expect(withImage.sendWhatsApp.__typename).toBe('Message');
    const download = await fetch(`http://127.0.0.1:${portB}/media/${uploaded.mediaId}`, { headers: { apikey: key } });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(pdf)).toBe(true);

    await client.dispose();
    await subscription.catch(() => {});
  }, 120_000);
});
