#!/usr/bin/env node
// `npx herald …` in this repository: the client package's command (client/src/cli/) run from its
// sources through tsx, the way `npm start` runs the server, so it never lags behind an edit.
// Integrators get the same command built, as the `herald` bin of @herald/client.
import { tsImport } from 'tsx/esm/api';

await tsImport('../client/src/cli/main.ts', import.meta.url);
