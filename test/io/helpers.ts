/** Small helpers of the reader tests. */
import type { EncodedDb } from '../../src/fim/encode.js';

export const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** The transactions of `db` as lists of labels. */
export function decode(db: EncodedDb): unknown[][] {
  const out: unknown[][] = [];
  for (let t = 0; t + 1 < db.offsets.length; t++) {
    out.push(Array.from(db.items.subarray(db.offsets[t], db.offsets[t + 1]), (id) => db.labels[id]));
  }
  return out;
}
