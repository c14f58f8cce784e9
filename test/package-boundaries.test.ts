import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Herald's layering, checked rather than remembered (docs/architecture.md, "Rules"). The graph
// is read with the TypeScript compiler's own import scanner, so `import type`, `export … from`
// and dynamic `import()` all count: a type-only import is still a dependency of the design.

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

/** Every .ts file under `root` (src/), as a path relative to it with forward slashes. */
function sourceFiles(root = SRC, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(root, path);
    return entry.name.endsWith('.ts') ? [relative(root, path).split('\\').join('/')] : [];
  });
}

/** file -> the files under src/ it imports (package imports are not part of the layering). */
function importGraph(): Map<string, string[]> {
  const files = sourceFiles();
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(join(SRC, file), 'utf8'), true, true);
    const targets = new Set<string>();
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      // Sources import each other as './x.js' (NodeNext); the file on disk is x.ts.
      const target = posix.normalize(posix.join(posix.dirname(file), fileName)).replace(/\.js$/, '.ts');
      if (!known.has(target)) throw new Error(`${file}: cannot resolve ${fileName}`);
      targets.add(target);
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

/** The top-level folder of a file ('messaging'), or the file itself for src/*.ts ('vocabulary.ts'). */
const area = (file: string) => file.split('/')[0]!;

// The APIs: everything that speaks HTTP to clients or providers.
const APIS = ['graphql', 'rest', 'webhooks', 'http'];
// The business domain: what Herald does, independent of any API.
const DOMAIN = ['messaging', 'delivery', 'templates', 'media', 'tenancy', 'callbacks', 'campaigns'];
// Shared checks the domain and the providers both apply; part of the domain, below it.
const GUARDS = ['net', 'validation'];

type Rule = { name: string; from: (file: string) => boolean; forbidden: (target: string) => boolean };

const RULES: Rule[] = [
  {
    // pubsub/ carries committed changes to the subscriptions; it is below them, not part of them.
    name: 'the domain (and pubsub/) does not import the APIs',
    from: (f) => [...DOMAIN, ...GUARDS, 'pubsub'].includes(area(f)),
    forbidden: (t) => APIS.includes(area(t)),
  },
  {
    name: 'providers/ imports no domain module and no API',
    from: (f) => area(f) === 'providers',
    forbidden: (t) => [...DOMAIN, ...APIS].includes(area(t)),
  },
  {
    name: 'net/ and validation/ import nothing of the domain above them, nor providers/',
    from: (f) => GUARDS.includes(area(f)),
    forbidden: (t) => [...DOMAIN, 'providers'].includes(area(t)),
  },
  {
    name: 'db/ imports no domain module, no provider and no API',
    from: (f) => area(f) === 'db',
    forbidden: (t) => [...DOMAIN, ...GUARDS, 'providers', ...APIS].includes(area(t)),
  },
  {
    name: 'rest/ does not import graphql/',
    from: (f) => area(f) === 'rest',
    forbidden: (t) => area(t) === 'graphql',
  },
  {
    name: 'vocabulary.ts is the bottom: it imports nothing from src/',
    from: (f) => f === 'vocabulary.ts',
    forbidden: () => true,
  },
];

/** Every import cycle, each as one path a -> … -> a (strongly connected components, Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) components.push(component);
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  // Name one concrete circle per component, so the failure says which imports to break.
  return components.map((component) => {
    const members = new Set(component);
    const start = [...component].sort()[0]!;
    const path = [start];
    const seen = new Set([start]);
    for (;;) {
      const next = (graph.get(path.at(-1)!) ?? []).filter((t) => members.has(t));
      if (next.includes(start)) return [...path, start];
      const step = next.find((t) => !seen.has(t)) ?? next[0]!;
      if (seen.has(step)) return [...path.slice(path.indexOf(step)), step];
      path.push(step);
      seen.add(step);
    }
  });
}

describe('package boundaries', () => {
  const graph = importGraph();

  it('reads the whole of src/', () => {
    // A scanner that found nothing would pass every rule below.
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get('app.ts')!.length).toBeGreaterThan(10);
  });

  for (const rule of RULES) {
    it(rule.name, () => {
      const violations = [...graph]
        .filter(([file]) => rule.from(file))
        .flatMap(([file, targets]) => targets.filter(rule.forbidden).map((t) => `${file} -> ${t}`));
      expect(violations).toEqual([]);
    });
  }

  it('has no import cycle', () => {
    expect(cycles(graph).map((c) => c.join(' -> '))).toEqual([]);
  });
});

describe('the client package (client/)', () => {
  // @herald/client and its `herald` command are published on their own and speak to Herald over
  // the public API only: no file of theirs reaches outside client/src/ (into Herald's src/ or
  // anywhere else in the repository).
  const CLIENT = resolve(SRC, '../client/src');

  it('imports nothing outside client/src/', () => {
    const files = sourceFiles(CLIENT);
    expect(files.length).toBeGreaterThan(5);
    const escaping = files.flatMap((file) =>
      ts
        .preProcessFile(readFileSync(join(CLIENT, file), 'utf8'), true, true)
        .importedFiles.map((i) => i.fileName)
        .filter((name) => name.startsWith('.') && posix.join(posix.dirname(file), name).startsWith('..'))
        .map((name) => `${file} -> ${name}`),
    );
    expect(escaping).toEqual([]);
  });
});
