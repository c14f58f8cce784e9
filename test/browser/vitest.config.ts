import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

// The console in a real browser (`npm run test:browser`): Debian's Chromium driven by
// playwright-core, against a Herald started in-process as the other suites do.
export default defineConfig({
  resolve: {
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/browser/**/*.browser.ts'],
    globalSetup: ['test/support/global-setup.ts', 'test/browser/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    pool: 'forks',
    // One browser at a time: two cores are shared with Herald and its dispatcher.
    maxWorkers: 1,
    fileParallelism: false,
  },
});
