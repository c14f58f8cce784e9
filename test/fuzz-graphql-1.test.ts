import { fuzzSuite } from './support/fuzz-suite.js';

// Seeded hostile GraphQL requests at every mutation, the first of every two (the others:
// fuzz-graphql-2); generators and checks: support/fuzz-suite.ts.
fuzzSuite('graphql', { index: 0, of: 2 });
