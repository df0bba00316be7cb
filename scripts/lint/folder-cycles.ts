import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Folder-level import cycles: files are grouped by the folder they belong to (a domain such as
 * server/opportunities or client/cli with its subfolders; under server/api and server/store each
 * face or dialect on its own, since those are layers), and a runtime import from one group into
 * another is an edge. dpdm finds file-level circles; two folders can still lean on
 * each other through different files, which is the tangle the layering exists to stop. Type-only
 * imports are left out, as dpdm's --transform does: they vanish at run time (Kysely's
 * `import type` back-edges). Exits 1 when a cycle exists, naming one import per edge.
 */
const root = path.resolve(import.meta.dirname, '../..');
const roots = ['server', 'shared', 'client', 'schema', 'test'];

type Edge = { from: string; to: string; via: string };

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    // Tests reach across folders on purpose (a suite starts the whole server).
    return /\.tsx?$/.test(entry.name) && !/\.(d|test)\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** The relative specifiers a file imports at run time. */
export function runtimeImports(text: string, fileName: string): string[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false);
  const out: string[] = [];
  for (const node of file.statements) {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const typeOnly =
        clause?.isTypeOnly ||
        (clause &&
          !clause.name &&
          clause.namedBindings &&
          ts.isNamedImports(clause.namedBindings) &&
          clause.namedBindings.elements.length > 0 &&
          clause.namedBindings.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) out.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly) {
      out.push((node.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return out.filter((s) => s.startsWith('.'));
}

/** The folder a file or folder counts under, repo-relative. */
export function unitOf(relDir: string): string {
  const parts = relDir.split(path.sep);
  const depth = parts[0] === 'server' && (parts[1] === 'api' || parts[1] === 'store') ? 3 : 2;
  return parts.slice(0, depth).join('/');
}

export function folderEdges(files: string[], read: (f: string) => string): Edge[] {
  const edges = new Map<string, Edge>();
  for (const file of files) {
    const dir = path.dirname(file);
    const from = unitOf(path.relative(root, dir));
    for (const spec of runtimeImports(read(file), file)) {
      const to = unitOf(path.relative(root, path.dirname(path.resolve(dir, spec))));
      const key = `${from}\0${to}`;
      if (to !== from && !edges.has(key)) edges.set(key, { from, to, via: `${file} → ${spec}` });
    }
  }
  return [...edges.values()];
}

/** Strongly connected groups of more than one folder (Tarjan). */
export function cycles(edges: Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  let counter = 0;
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return groups;
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const files = roots.flatMap((r) => sourceFiles(path.join(root, r)));
  const edges = folderEdges(files, (f) => fs.readFileSync(f, 'utf8'));
  const rel = (p: string) => path.relative(root, path.resolve(root, p)) || '.';
  const found = cycles(edges);
  for (const group of found) {
    const members = new Set(group);
    console.error(`folder cycle: ${group.map(rel).join(' ⇄ ')}`);
    for (const e of edges)
      if (members.has(e.from) && members.has(e.to))
        console.error(`  ${rel(e.via.split(' → ')[0]!)} → ${e.via.split(' → ')[1]}`);
  }
  console.log(
    found.length === 0
      ? `no folder cycles (${files.length} files)`
      : `${found.length} folder cycle(s)`,
  );
  process.exit(found.length === 0 ? 0 : 1);
}
