import type * as Y from 'yjs';
import { fieldsMap } from '../../shared/sync/deal-doc.ts';
import { seen } from './room-client.ts';

/** A edits `nextStep`; the time until B's document holds the new value, `count` times in a row. */
export async function latencies(
  a: { doc: Y.Doc },
  b: { doc: Y.Doc },
  count: number,
  tag: string,
): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const value = `${tag}-${i}`;
    const arrived = seen(b.doc, 'nextStep', value);
    const started = performance.now();
    fieldsMap(a.doc).set('nextStep', value);
    out.push((await arrived) - started);
  }
  return out;
}
