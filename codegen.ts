import type { CodegenConfig } from '@graphql-codegen/cli';

// A typed graphql-request client generated from the committed SDL and the operations in
// schema/operations; the tests (and any TypeScript client app) use it.
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: 'schema/operations/**/*.graphql',
  generates: {
    'test/client/sdk.ts': {
      plugins: ['typescript-operations', 'typescript-graphql-request'],
      config: {
        useTypeImports: true,
        gqlImport: 'graphql-tag#gql',
        enumsAsTypes: true,
        scalars: { DateTime: 'string', JSON: 'unknown', ID: 'string' },
        avoidOptionals: false,
        skipTypename: false,
      },
    },
  },
  hooks: {},
};

export default config;
