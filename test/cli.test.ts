import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/raw-rows.js';
import { startHerald, type TestHerald } from './support/herald.js';

// `npx herald campaign send …` as the README shows it, against a running Herald (sandbox
// provider), through the package's own bin: its output, its exit code, and a re-run after the
// command was killed halfway through the file. Then `herald keys`, `tenants`, `send` and
// `status --follow` the same way.

const projectRoot = join(import.meta.dirname, '..');
let h: TestHerald;
let dir: string;

beforeAll(async () => {
  h = await startHerald({ HERALD_WORKERS: '2', HERALD_POLL_MS: '20', HERALD_SANDBOX_DELAY_MS: '20' });
  dir = await mkdtemp(join(tmpdir(), 'herald-cli-'));
  const created = await h.sdk().CreateTemplate({
    input: {
      channel: 'WHATSAPP',
      name: 'payment_reminder',
      language: 'en',
      category: 'UTILITY',
      body: 'Hello {{1}}, your payment of {{2}} is due.',
    },
  });
  expect(created.createTemplate.__typename).toBe('Template');
});
afterAll(async () => {
  await h?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

type Run = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

/**
 * Runs `npx herald …` in the project. `killWhen` is asked every 20 ms; once it says yes the whole
 * command (npx and the node process it started) is SIGKILLed.
 */
function herald(
  args: string[],
  opts: { killWhen?: () => Promise<boolean>; key?: string; url?: string; npx?: boolean } = {},
): Promise<Run> {
  return new Promise((resolve) => {
    // Through npx as the README says where that is the point; else the same bin without npx's
    // second or two of start-up.
    const command = opts.npx ? ['npx', '--no-install', 'herald'] : [process.execPath, 'bin/herald.mjs'];
    const child = spawn(command[0]!, [...command.slice(1), ...args], {
      cwd: projectRoot,
      env: { ...process.env, HERALD_URL: opts.url ?? h.url, HERALD_KEY: opts.key ?? h.adminKey },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    let exited = false;
    child.on('exit', (code, signal) => {
      exited = true;
      resolve({ code, signal, stdout, stderr });
    });
    const killWhen = opts.killWhen;
    if (killWhen)
      void (async () => {
        while (!exited && !(await killWhen())) await new Promise((r) => setTimeout(r, 20));
        if (!exited) process.kill(-child.pid!, 'SIGKILL');
      })();
  });
}

async function contacts(name: string, rows: number, invalidEvery = 0): Promise<string> {
  const lines = ['phone,name,amount'];
  for (let i = 0; i < rows; i++) {
    const phone = invalidEvery && i % invalidEvery === invalidEvery - 1 ? 'not-a-number' : `+1415${2_000_000 + i}`;
    lines.push(`${phone},"Customer ${i}",${(i % 90) + 10}.00`);
  }
  const file = join(dir, name);
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

async function messagesPerRecipient(campaignName: string): Promise<number[]> {
  const rows = rowsOf<{ n: string | number }>(
    await h.herald.database.db.execute(sql`
      select count(*) as n from messages m join campaigns c on c.id = m.campaign_id
      where c.name = ${campaignName} group by m.recipient`),
  );
  return rows.map((r) => Number(r.n));
}

/** The README's command line, as written there, after `npx herald campaign send contacts.csv`. */
async function readmeArgs(): Promise<string[]> {
  const readme = await readFile(join(projectRoot, 'README.md'), 'utf8');
  const line = readme.split('\n').find((l) => l.startsWith('npx herald campaign send contacts.csv '));
  if (!line) throw new Error('the README shows no `npx herald campaign send contacts.csv` line');
  return line.split(' ').slice(5);
}
let README_ARGS: string[];
beforeAll(async () => {
  README_ARGS = await readmeArgs();
  expect(README_ARGS).toEqual([
    '--channel',
    'whatsapp',
    '--template',
    'payment_reminder',
    '--map',
    'to=phone,param1=name,param2=amount',
  ]);
});

describe('herald campaign send', () => {
  it("runs the README's example to the end: progress while adding and sending, a summary, exit 2 for invalid rows", async () => {
    const file = await contacts('contacts.csv', 300, 100);
    const run = await herald(['campaign', 'send', file, ...README_ARGS, '--chunk-size', '100'], { npx: true });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/added: 300 rows read, 297 accepted, 0 already there, 3 invalid, 0 suppressed/);
    expect(run.stdout).toMatch(/row 101: to: /);
    expect(run.stdout).toMatch(/campaign COMPLETED/);
    expect(run.stdout).toMatch(/messages\s+297/);
    expect(run.stdout).toMatch(/invalid rows\s+3/);
    // The progress bars printed as they went (not a TTY: one line per update).
    expect(run.stdout).toMatch(/adding {3}\[/);
    expect(run.stdout).toMatch(/sending {2}\[.*297\/297 handed over/);
    expect(await messagesPerRecipient('contacts.csv')).toEqual(Array(297).fill(1));
  }, 120_000);

  it('a run killed halfway and run again adds every row exactly once and finishes the campaign', async () => {
    const file = await contacts('resume.csv', 3000);
    // Killed once Herald holds at least 600 of the rows, while the file is still being read.
    const killed = await herald(['campaign', 'send', file, ...README_ARGS, '--chunk-size', '200'], {
      killWhen: async () => (await messagesPerRecipient('resume.csv')).length >= 600,
    });
    expect(killed.signal).toBe('SIGKILL');
    expect((await messagesPerRecipient('resume.csv')).length).toBeLessThan(3000);
    const again = await herald(['campaign', 'send', file, ...README_ARGS, '--chunk-size', '200']);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/added: 3000 rows read, \d+ accepted, [1-9]\d* already there, 0 invalid/);
    expect(again.stdout).toMatch(/campaign COMPLETED/);
    expect(await messagesPerRecipient('resume.csv')).toEqual(Array(3000).fill(1));
  }, 180_000);

  it('--dry-run reads the file and sends nothing; a mapping naming a missing column is refused', async () => {
    const file = await contacts('dry.csv', 50);
    const dry = await herald(['campaign', 'send', file, ...README_ARGS, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/dry run: 50 rows read/);
    expect(await messagesPerRecipient('dry.csv')).toEqual([]);

    const wrong = await herald([
      'campaign',
      'send',
      file,
      '--channel',
      'whatsapp',
      '--template',
      'payment_reminder',
      '--map',
      'to=mobile',
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/no column "mobile"/);
  }, 60_000);
});

describe('herald keys, tenants, send, status', () => {
  it('keys: create prints the key once, list shows it, revoke ends it', async () => {
    const created = await herald(['keys', 'create', 'ci-bot', '--scopes', 'send', 'read']);
    expect(created.code).toBe(0);
    const key = /^(hk_\S+)$/m.exec(created.stdout)?.[1];
    expect(key).toBeDefined();
    const id = /\(key (\S+), shown only now/.exec(created.stdout)?.[1];

    const listed = await herald(['--json', 'keys', 'list']);
    expect(listed.code).toBe(0);
    const keys = JSON.parse(listed.stdout) as Array<{ id: string; name: string; scopes: string[]; revokedAt: null }>;
    expect(keys.find((k) => k.id === id)).toMatchObject({ name: 'ci-bot', scopes: ['SEND', 'READ'], revokedAt: null });
    expect(listed.stdout).not.toContain(key);

    const sent = await herald(['send', 'sms', '--to', '+14155550123', '--text', 'from the new key'], { key });
    expect(sent.code).toBe(0);
    // Not an admin key: it may send, not manage keys.
    const refused = await herald(['keys', 'list'], { key });
    expect(refused.code).toBe(1);

    const revoked = await herald(['keys', 'revoke', id!]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(/revoked ci-bot/);
    const after = await herald(['send', 'sms', '--to', '+14155550123', '--text', 'revoked'], { key });
    expect(after.code).toBe(1);

    const bad = await herald(['keys', 'create', 'x', '--scopes', 'everything']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/one of send, read, admin/);
  }, 120_000);

  it('tenants: the operator creates one and lists them; its own admin key may not list tenants', async () => {
    const created = await herald(['tenants', 'create', 'acme']);
    expect(created.code).toBe(0);
    const acmeKey = /admin key: (hk_\S+)/.exec(created.stdout)?.[1];
    expect(acmeKey).toBeDefined();
    const listed = await herald(['tenants', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^id\s+name\s+operator\s+created$/m);
    expect(listed.stdout).toMatch(/\sacme\s+false\s/);
    const theirs = await herald(['tenants', 'list'], { key: acmeKey });
    expect(theirs.code).toBe(1);
  }, 120_000);

  it('send --follow prints each status to READ and exits 0; status reads it; a refusal names the field', async () => {
    const followed = await herald([
      'send',
      'sms',
      '--to',
      '+14155550199',
      '--text',
      'hello',
      '--follow',
      '--timeout',
      '60',
    ]);
    expect(followed.stderr).toBe('');
    expect(followed.code).toBe(0);
    const id = /^message (\S+)$/m.exec(followed.stdout)?.[1];
    const statuses = [...followed.stdout.matchAll(/^\S+ {2}([A-Z]+)$/gm)].map((m) => m[1]);
    expect(statuses).toEqual(['QUEUED', 'SENDING', 'SENT', 'DELIVERED', 'READ']);

    const read = await herald(['--json', 'status', id!]);
    expect(read.code).toBe(0);
    expect(JSON.parse(read.stdout)).toMatchObject({ id, channel: 'SMS', to: '+14155550199', status: 'READ' });

    const wa = await herald([
      'send',
      'whatsapp',
      '--to',
      '+14155550177',
      '--template',
      'payment_reminder',
      '--params',
      'Asha',
      '12.00',
      '--follow',
      '--until',
      'SENT',
      '--timeout',
      '60',
    ]);
    expect(wa.code).toBe(0);
    expect(wa.stdout).toMatch(/ {2}SENT$/m);

    const refused = await herald(['send', 'sms', '--to', 'not-a-number', '--text', 'x']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/ValidationError \(to\)/);
  }, 120_000);

  it('status --follow exits 3 when it times out and 4 when the message ends failed', async () => {
    const sendAt = new Date(Date.now() + 3_600_000).toISOString();
    const sent = await h.sdk().SendSms({ input: { to: '+14155550155', text: 'later', sendAt } });
    if (sent.sendSms.__typename !== 'Message') throw new Error(sent.sendSms.__typename);
    const id = sent.sendSms.id;
    const waited = await herald(['status', id, '--follow', '--timeout', '1']);
    expect(waited.code).toBe(3);
    expect(waited.stdout).toMatch(/still SCHEDULED after 1 s/);

    await h.sdk().CancelMessage({ id });
    const canceled = await herald(['status', id, '--follow']);
    expect(canceled.code).toBe(4);
    expect(canceled.stdout).toMatch(/ {2}CANCELED$/m);
  }, 120_000);
});

describe('herald doctor', () => {
  it('reports each check; the public URL and sandbox routes are caveats, not failures', async () => {
    const run = await herald(['--json', 'doctor']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const checks = new Map(
      (JSON.parse(run.stdout) as { name: string; status: string; detail: string }[]).map((c) => [c.name, c]),
    );
    expect(checks.get('herald')?.status).toBe('OK');
    expect(checks.get('database')).toMatchObject({ status: 'OK' });
    expect(checks.get('migrations')?.detail).toMatch(/^(\d+) of \1 applied$/);
    expect(checks.get('redis')).toMatchObject({ status: 'OK', detail: expect.stringMatching(/^not configured/) });
    expect(checks.get('public URL')).toMatchObject({
      status: 'WARN',
      detail: expect.stringMatching(/HERALD_PUBLIC_URL/),
    });
    for (const channel of ['SMS', 'WHATSAPP', 'EMAIL'])
      expect(checks.get(`route ${channel}`)).toMatchObject({
        status: 'WARN',
        detail: expect.stringMatching(/sandbox/),
      });
  }, 60_000);

  it('exits 1 naming what failed: a public URL that leads nowhere, a key that may not ask, no Herald at all', async () => {
    // With the machine's Redis when there is one (CI): then that check passes.
    const redis = process.env.REDIS_URL;
    const elsewhere = await startHerald({
      HERALD_PUBLIC_URL: 'http://127.0.0.1:9',
      ...(redis ? { REDIS_URL: redis } : {}),
    });
    try {
      const run = await herald(['doctor'], { url: elsewhere.url, key: elsewhere.adminKey });
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/^public URL\s+FAIL\s+http:\/\/127\.0\.0\.1:9\/healthz is not reachable/m);
      if (redis) expect(run.stdout).toMatch(/^redis\s+OK\s+answered in \d+ ms$/m);
    } finally {
      await elsewhere.stop();
    }
    const readOnly = await h.sdk().CreateApiKey({ input: { name: 'doctor read', scopes: ['READ'] } });
    if (readOnly.createApiKey.__typename !== 'IssuedApiKey') throw new Error('no key');
    const refused = await herald(['doctor'], { key: readOnly.createApiKey.key });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/^api key\s+FAIL\s+refused/m);
    const nowhere = await herald(['doctor'], { url: 'http://127.0.0.1:9' });
    expect(nowhere.code).toBe(1);
    expect(nowhere.stdout).toMatch(/^herald\s+FAIL/m);
  }, 120_000);
});
