import type { CodegenConfig } from '@graphql-codegen/cli';

// A typed graphql-request client generated from the committed SDL and the operations in
// schema/operations; the tests (and any TypeScript client app) use it.
const plugins = ['typescript-operations', 'typescript-graphql-request'];
const config = {
  useTypeImports: true,
  gqlImport: 'graphql-tag#gql',
  enumsAsTypes: true,
  scalars: { DateTime: 'string', JSON: 'unknown', ID: 'string' },
  avoidOptionals: false,
  skipTypename: false,
};

const typedDocuments = {
  plugins: ['typescript-operations', 'typed-document-node'],
  config: { ...config, scalars: { ...config.scalars, File: 'File | Blob' } },
};

const codegen: CodegenConfig = {
  schema: 'schema/schema.graphql',
  generates: {
    'test/client/sdk.ts': { documents: 'schema/operations/**/*.graphql', plugins, config },
    // @herald/client (client/): a typed document for every operation in schema/operations, and
    // the `herald` command's own (client/src/cli/), for createHeraldClient's query, mutate and
    // subscribe. Files travel through graphql-request's multipart upload: File or Blob.
    'client/src/graphql.ts': { documents: 'schema/operations/**/*.graphql', ...typedDocuments },
    'client/src/cli/graphql.ts': { documents: 'client/src/cli/operations.graphql', ...typedDocuments },
    // The web console's operations (console/src/operations/), as typed document strings: the
    // browser sends them as they are, with no GraphQL library in its bundle.
    'console/src/gql/graphql.ts': {
      documents: 'console/src/operations/**/*.graphql',
      plugins: ['typescript-operations', 'typed-document-node'],
      // Enums as const objects: the console lists their values (statuses, channels) from the schema.
      config: {
        ...config,
        enumsAsTypes: false,
        enumType: 'const',
        scalars: { ...config.scalars, File: 'File' },
        documentMode: 'string',
      },
    },
  },
  hooks: {},
};

export default codegen;
