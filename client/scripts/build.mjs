// Builds the package in place: the printed SDL beside it (integrators run their own codegen on
// it) and dist/ (ES modules with type declarations) compiled from src/ by the repository's
// TypeScript. Runs on `npm install` at the repository root (prepare) and before `npm pack`.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
copyFileSync(new URL('../../schema/schema.graphql', import.meta.url), new URL('../schema.graphql', import.meta.url));
// Compiled beside dist/ and swapped in, so a `herald` already running from dist/ (a test, while
// another packs the package) never sees it half written.
const next = new URL('../dist.next', import.meta.url);
const dist = new URL('../dist', import.meta.url);
const old = new URL('../dist.old', import.meta.url);
rmSync(next, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const built = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', 'dist.next'], {
  cwd: root,
  stdio: 'inherit',
});
if (built.status !== 0) process.exit(built.status ?? 1);
chmodSync(new URL('../dist.next/cli/bin.js', import.meta.url), 0o755);
rmSync(old, { recursive: true, force: true });
if (existsSync(dist)) renameSync(dist, old);
renameSync(next, dist);
rmSync(old, { recursive: true, force: true });
