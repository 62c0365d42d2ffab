/** Copying an encoded database into kernel memory, shared by the miners' facades. */
import type { HeapScope } from '../runtime/heap.js';
import { outputRank, type EncodedDb } from './encode.js';

/** Addresses of the copies a miner kernel reads (and may overwrite: they are its scratch). */
export interface DbPointers {
  items: number;
  offsets: number;
  /** `rank[id]`: the item's place in canonical output order. */
  rank: number;
}

export function copyInDb(heap: HeapScope, db: EncodedDb): DbPointers {
  return { items: heap.copyIn(db.items), offsets: heap.copyIn(db.offsets), rank: heap.copyIn(outputRank(db.labels)) };
}
