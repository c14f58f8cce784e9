import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, chromiumPresent } from './chromium.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The browser must be there, and the console built (npm install builds it; a fresh edit may not be). */
export default function setup(): void {
  if (!chromiumPresent())
    throw new Error(`Chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\``);
  if (process.env.HERALD_CONSOLE_PREBUILT === '1' && existsSync(`${root}console/dist/index.html`)) return;
  // Always rebuilt here: tests must see the console as the sources are now.
  // Vitest sets NODE_ENV=test, which Vite would honour with React's development build.
  const env = { ...process.env, NODE_ENV: 'production' };
  const build = spawnSync('npm', ['run', 'build:console'], { cwd: root, stdio: 'inherit', env });
  if (build.status !== 0) throw new Error('building the console failed (npm run build:console)');
}
