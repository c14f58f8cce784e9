// Builds the package in place: the printed SDL beside it (integrators run their own codegen on
// it) and dist/ (ES modules with type declarations) compiled from src/ by the repository's
// TypeScript. Runs on `npm install` at the repository root (prepare) and before `npm pack`.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
copyFileSync(new URL('../../schema/schema.graphql', import.meta.url), new URL('../schema.graphql', import.meta.url));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const built = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
chmodSync(new URL('../dist/cli/bin.js', import.meta.url), 0o755);
