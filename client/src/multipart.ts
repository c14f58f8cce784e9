// GraphQL multipart requests (https://github.com/jaydenseric/graphql-multipart-request-spec):
// variables holding a File or Blob (uploadMedia's `file`) travel as multipart/form-data, each
// file a part and `null` in its place in the variables. graphql-request 7 sends JSON only.

/** Each file in `variables` with its path (`variables.file`), and the variables with nulls instead. */
export function extractFiles(variables: Record<string, unknown>): {
  variables: Record<string, unknown>;
  files: { path: string; file: Blob }[];
} {
  const files: { path: string; file: Blob }[] = [];
  const walk = (value: unknown, path: string): unknown => {
    if (typeof Blob !== 'undefined' && value instanceof Blob) {
      files.push({ path, file: value });
      return null;
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}.${i}`));
    if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, `${path}.${k}`)]));
    return value;
  };
  return { variables: walk(variables, 'variables') as Record<string, unknown>, files };
}

export function multipartBody(
  query: string,
  variables: Record<string, unknown>,
  files: { path: string; file: Blob }[],
): FormData {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query, variables }));
  form.append('map', JSON.stringify(Object.fromEntries(files.map((f, i) => [String(i), [f.path]]))));
  files.forEach(({ file }, i) => {
    form.append(String(i), file, 'name' in file && typeof file.name === 'string' ? file.name : 'upload');
  });
  return form;
}
