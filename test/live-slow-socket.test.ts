import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { SLOW_CONSUMER_CLOSE_CODE, socketMember } from '../src/graphql/live/members.js';

// A socket that does not read what a live group writes to it is closed with code 1013 once its
// unsent bytes pass the bound, instead of Herald buffering without end. Real sockets: the client
// stops reading (its TCP socket paused) and the kernel's buffers fill up.

describe('a graphql-ws member on a socket that stops reading', () => {
  it('is closed with 1013 once the bytes it could not send pass the bound', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    const { port } = wss.address() as AddressInfo;
    const serverSide = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
    const client = new WebSocket(`ws://127.0.0.1:${port}`);
    await new Promise<void>((resolve) => client.once('open', () => resolve()));
    const closed = new Promise<number>((resolve) => client.once('close', (code) => resolve(code)));
    const socket = await serverSide;

    const { member } = socketMember(socket, 'sub-1', 1024 * 1024);
    (client as unknown as { _socket: { pause(): void } })._socket.pause();
    const payload = Buffer.from(JSON.stringify({ data: { filler: 'x'.repeat(256 * 1024) } }));
    let writes = 0;
    // Far more than the kernel's buffers hold; the member stops writing once it closes.
    while (socket.readyState === socket.OPEN && writes < 2_000) {
      member.deliver({}, payload);
      writes++;
    }
    expect(socket.readyState).not.toBe(socket.OPEN);
    expect(writes).toBeLessThan(2_000);
    (client as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await closed).toBe(SLOW_CONSUMER_CLOSE_CODE);
    client.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  });
});
