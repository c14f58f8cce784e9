import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type OperationDefinitionNode, parse, print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { PROVIDER_KINDS } from '../src/providers/kinds.js';
import { startHerald, type TestHerald } from './support/herald.js';

// The README runs as written. Every block whose info string is sh, graphql, ts, js or python is
// executed, in the README's order, against one Herald (sandbox provider) on the database the
// suite runs on, and must succeed: exit code 0, and no GraphQL error, no `...Error` member of a
// result union and no REST `"status":"error"` in what it prints or answers. Other blocks are
// data (an answer, a CSV file, an HTTP request). The README may say, on the line before a block:
//   <!-- not run: why -->      the block is left out (set-up commands, your own CDN...);
//   <!-- file: NAME -->        the block is the file NAME that later blocks use.
// What a reader fills in is filled in: `http://127.0.0.1:4000` is this Herald, `$HERALD_KEY` its
// admin key; `<message id>` and `<key id>` are the last ones an earlier block printed, and a
// GraphQL `$id` the last id an earlier operation answered. The files the examples upload
// (banner.png, invoice.pdf) are made here.

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const ROOT = new URL('..', import.meta.url).pathname;
const RUNNABLE = ['sh', 'graphql', 'ts', 'js', 'python'] as const;
type Block = { line: number; lang: string; body: string; directive: string | null };

function blocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const found: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    const before = lines[i - 1] ?? '';
    const directive = /^<!--\s*(.*?)\s*-->$/.exec(before)?.[1] ?? null;
    found.push({ line: i + 1, lang: open[1]!, body: lines.slice(i + 1, end).join('\n'), directive });
    i = end;
  }
  return found;
}

const run = promisify(execFile);
/** A refusal or failure in what a block printed or was answered. */
const FAILURE = /"errors"\s*:\s*\[|"__typename"\s*:\s*"\w*Error"|"status"\s*:\s*"error"/;

let h: TestHerald;
let work: string;
/** What earlier blocks printed that later ones refer to. */
const seen = { messageId: '', keyId: '', lastId: '' };

function remember(output: string): void {
  for (const m of output.matchAll(/"messageId"\s*:\s*"([0-9a-f-]{36})"|^message ([0-9a-f-]{36})$/gm))
    seen.messageId = m[1] ?? m[2]!;
  for (const m of output.matchAll(/\(key ([^,\s]+),/g)) seen.keyId = m[1]!;
  for (const m of output.matchAll(/"id"\s*:\s*"([^"]+)"/g)) seen.lastId = m[1]!;
}

function filledIn(text: string): string {
  return text
    .replaceAll('http://127.0.0.1:4000', h.url)
    .replaceAll('<message id>', seen.messageId)
    .replaceAll('<key id>', seen.keyId);
}

const env = () => ({
  ...process.env,
  HERALD_URL: h.url,
  HERALD_KEY: h.adminKey,
  HERALD_SANDBOX_WEBHOOK_SECRET: SANDBOX_SECRET,
  // `npx herald` is the package's own bin; npx's own start-up cost a second a line, so a shim
  // runs it directly (test/cli.test.ts runs npx itself).
  PATH: `${join(work, 'bin')}:${join(ROOT, 'node_modules/.bin')}:${process.env.PATH}`,
});

async function runProgram(file: string, args: string[]): Promise<string> {
  const { stdout, stderr } = await run(file, args, { cwd: work, env: env(), timeout: 60_000 });
  return `${stdout}${stderr}`;
}

async function runGraphQL(body: string): Promise<string> {
  const document = parse(body);
  const outputs: string[] = [];
  for (const op of document.definitions.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')) {
    const variables = Object.fromEntries(
      (op.variableDefinitions ?? []).map((v) => [v.variable.name.value, seen.lastId]),
    );
    const request = { query: print(op), variables };
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${h.adminKey}` };
    if (op.operation === 'subscription') {
      // Over SSE until the subscription completes (campaignProgress does when the campaign is done).
      const res = await fetch(`${h.url}/graphql`, {
        method: 'POST',
        headers: { ...headers, accept: 'text/event-stream' },
        body: JSON.stringify(request),
        signal: AbortSignal.timeout(60_000),
      });
      const text = await res.text();
      expect(text, 'the subscription sent nothing').toMatch(/event: next/);
      outputs.push(text);
    } else {
      const res = await fetch(`${h.url}/graphql`, { method: 'POST', headers, body: JSON.stringify(request) });
      outputs.push(await res.text());
    }
    remember(outputs.at(-1)!);
  }
  return outputs.join('\n');
}

async function execute(block: Block, index: number): Promise<string> {
  const body = filledIn(block.body);
  switch (block.lang) {
    case 'sh':
      return runProgram('bash', ['-euo', 'pipefail', '-c', body]);
    case 'graphql':
      return runGraphQL(body);
    case 'python':
      return runProgram('python3', ['-c', body]);
    default: {
      // ts and js run as ES modules beside the README, so its imports resolve as a reader's would.
      const file = join(ROOT, `.readme-block-${process.pid}-${index}.${block.lang === 'ts' ? 'mts' : 'mjs'}`);
      writeFileSync(file, body);
      try {
        return await runProgram(join(ROOT, 'node_modules/.bin/tsx'), [file]);
      } finally {
        rmSync(file, { force: true });
      }
    }
  }
}

const SANDBOX_SECRET = 'whsec_readme_sandbox';
const ALL = blocks(README);

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'herald-readme-'));
  mkdirSync(join(work, 'bin'));
  const herald = join(ROOT, JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).bin.herald);
  writeFileSync(join(work, 'bin', 'npx'), `#!/bin/sh\n[ "$1" = herald ] && shift && exec ${herald} "$@"\nexec "$@"\n`);
  chmodSync(join(work, 'bin', 'npx'), 0o755);
  // The smallest files their types are recognised by: a 1x1 PNG and a one-page PDF.
  writeFileSync(
    join(work, 'banner.png'),
    Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
      'base64',
    ),
  );
  writeFileSync(join(work, 'invoice.pdf'), '%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
  h = await startHerald({ HERALD_WORKERS: '1', HERALD_SANDBOX_WEBHOOK_SECRET: SANDBOX_SECRET });
}, 60_000);

afterAll(async () => {
  await h?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('README', () => {
  it('says why each block it does not run is left out', () => {
    for (const b of ALL) {
      if (b.directive?.startsWith('not run')) expect(b.directive, `README line ${b.line}`).toMatch(/^not run: \S/);
    }
    expect(ALL.filter((b) => RUNNABLE.includes(b.lang as never)).length).toBeGreaterThan(10);
  });

  it("tabulates every provider kind's settings and secrets, and nothing else", () => {
    const rows = README.split('\n').filter((l) => /^\| `[a-z-]+` \|/.test(l));
    const named = (cell: string) => [...cell.matchAll(/`(\w+)`/g)].map((m) => m[1]!).filter((n) => !/^[A-Z]+$/.test(n));
    const fields = (schema: z.ZodType) => Object.keys((schema as unknown as z.ZodObject<z.ZodRawShape>).shape).sort();
    for (const [kind, spec] of Object.entries(PROVIDER_KINDS)) {
      const row = rows.find((r) => r.startsWith(`| \`${kind}\` |`));
      expect(row, kind).toBeDefined();
      const [, , , settings, secrets] = row!.split('|');
      expect(named(settings!).sort(), `${kind} settings`).toEqual(fields(spec.settings));
      expect(named(secrets!).sort(), `${kind} secrets`).toEqual(fields(spec.secrets));
    }
  });

  it('runs every runnable block as written, in order', async () => {
    for (const [index, block] of ALL.entries()) {
      const file = /^file: (\S+)$/.exec(block.directive ?? '')?.[1];
      if (file) writeFileSync(join(work, file), `${block.body}\n`);
      if (!RUNNABLE.includes(block.lang as never) || block.directive?.startsWith('not run')) continue;
      let output: string;
      try {
        output = await execute(block, index);
      } catch (err) {
        const e = err as { stdout?: string; stderr?: string; message: string };
        throw new Error(
          `README line ${block.line} (${block.lang}) failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`,
        );
      }
      remember(output);
      expect(
        FAILURE.test(output),
        `README line ${block.line} (${block.lang}) answered:\n${output.slice(0, 2000)}`,
      ).toBe(false);
    }
  }, 300_000);
});
