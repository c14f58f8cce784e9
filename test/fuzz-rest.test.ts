import { fuzzSuite } from './support/fuzz-suite.js';

// Seeded hostile requests at every REST route; generators and checks: support/fuzz-suite.ts.
fuzzSuite('rest');
