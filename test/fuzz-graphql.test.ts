import { fuzzSuite } from './support/fuzz-suite.js';

// Seeded hostile GraphQL requests at every mutation; generators and checks: support/fuzz-suite.ts.
fuzzSuite('graphql');
