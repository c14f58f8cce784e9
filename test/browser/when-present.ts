import { spawnSync } from 'node:child_process';
import { CHROMIUM, chromiumPresent } from './chromium.js';

// `npm test` runs the browser suite when Chromium is installed and says so plainly when it is
// not; in CI (CI=true) a missing browser fails the run instead.
if (!chromiumPresent()) {
  const why = `Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`;
  if (process.env.CI === 'true') {
    console.error(`\nBrowser tests cannot run: ${why}. CI requires them.`);
    process.exit(1);
  }
  console.log(`\nBrowser tests SKIPPED: ${why}. Install it and run \`npm run test:browser\`.`);
  process.exit(0);
}
const run = spawnSync('npm', ['run', 'test:browser'], { stdio: 'inherit' });
process.exit(run.status ?? 1);
