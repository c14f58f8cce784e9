import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// A customer's callback endpoint for the "e2e" scenario, as its own process so its CPU can be
// read apart: answers 200 to every POST and counts them, nothing more. Prints one JSON line
// {url} when listening; GET /__count answers {received}.

let received = 0;
const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  if (req.method === 'GET' && req.url === '/__count') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ received }));
    return;
  }
  req.resume(); // the body is not read: only the delivery counts
  req.on('end', () => {
    received++;
    res.writeHead(200, { 'content-length': 0 }).end();
  });
});
server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}/callbacks` }));
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
