import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHerald, type TestHerald } from './support/herald.js';

// @herald/client as an integrator gets it: built and packed here, installed from the tarball
// into a throw-away project of its own, which runs GraphQL Code Generator on the SDL the
// package ships with the README's codegen.ts, type-checks its code against the package's
// declarations, sends a WhatsApp template and follows it with `subscribe` to READ (sandbox);
// then the package's own `herald` bin reads the message back. Its dependencies come from npm's
// cache when they are there (--prefer-offline); codegen and tsc are this repository's.

const run = promisify(execFile);
const projectRoot = join(import.meta.dirname, '..');
let h: TestHerald;
let dir: string;

// npm's own variables (set when vitest runs under `npm test`) would point the throw-away
// project's npm at this repository's workspace.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));

beforeAll(async () => {
  h = await startHerald({ HERALD_WORKERS: '1', HERALD_POLL_MS: '20', HERALD_SANDBOX_DELAY_MS: '20' });
  dir = await mkdtemp(join(tmpdir(), 'herald-client-package-'));
});
afterAll(async () => {
  await h?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The README's client-side codegen.ts, as printed there. */
async function readmeCodegenConfig(): Promise<string> {
  const readme = await readFile(join(projectRoot, 'README.md'), 'utf8');
  const block = /```ts\n(\/\/ codegen\.ts\n[\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('the README shows no ```ts block starting with // codegen.ts');
  return block;
}

describe('@herald/client from its tarball', () => {
  it('installs in a project of its own, which generates its types from the shipped SDL, sends and follows to READ', async () => {
    // npm pack runs the package's prepare (the build) first.
    const packed = await run('npm', ['pack', '--json', '--pack-destination', dir], {
      cwd: join(projectRoot, 'client'),
      env,
    });
    const [{ filename, files }] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }];
    const shipped = files.map((f) => f.path);
    expect(shipped).toEqual(
      expect.arrayContaining(['schema.graphql', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/bin.js']),
    );
    expect(shipped.filter((p) => p.startsWith('src/') || p.startsWith('scripts/'))).toEqual([]);

    const root = JSON.parse(await readFile(join(projectRoot, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    const app = join(dir, 'app');
    await mkdir(join(app, 'src'), { recursive: true });
    const dev = (name: string) => [name, root.devDependencies[name]!];
    await writeFile(
      join(app, 'package.json'),
      JSON.stringify({
        name: 'integrator-app',
        private: true,
        type: 'module',
        dependencies: { '@herald/client': `file:../${filename}` },
        devDependencies: Object.fromEntries([dev('@types/node')]),
      }),
    );
    await writeFile(join(app, 'codegen.ts'), await readmeCodegenConfig());
    await writeFile(
      join(app, 'src/reminder.graphql'),
      `mutation SendReminder($input: SendWhatsAppInput!) {
        sendWhatsApp(input: $input) {
          __typename
          ... on Message { id status }
          ... on ValidationError { field message }
          ... on RecipientSuppressedError { field message }
        }
      }
      subscription Follow($id: ID!) {
        messageStatusChanged(id: $id) { status }
      }`,
    );
    await writeFile(
      join(app, 'src/main.ts'),
      `import { createHeraldClient } from '@herald/client';
      import { FollowDocument, SendReminderDocument } from './gql/herald.js';

      const herald = createHeraldClient({ url: process.env.HERALD_URL!, apiKey: process.env.HERALD_KEY! });
      const { sendWhatsApp: sent } = await herald.mutate(SendReminderDocument, {
        input: { to: '+14155550140', templateName: 'payment_reminder', params: ['Asha', '12.00'] },
      });
      if (sent.__typename !== 'Message') throw new Error(sent.field + ': ' + sent.message);
      console.log('message ' + sent.id);
      for await (const { messageStatusChanged } of herald.subscribe(FollowDocument, { id: sent.id })) {
        const status: 'QUEUED' | 'SENDING' | 'SENT' | 'DELIVERED' | 'READ' | string = messageStatusChanged.status;
        console.log(status);
      }
      `,
    );
    await writeFile(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2023', 'DOM'],
          strict: true,
          skipLibCheck: true,
          types: ['node'],
          outDir: 'dist',
        },
        include: ['src'],
      }),
    );

    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: app,
      env,
    });
    // The tools the README names, as this repository has them installed (the same versions):
    // installing them into the project too would triple this test's time for nothing the
    // package decides. Codegen looks for its plugins from the project, so they are linked there.
    const tool = (bin: string) => join(projectRoot, 'node_modules/.bin', bin);
    await mkdir(join(app, 'node_modules/@graphql-codegen'), { recursive: true });
    for (const plugin of ['typescript-operations', 'typed-document-node'])
      await symlink(
        join(projectRoot, 'node_modules/@graphql-codegen', plugin),
        join(app, 'node_modules/@graphql-codegen', plugin),
      );
    await run(tool('graphql-codegen'), ['--config', 'codegen.ts'], { cwd: app, env });
    expect(await readFile(join(app, 'src/gql/herald.ts'), 'utf8')).toMatch(/export const FollowDocument/);
    await run(tool('tsc'), ['-p', '.'], { cwd: app, env });

    const heraldEnv = { ...env, HERALD_URL: h.url, HERALD_KEY: h.adminKey };
    const sent = await run(process.execPath, ['dist/main.js'], { cwd: app, env: heraldEnv, timeout: 30_000 });
    const id = /^message (\S+)$/m.exec(sent.stdout)?.[1];
    expect(sent.stdout.split('\n').slice(1).filter(Boolean)).toEqual([
      'QUEUED',
      'SENDING',
      'SENT',
      'DELIVERED',
      'READ',
    ]);

    // The package's command, as installed.
    const status = await run(join(app, 'node_modules/.bin/herald'), ['--json', 'status', id!], {
      cwd: app,
      env: heraldEnv,
    });
    expect(JSON.parse(status.stdout)).toMatchObject({ id, channel: 'WHATSAPP', status: 'READ' });
  }, 120_000);
});
