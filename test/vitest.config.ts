import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships both index.mjs and index.js; Node (and so Pothos and Yoga) loads the
    // CommonJS build, Vite would pick the .mjs one. One realm for all, or instanceof checks fail.
    alias: [
      { find: /^graphql$/, replacement: require.resolve('graphql') },
      // Tests use @herald/client from its sources, as tsc does (the `herald-source` condition).
      { find: /^@herald\/client$/, replacement: fileURLToPath(new URL('../client/src/index.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Migrates once: a template database (PostgreSQL) or a data-directory dump (PGlite).
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Each file starts its own Herald and database; files run in parallel workers.
    pool: 'forks',
    // Vitest's default on two cores is one worker. A test file spends most of its time waiting
    // (HTTP round trips, the dispatcher's polls, provider fakes), so three keep both cores busy.
    maxWorkers: 3,
    // Files in one worker share its module graph: Herald's modules (Pothos schema, GraphQL,
    // drizzle) are loaded once per worker, not once per file. Tests keep no state in modules:
    // every file starts its own Herald and database.
    isolate: false,
  },
});
