import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHerald, type TestHerald } from './support/herald.js';

// client/examples/, each run as an integrator runs it (a process of its own, HERALD_URL and
// HERALD_KEY, importing @herald/client) against a Herald on the sandbox provider. The package
// is resolved from its sources (the `herald-source` export condition), so no build is needed.

const projectRoot = join(import.meta.dirname, '..');
let h: TestHerald;

beforeAll(async () => {
  h = await startHerald({ HERALD_WORKERS: '2', HERALD_POLL_MS: '20', HERALD_SANDBOX_DELAY_MS: '20' });
});
afterAll(async () => {
  await h?.stop();
});

type Run = { code: number | null; stdout: string; stderr: string };

function example(name: string, args: string[] = []): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--conditions=herald-source', '--import', 'tsx', join('client/examples', `${name}.ts`), ...args],
      {
        cwd: projectRoot,
        env: { ...process.env, HERALD_URL: h.url, HERALD_KEY: h.adminKey },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function message(id: string) {
  const { message } = await h.sdk().Message({ id });
  if (!message) throw new Error(`no message ${id}`);
  return message;
}

describe('client/examples', () => {
  it('billing-reminder: one reminder per invoice however often the hook fires; a later due date is scheduled', async () => {
    const run = await example('billing-reminder');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [, soonId] = /^INV-\S+-1: reminder (\S+) QUEUED$/m.exec(run.stdout) ?? [];
    expect(run.stdout).toMatch(/^INV-\S+-1 again: reminder \S+ \(the same message\)$/m);
    const [, laterId] = /^INV-\S+-2: reminder (\S+) SCHEDULED for \S+$/m.exec(run.stdout) ?? [];
    const soon = await message(soonId!);
    expect(soon).toMatchObject({ channel: 'WHATSAPP', to: '+14155550101', category: 'UTILITY' });
    expect(soon.content).toMatchObject({
      templateName: 'invoice_reminder',
      params: ['Asha', expect.any(String), '$120.00', expect.any(String)],
    });
    expect((await message(laterId!)).status).toBe('SCHEDULED');
  }, 60_000);

  it('otp: an AUTHENTICATION SMS followed live until SENT; a recipient that fails exits 1', async () => {
    const run = await example('otp', ['+14155550123']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ {2}SENT$/m);
    expect(run.stdout).toMatch(/^code sent$/m);
    const id = /^code for \+14155550123: message (\S+)$/m.exec(run.stdout)?.[1];
    const sent = await message(id!);
    expect(sent).toMatchObject({ channel: 'SMS', category: 'AUTHENTICATION' });
    expect(sent.validUntil).not.toBeNull();

    // The sandbox's permanent failure.
    const failed = await example('otp', ['+61491570001']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^code not sent \(FAILED\)/m);
  }, 60_000);

  it('abandoned-cart: uploads the picture, sends the IMAGE-header template with it', async () => {
    const run = await example('abandoned-cart', ['+14155550124']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const mediaId = /^image (\S+) \(image\/png, \d+ bytes\)$/m.exec(run.stdout)?.[1];
    expect(mediaId).toBeDefined();
    const id = /^cart reminder (\S+) QUEUED with IMAGE (\S+)$/m.exec(run.stdout)?.[1];
    expect((await message(id!)).content).toMatchObject({ templateName: 'cart_reminder', mediaType: 'IMAGE', mediaId });
  }, 60_000);

  it('appointment-reminder: waits live until READ; an undelivered WhatsApp falls back to SMS', async () => {
    const run = await example('appointment-reminder', ['+14155550125']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const statuses = [...run.stdout.matchAll(/^ {2}\S+ {2}([A-Z]+)/gm)].map((m) => m[1]);
    expect(statuses).toEqual(['QUEUED', 'SENDING', 'SENT', 'DELIVERED', 'READ']);
    expect(run.stdout).toMatch(/^patient reminded$/m);

    // The sandbox's "sent, then undelivered": on WhatsApp, then on the SMS fallback as well.
    const undelivered = await example('appointment-reminder', ['+61491570500']);
    expect(undelivered.stderr).toBe('');
    expect(undelivered.stdout).toMatch(/^WhatsApp ended UNDELIVERED: SMS reminder \S+$/m);
    expect(undelivered.stdout).toMatch(/^patient not reached: call them$/m);
    expect(undelivered.code).toBe(1);
  }, 90_000);
});
