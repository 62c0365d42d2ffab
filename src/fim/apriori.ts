/**
 * Apriori behind the `fim_apriori_*` kernel (assembly/fim/apriori.ts): level-wise candidate
 * generation (join + downward-closure prune) with one counting pass over the data per level;
 * level 2 by a triangular array of pair counts, deeper levels by SIMD bitmap intersection.
 * It returns exactly the itemsets `fpGrowth` returns. This side drives the kernel in short
 * steps and reports progress after each level; records stream back through `host.fimFlush` as
 * in src/fim/fpgrowth.ts.
 */
import { GroveArgumentError, checkStatus } from '../runtime/errors.js';
import { HeapScope, bytesAt } from '../runtime/heap.js';
import { host, withKernel } from '../runtime/kernel.js';
import { encodeTransactions, nTransactions, type EncodedDb } from './encode.js';
import { ItemsetTable, selectKind, toItemsets } from './itemsets.js';
import { copyInDb } from './marshal.js';
import { resolveMineOptions, type MineParams } from './options.js';
import type { FrequentItemset, MineOptions, Transactions } from './types.js';

const OUT_BYTES = 1 << 20;
/** The transactions are copied into one heap block, which stays under 1 GiB. */
const MAX_OCCURRENCES = 250_000_000;
const ARG_NAMES = ['items', 'offsets', 'nTx', 'nIds', 'minSupport', 'rank', 'triangleCells', 'chunkTransactions', 'batchCandidates', 'out', 'outCapacity'];

/**
 * Internal knobs (the defaults suit real use; tests set them to drive every code path).
 * - `triangleCells`: level 2 counts pairs in a triangular array of at most this many cells per
 *   pass over the data, a block of rows at a time (default 64M = 256 MB, enough for 11 585
 *   frequent items in one pass); 0 counts level 2 by join and bitmaps like the other levels.
 * - `chunkTransactions`: transactions per bitmap chunk (default: as many as 256 MB of item
 *   bitmaps hold).
 * - `batchCandidates`: candidates generated and counted per step (default 2^16, or 2^20 when
 *   the bitmaps come in several chunks, each batch then costing a pass over the data).
 */
export interface AprioriTuning {
  triangleCells?: number;
  chunkTransactions?: number;
  batchCandidates?: number;
}

const DEFAULT_TRIANGLE_CELLS = 64 * 1024 * 1024;
/** `fim_apriori_next` works in short steps and says so until the level is complete. */
const LEVEL_UNFINISHED = -1;

/** Frequent itemsets by Apriori; the same result as `fpGrowth`. */
export function apriori(transactions: Transactions, options: MineOptions): FrequentItemset[] {
  const db = encodeTransactions(transactions, 'apriori');
  const params = resolveMineOptions(options, nTransactions(db), 'apriori');
  return toItemsets(selectKind(aprioriTable(db, params), params.kind), db);
}

/**
 * All frequent itemsets of an encoded database as a compact table (kind is not applied).
 * `onProgress` is called after each level: `done` = the itemset length finished, `total` = the
 * longest itemset possible (most frequent items in one transaction, capped by `maxLen`); the
 * last call has `done = total`.
 */
export function aprioriTable(db: EncodedDb, params: MineParams, tuning: AprioriTuning = {}): ItemsetTable {
  const nTx = nTransactions(db);
  if (db.items.length > MAX_OCCURRENCES) {
    throw new GroveArgumentError(`apriori: ${db.items.length} item occurrences exceed the ${MAX_OCCURRENCES} one WebAssembly heap block can hold`);
  }
  const table = new ItemsetTable();
  const progress = params.onProgress ?? (() => {});
  withKernel((k) => {
    const heap = new HeapScope(k);
    const saved = { ...host };
    try {
      const input = copyInDb(heap, db);
      const cap = Math.max(OUT_BYTES, (db.labels.length + 2) * 4);
      const out = heap.alloc(cap);
      host.fimFlush = (used) => table.pushRecordBytes(bytesAt(k, out, used));
      let size = k.fim_apriori_open(
        input.items, input.offsets, nTx, db.labels.length, params.minCount, input.rank,
        tuning.triangleCells ?? DEFAULT_TRIANGLE_CELLS, tuning.chunkTransactions ?? 0, tuning.batchCandidates ?? 0,
        out, cap,
      );
      if (size < 0) checkStatus(size, k, 'apriori', ARG_NAMES);
      const depth = k.fim_apriori_depth();
      const total = params.maxLen > 0 ? Math.min(params.maxLen, depth) : depth;
      if (total === 0) return;
      progress({ done: 1, total });
      let level = 1;
      // a level of fewer than two itemsets has no candidates above it
      while (level < total && size >= 2) {
        do size = k.fim_apriori_next();
        while (size === LEVEL_UNFINISHED);
        level++;
        progress({ done: level, total });
      }
      if (level < total) progress({ done: total, total });
    } finally {
      k.fim_apriori_close();
      Object.assign(host, saved);
      heap.dispose();
    }
  });
  return table;
}
