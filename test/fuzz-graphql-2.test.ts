import { fuzzSuite } from './support/fuzz-suite.js';

// Seeded hostile GraphQL requests at every mutation, the second of every two (the others:
// fuzz-graphql-1); generators and checks: support/fuzz-suite.ts.
fuzzSuite('graphql', { index: 1, of: 2 });
