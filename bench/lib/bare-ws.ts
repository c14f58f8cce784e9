import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

// The floor of target P5b: a bare `ws` server (own process) that broadcasts one frame, encoded
// once, to every socket connected to it. Plain WebSockets, no graphql-ws protocol. Prints
// `{"url": "ws://..."}` once listening; `POST /broadcast` with `{ messageId, occurredAt }`
// sends the frame Herald would send for that event (a graphql-ws `next` of messageEvents) and
// answers once every socket has been written to.

const server = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/broadcast') return void res.writeHead(404).end();
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString('utf8')));
  req.on('end', () => {
    const { messageId, occurredAt } = JSON.parse(body) as { messageId: string; occurredAt: string };
    const payload = { data: { messageEvents: { messageId, status: 'QUEUED', to: '+918800000000', occurredAt } } };
    const frame = Buffer.from(JSON.stringify({ id: '1', type: 'next', payload }));
    for (const socket of wss.clients) socket.send(frame, { binary: false });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sockets: wss.clients.size }));
  });
});
const wss = new WebSocketServer({ server });
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ url: `ws://127.0.0.1:${port}` }));
});
process.on('SIGTERM', () => {
  for (const socket of wss.clients) socket.terminate();
  server.close(() => process.exit(0));
});
