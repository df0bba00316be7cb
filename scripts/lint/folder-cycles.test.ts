import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cycles, folderEdges, runtimeImports, unitOf } from './folder-cycles.ts';

const root = path.resolve(import.meta.dirname, '../..');
const at = (rel: string) => path.join(root, rel);

describe('the folder cycle check', () => {
  it('finds two domains that import each other through different files', () => {
    const files: Record<string, string> = {
      [at('server/a/one.ts')]: "import { b } from '../b/two.ts';\nexport const a = b;\n",
      [at('server/b/three.ts')]: "import { a } from '../a/four.ts';\nexport const c = a;\n",
      [at('server/a/four.ts')]: 'export const a = 1;\n',
      [at('server/b/two.ts')]: 'export const b = 1;\n',
    };
    const edges = folderEdges(Object.keys(files), (f) => files[f]!);
    expect(cycles(edges)).toEqual([['server/a', 'server/b']]);
  });

  it('leaves out type-only imports, as dpdm does', () => {
    expect(
      runtimeImports(
        "import type { A } from './a.ts';\nimport { type B } from './b.ts';\nimport { c, type D } from './c.ts';\nexport type { E } from './e.ts';\n",
        'x.ts',
      ),
    ).toEqual(['./c.ts']);
  });

  it('counts a domain with its subfolders, and each face and store dialect on its own', () => {
    expect(unitOf('server/tenants/tokens')).toBe('server/tenants');
    expect(unitOf('server/api/rest')).toBe('server/api/rest');
    expect(unitOf('server/store/sqlite')).toBe('server/store/sqlite');
    expect(unitOf('client/web/src/deal-room')).toBe('client/web');
    expect(unitOf('server')).toBe('server');
  });

  it('finds no cycle where imports go one way', () => {
    const files: Record<string, string> = {
      [at('server/a/one.ts')]: "import { b } from '../b/two.ts';\nexport const a = b;\n",
      [at('server/b/two.ts')]: "import { c } from '../../shared/c.ts';\nexport const b = c;\n",
    };
    expect(cycles(folderEdges(Object.keys(files), (f) => files[f]!))).toEqual([]);
  });
});
