import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

// A load-generator process for the "fanout" scenario: holds graphql-ws clients subscribed to
// `messageEvents` and records when each event reaches each client. Driven over IPC:
//   { open: n }  -> opens n more clients, answers { opened, failed } once they are connected
//   { collect }  -> answers { receipts: { messageId: [receivedAt...] }, cpu, errors } and forgets them
//   { close }    -> disposes of every client and exits
// Receipt times are performance.timeOrigin + performance.now(), the clock the parent uses.

const [url, apiKey] = process.argv.slice(2) as [string, string];
const QUERY = 'subscription { messageEvents { messageId status to occurredAt } }';
const clients: Client[] = [];
let receipts = new Map<string, number[]>();
let errors = 0;
let cpuAt = { usage: process.cpuUsage(), at: performance.now() };

function open(): Promise<boolean> {
  return new Promise((resolve) => {
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      connectionParams: { apiKey },
      retryAttempts: 0,
      on: { connected: () => resolve(true), error: () => resolve(false), closed: () => resolve(false) },
    });
    clients.push(client);
    client.subscribe<{ messageEvents: { messageId: string } }>(
      { query: QUERY },
      {
        next: (r) => {
          const at = performance.timeOrigin + performance.now();
          const id = r.data?.messageEvents.messageId;
          if (!id) return void errors++;
          const list = receipts.get(id);
          if (list) list.push(at);
          else receipts.set(id, [at]);
        },
        error: () => errors++,
        complete: () => {},
      },
    );
  });
}

process.on('message', async (msg: { open?: number; collect?: true; close?: true }) => {
  if (msg.open) {
    let opened = 0;
    let failed = 0;
    // A few at a time, so the server's accept backlog never overflows.
    for (let i = 0; i < msg.open; i += 50) {
      const batch = await Promise.all(Array.from({ length: Math.min(50, msg.open - i) }, open));
      opened += batch.filter(Boolean).length;
      failed += batch.filter((ok) => !ok).length;
    }
    process.send!({ opened, failed });
  } else if (msg.collect) {
    const usage = process.cpuUsage(cpuAt.usage);
    const cpu = (usage.user + usage.system) / 1000 / (performance.now() - cpuAt.at);
    process.send!({ receipts: Object.fromEntries(receipts), cpu, errors });
    receipts = new Map();
    cpuAt = { usage: process.cpuUsage(), at: performance.now() };
  } else if (msg.close) {
    await Promise.all(clients.map((c) => c.dispose()));
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
