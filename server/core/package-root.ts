import fs from 'node:fs';
import path from 'node:path';

/**
 * The folder holding Tandem's package.json, found upwards from `from`: the sources sit at the
 * package root's paths, the compiled code one level deeper (dist/node/…), and both must find the
 * same dist/web and worker files.
 */
export function packageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** True when this code runs compiled (dist/node), not from the TypeScript sources. */
export const compiled = import.meta.url.endsWith('.js');
