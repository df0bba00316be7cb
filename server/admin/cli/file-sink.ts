import fs from 'node:fs';
import { once } from 'node:events';

/** A write stream whose `write` waits when the disk is behind, so exports stay flat in memory. */
export function fileSink(path: string) {
  const stream = fs.createWriteStream(path);
  return {
    async write(chunk: string): Promise<void> {
      if (!stream.write(chunk)) await once(stream, 'drain');
    },
    async close(): Promise<void> {
      stream.end();
      await once(stream, 'finish');
    },
  };
}
