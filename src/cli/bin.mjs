#!/usr/bin/env node
// `npx herald …`: runs the TypeScript CLI through tsx, the way `npm start` runs the server.
import { tsImport } from 'tsx/esm/api';

await tsImport('./main.ts', import.meta.url);
