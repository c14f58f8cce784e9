import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

// A load-generator process for the "fanout" scenario: holds subscribers and records when each
// event reaches each of them. Driven over IPC:
//   { open: n, mode, ids?, url? } -> opens n more subscribers, answers { opened, failed } once connected:
//        mode 'events': graphql-ws, `messageEvents` (every subscriber the same document)
//        mode 'watch':  graphql-ws, `messageStatusChanged(id)`, one subscriber per id of `ids`
//        mode 'bare':   a plain WebSocket to `url` (bench/lib/bare-ws.ts), no protocol
//   { collect }   -> answers { receipts, commit: { messageId: [ms...] }, cpu, errors } and forgets them
//   { drop: mode } -> closes every subscriber of that mode, answers { closed }
//   { close }      -> disposes of every client and exits
// Receipt times are performance.timeOrigin + performance.now(), the clock the parent uses;
// `commit` holds receivedAt - occurredAt of each event (the change's time, set before its commit).

type Mode = 'events' | 'watch' | 'bare';
const [url, apiKey] = process.argv.slice(2) as [string, string];
const EVENTS = 'subscription { messageEvents { messageId status to occurredAt } }';
const WATCH = 'subscription($id: ID!) { messageStatusChanged(id: $id) { messageId status occurredAt } }';
const open: Array<{ mode: Mode; close: () => Promise<void> | void }> = [];
let receipts = new Map<string, number[]>();
let commit = new Map<string, number[]>();
let errors = 0;
let cpuAt = { usage: process.cpuUsage(), at: performance.now() };

type Event = { messageId: string; occurredAt: string };

function record(e: Event | undefined): void {
  const at = performance.timeOrigin + performance.now();
  if (!e?.messageId) return void errors++;
  const list = receipts.get(e.messageId);
  if (list) list.push(at);
  else receipts.set(e.messageId, [at]);
  const c = commit.get(e.messageId);
  if (c) c.push(at - Date.parse(e.occurredAt));
  else commit.set(e.messageId, [at - Date.parse(e.occurredAt)]);
}

function openGraphqlWs(mode: 'events' | 'watch', id?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const client: Client = createClient({
      url,
      webSocketImpl: WebSocket,
      connectionParams: { apiKey },
      retryAttempts: 0,
      on: { connected: () => resolve(true), error: () => resolve(false), closed: () => resolve(false) },
    });
    open.push({ mode, close: () => client.dispose() });
    const query = mode === 'events' ? { query: EVENTS } : { query: WATCH, variables: { id } };
    client.subscribe<Record<string, Event>>(query, {
      next: (r) => record(r.data?.messageEvents ?? r.data?.messageStatusChanged),
      error: () => errors++,
      complete: () => {},
    });
  });
}

function openBare(bareUrl: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new WebSocket(bareUrl);
    open.push({ mode: 'bare', close: () => socket.close() });
    socket.on('open', () => resolve(true));
    socket.on('error', () => resolve(false));
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { payload?: { data?: { messageEvents?: Event } } };
      record(frame.payload?.data?.messageEvents);
    });
  });
}

process.on(
  'message',
  async (msg: {
    open?: number;
    mode?: Mode;
    ids?: string[];
    url?: string;
    collect?: true;
    drop?: Mode;
    close?: true;
  }) => {
    if (msg.open) {
      let opened = 0;
      let failed = 0;
      const mode = msg.mode ?? 'events';
      // A few at a time, so the server's accept backlog never overflows.
      for (let i = 0; i < msg.open; i += 50) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(50, msg.open - i) }, (_, j) =>
            mode === 'bare' ? openBare(msg.url!) : openGraphqlWs(mode, msg.ids?.[i + j]),
          ),
        );
        opened += batch.filter(Boolean).length;
        failed += batch.filter((ok) => !ok).length;
      }
      process.send!({ opened, failed });
    } else if (msg.collect) {
      const usage = process.cpuUsage(cpuAt.usage);
      const cpu = (usage.user + usage.system) / 1000 / (performance.now() - cpuAt.at);
      process.send!({ receipts: Object.fromEntries(receipts), commit: Object.fromEntries(commit), cpu, errors });
      receipts = new Map();
      commit = new Map();
      cpuAt = { usage: process.cpuUsage(), at: performance.now() };
    } else if (msg.drop) {
      const closing = open.filter((o) => o.mode === msg.drop);
      await Promise.all(closing.map((o) => o.close()));
      for (const o of closing) open.splice(open.indexOf(o), 1);
      process.send!({ closed: closing.length });
    } else if (msg.close) {
      await Promise.all(open.map((o) => o.close()));
      process.exit(0);
    }
  },
);
process.on('disconnect', () => process.exit(0));
