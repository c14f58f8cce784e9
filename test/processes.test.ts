import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { GraphQLClient } from 'graphql-request';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { getSdk } from './client/sdk.js';
import { eventually } from './support/clock.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import {
  killAllWorkers,
  SUPERVISED_READY,
  spawnServer,
  spawnSupervisedStart,
  type WorkerProcess,
} from './support/herald-process.js';

// `npm start` on PostgreSQL: a supervisor, an API process and a dispatch process, one command.
// Real processes on a real database and no Redis: status changes cross from the dispatch
// process to the API's subscribers through LISTEN/NOTIFY.

const DATABASE_URL = process.env.DATABASE_URL;
const databases: TestDatabase[] = [];
const clients: Client[] = [];

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await killAllWorkers();
  for (const d of databases) await d.drop();
});

// Below the ephemeral range (32768 up), where the tests' own outgoing connections take ports.
const freePort = () => 20_000 + Math.floor(Math.random() * 12_000);

async function freshDatabase(): Promise<string> {
  const database = await createTestDatabase();
  databases.push(database);
  return database.url!;
}

/**
 * Herald processes (node running one of src/'s entry points) whose parent is `pid`, from /proc,
 * zombies excluded. tsx may start an esbuild service child to compile a changed file; that is
 * not a Herald process.
 */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat && stat.ppid === pid && stat.state !== 'Z' && runsHerald(Number(entry))) children.push(Number(entry));
  }
  return children;
}

function runsHerald(pid: number): boolean {
  try {
    return /src\/(main|worker)\.ts/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return false;
  }
}

function readStat(pid: number): { state: string; ppid: number } | undefined {
  try {
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: state!, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

/** A process that has exited (a zombie not yet reaped counts as gone). */
const gone = (pid: number) => !existsSync(`/proc/${pid}`) || readStat(pid)?.state === 'Z' || !readStat(pid);

/** The pids the supervisor logged for its children. */
function rolesOf(start: WorkerProcess): { supervisor: number; api: number; dispatch: number } {
  const line = start
    .output()
    .split('\n')
    .find((l) => l.includes(SUPERVISED_READY));
  if (!line) throw new Error(`no "${SUPERVISED_READY}" line in:\n${start.output()}`);
  const { supervisor, api, dispatch } = JSON.parse(line) as Record<string, number>;
  return { supervisor: supervisor!, api: api!, dispatch: dispatch! };
}

const withoutRedis = (databaseUrl: string, port: number) => ({
  DATABASE_URL: databaseUrl,
  PORT: String(port),
  HOST: '127.0.0.1',
  LOG_LEVEL: 'info',
  HERALD_POLL_MS: '100',
});

describe.skipIf(!DATABASE_URL)('npm start on PostgreSQL', () => {
  it('runs the API and dispatch in separate processes; a send reaches SENT through dispatch and the API subscribers see it without Redis; SIGTERM stops them all, exit 0', async () => {
    const port = freePort();
    const start = spawnSupervisedStart(
      { ...withoutRedis(await freshDatabase(), port), HERALD_SANDBOX_DELAY_MS: '1500' },
      { readyTimeoutMs: 90_000 },
    );
    await start.ready;

    // The first start prints the operator's key once, outside the log.
    const printed = start.output().match(/hk_\S+/g) ?? [];
    expect(printed).toHaveLength(1);
    expect(start.output().match(/Admin API key/g)).toHaveLength(1);
    const key = printed[0]!;

    // Three processes: the supervisor and its two children, each logging under its own pid.
    const roles = rolesOf(start);
    expect(roles.supervisor).toBe(start.pid);
    expect(new Set([roles.supervisor, roles.api, roles.dispatch]).size).toBe(3);
    expect(childrenOf(start.pid).sort()).toEqual([roles.api, roles.dispatch].sort());
    const pidOfLine = (msg: string) =>
      start
        .output()
        .split('\n')
        .filter((l) => l.includes(`"msg":"${msg}"`))
        .map((l) => (JSON.parse(l) as { pid: number }).pid);
    // pino writes asynchronously: a child's line can reach stdout after its ready message.
    await expect.poll(() => pidOfLine('Herald is listening')).toEqual([roles.api]);
    await expect.poll(() => pidOfLine('Herald worker is dispatching')).toEqual([roles.dispatch]);

    // A live subscriber on the API process, before anything is sent.
    const ws = createClient({
      url: `ws://127.0.0.1:${port}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { apiKey: key },
    });
    clients.push(ws);
    const live: Array<{ messageId: string; status: string }> = [];
    void (async () => {
      for await (const r of ws.iterate<{ messageEvents: { messageId: string; status: string } }>({
        query: 'subscription { messageEvents { messageId status } }',
      })) {
        live.push(r.data!.messageEvents);
      }
    })().catch(() => {});
    const sdk = getSdk(
      new GraphQLClient(`http://127.0.0.1:${port}/graphql`, { headers: { authorization: `Bearer ${key}` } }),
    );
    // The subscription is live once it hears a first message's acceptance.
    const first = await sdk.SendSms({ input: { to: '+918800001235', text: 'warm-up' } });
    if (first.sendSms.__typename !== 'Message') throw new Error(JSON.stringify(first.sendSms));
    const warmUp = first.sendSms.messageId;
    await eventually(async () => live.some((e) => e.messageId === warmUp), Boolean, 30_000);
    const sent = await sdk.SendSms({ input: { to: '+918800001234', text: 'split processes' } });
    if (sent.sendSms.__typename !== 'Message') throw new Error(JSON.stringify(sent.sendSms));
    const id = sent.sendSms.messageId;

    // messageStatusChanged on the API: the replay, then what the dispatch process does live
    // (the sandbox's reports come 1.5 s apart, after this subscription started).
    const history: string[] = [];
    for await (const r of ws.iterate<{ messageStatusChanged: { status: string } }>({
      query: `subscription { messageStatusChanged(id: "${id}") { status } }`,
    })) {
      history.push(r.data!.messageStatusChanged.status);
    }
    expect(history).toEqual(['QUEUED', 'SENDING', 'SENT', 'DELIVERED', 'READ']);

    // messageEvents heard every change live, the ones the dispatch process made included.
    const seen = await eventually(
      async () => live.filter((e) => e.messageId === id).map((e) => e.status),
      (s) => s.includes('READ'),
      20_000,
    );
    expect(seen).toEqual(['QUEUED', 'SENDING', 'SENT', 'DELIVERED', 'READ']);
    const message = await sdk.Message({ id });
    expect(message.message?.status).toBe('READ');

    await ws.dispose();
    await start.kill('SIGTERM');
    expect(await start.exited).toEqual({ code: 0, signal: null });
    const stopped = start.output();
    // Each child finished its own shutdown, then the supervisor exited.
    for (const pid of [roles.api, roles.dispatch]) {
      expect(stopped).toMatch(new RegExp(`"pid":${pid},[^\\n]*"msg":"shutting down"`));
      expect(gone(pid)).toBe(true);
    }
    expect(stopped).not.toMatch(/"level":(50|60)/);
  }, 180_000);

  it('a child that dies stops Herald: logged at error, the other child stopped, exit 1, no process left', async () => {
    const start = spawnSupervisedStart(withoutRedis(await freshDatabase(), freePort()), { readyTimeoutMs: 90_000 });
    await start.ready;
    const roles = rolesOf(start);

    process.kill(roles.dispatch, 'SIGKILL');
    expect(await start.exited).toEqual({ code: 1, signal: null });
    const errors = start
      .output()
      .split('\n')
      .filter((l) => l.includes('"level":50'))
      .map((l) => JSON.parse(l) as { role: string; pid: number; signal: string; msg: string });
    expect(errors).toEqual([
      expect.objectContaining({
        role: 'dispatch',
        pid: roles.dispatch,
        signal: 'SIGKILL',
        msg: 'a Herald process exited unexpectedly; stopping Herald',
      }),
    ]);
    // The API process was stopped cleanly, not left behind.
    expect(start.output()).toMatch(new RegExp(`"pid":${roles.api},[^\\n]*"msg":"shutting down"`));
    expect(gone(roles.api)).toBe(true);
    expect(gone(roles.dispatch)).toBe(true);
  }, 180_000);

  it('a supervisor killed outright leaves no child behind; HERALD_PROCESSES=single keeps one process', async () => {
    const databaseUrl = await freshDatabase();
    const start = spawnSupervisedStart(withoutRedis(databaseUrl, freePort()), { readyTimeoutMs: 90_000 });
    await start.ready;
    const roles = rolesOf(start);
    await start.kill('SIGKILL');
    // The children notice their supervisor's channel closing and stop themselves.
    await eventually(
      async () => [gone(roles.api), gone(roles.dispatch)],
      (g) => g.every(Boolean),
      30_000,
    );

    const single = spawnServer(
      { ...withoutRedis(databaseUrl, freePort()), HERALD_PROCESSES: 'single' },
      {
        readyTimeoutMs: 90_000,
      },
    );
    await single.ready;
    expect(childrenOf(single.pid)).toEqual([]);
    expect(single.output()).not.toContain(SUPERVISED_READY);
    await single.kill('SIGTERM');
    expect(await single.exited).toEqual({ code: 0, signal: null });
  }, 180_000);
});
