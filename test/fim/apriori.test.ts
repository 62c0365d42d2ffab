/**
 * Apriori-specific behaviour: every counting path (level 2 by the triangular array, whole or in
 * blocks, or by join; one or many bitmap chunks; one or many candidate batches) gives the
 * reference listing; maxLen and per-level progress; the kernel's status codes. The shared
 * conformance, golden and FP-growth = Apriori = brute force suites live in the other files of
 * this folder.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import '../../src/runtime/init.node.js';
import { apriori, aprioriTable, type AprioriTuning } from '../../src/fim/apriori.js';
import { fpGrowth } from '../../src/fim/fpgrowth.js';
import { encodeTransactions, nTransactions, outputRank, type EncodedDb } from '../../src/fim/encode.js';
import { toItemsets, type ItemsetTable } from '../../src/fim/itemsets.js';
import { resolveMineOptions, type MineParams } from '../../src/fim/options.js';
import type { Item, MineOptions } from '../../src/fim/types.js';
import { GroveArgumentError, GroveDataError, GroveError } from '../../src/runtime/errors.js';
import { sharedDir } from '../helpers/shared.js';
import { listing, minCountOf, referenceItemsets, transactionSets } from './bruteforce.js';

// Han & Kamber, Table 6.1 (item In is n): at count 2, 5 + 6 + 2 frequent itemsets
const HAN_KAMBER: number[][] = [
  [1, 2, 5], [2, 4], [2, 3], [1, 2, 4], [1, 3], [2, 3], [1, 3], [1, 2, 3, 5], [1, 2, 3],
];

/**
 * Every code path: level 2 by the whole triangle, by blocks of rows (one pass each) or by join;
 * bitmap chunks of 128 transactions; batches of as few candidates as possible.
 */
const PATHS: Record<string, AprioriTuning> = {
  triangle: {},
  'triangle blocks': { triangleCells: 5 },
  join: { triangleCells: 0 },
  chunks: { chunkTransactions: 1 },
  batches: { batchCandidates: 1 },
  all: { triangleCells: 0, chunkTransactions: 1, batchCandidates: 1 },
};

function mine(txs: Item[][], options: MineOptions, tuning: AprioriTuning): { db: EncodedDb; table: ItemsetTable } {
  const db = encodeTransactions(txs);
  const table = aprioriTable(db, resolveMineOptions(options, nTransactions(db), 'test'), tuning);
  return { db, table };
}

const dbs: fc.Arbitrary<Item[][]> = fc.oneof(
  // dense: subsets of ten items
  fc.array(fc.subarray([...Array(10).keys()]), { maxLength: 40 }),
  // more than one 128-transaction chunk
  fc.array(fc.subarray([0, 1, 2, 3, 4, 5, 6]), { minLength: 129, maxLength: 400 }),
  // repeated items inside transactions, mixed labels
  fc.array(fc.array(fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom<Item>('a', 'b', '1')), { maxLength: 12 }), { maxLength: 40 }),
  // sparse
  fc.array(fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 8 }), { maxLength: 80 }),
);
const inputs = dbs.chain((txs) => fc.record({
  txs: fc.constant(txs),
  minCount: fc.integer({ min: 1, max: Math.max(1, Math.min(txs.length, 6)) }),
  maxLen: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
}));

describe('every counting path gives the reference listing', () => {
  test.each(Object.entries(PATHS))('%s', (_, tuning) => {
    fc.assert(
      fc.property(inputs, ({ txs, minCount, maxLen }) => {
        // a count of 1 is written as a fraction (minSupport 1 means 100%)
        const minSupport = minCount === 1 ? 1 / Math.max(1, txs.length) : minCount;
        const options: MineOptions = maxLen === undefined ? { minSupport } : { minSupport, maxLen };
        const { db, table } = mine(txs, options, tuning);
        const sets = transactionSets(txs);
        const want = referenceItemsets(sets, minCountOf(options.minSupport, sets.length), maxLen ?? Infinity);
        expect(listing(toItemsets(table, db))).toEqual(listing(want));
      }),
      { numRuns: 120 },
    );
  });
});

test('many frequent items: the triangle is counted in blocks, pairs found across blocks', () => {
  // 12 000 items, each in two transactions; transaction t holds items t and t + 1 (mod 12 000),
  // so the frequent pairs are the 12 000 neighbours, 72M cells over two passes at the default
  const n = 12_000;
  const txs = Array.from({ length: 2 * n }, (_, t) => [t % n, (t + 1) % n]);
  const got = apriori(txs, { minSupport: 2 });
  expect(got.filter((s) => s.items.length === 1)).toHaveLength(n);
  const pairs = got.filter((s) => s.items.length === 2);
  expect(pairs).toHaveLength(n);
  expect(pairs.every((s) => s.count === 2 && (s.items[1] === (s.items[0] as number) + 1 || (s.items[0] === 0 && s.items[1] === n - 1)))).toBe(true);
});

describe('result layout', () => {
  test('ids inside each itemset follow the canonical output order, whatever the labels', () => {
    const txs: Item[][] = [['b', 2, 'a', 1, 10], [10, 'b', 2, 'a'], ['a', 1, 2, 10, 'b'], [2, 'b', 10]];
    for (const tuning of Object.values(PATHS)) {
      const { db, table } = mine(txs, { minSupport: 2 }, tuning);
      const rank = outputRank(db.labels);
      expect(table.size).toBe(31); // the first and third transactions hold all five items
      for (let i = 0; i < table.size; i++) {
        const ids = table.items(i);
        for (let j = 1; j < ids.length; j++) expect(rank[ids[j - 1]]).toBeLessThan(rank[ids[j]]);
      }
    }
  });

  test('labels are preserved and 1 and "1" stay apart', () => {
    const got = apriori([[1, '1'], [1, '1'], ['1']], { minSupport: 2 });
    expect(listing(got)).toEqual(listing([
      { items: [1], count: 2, support: 2 / 3 },
      { items: ['1'], count: 3, support: 1 },
      { items: [1, '1'], count: 2, support: 2 / 3 },
    ]));
  });
});

describe('maxLen and progress', () => {
  test('maxLen stops after that level (Han–Kamber at count 2: 5, 6, 2 itemsets per length)', () => {
    const sizes = [1, 2, 3, 4].map((maxLen) => apriori(HAN_KAMBER, { minSupport: 2, maxLen }).length);
    expect(sizes).toEqual([5, 11, 13, 13]);
    expect(apriori(HAN_KAMBER, { minSupport: 2, maxLen: 2 }).every((s) => s.items.length <= 2)).toBe(true);
  });

  test('one call per level up to the longest possible itemset', () => {
    // T800 holds four frequent items, so no itemset is longer than 4; level 4 ({1,2,3,5}, whose
    // subset {2,3,5} is infrequent) is mined, found empty, and reported
    const calls: { done: number; total: number }[] = [];
    apriori(HAN_KAMBER, { minSupport: 2, onProgress: (p) => calls.push(p) });
    expect(calls).toEqual([1, 2, 3, 4].map((done) => ({ done, total: 4 })));

    calls.length = 0;
    apriori(HAN_KAMBER, { minSupport: 2, maxLen: 2, onProgress: (p) => calls.push(p) });
    expect(calls).toEqual([{ done: 1, total: 2 }, { done: 2, total: 2 }]);

    // no frequent pair although a transaction holds three frequent items: level 2 comes out
    // empty and the last call jumps to the total
    calls.length = 0;
    apriori([[1, 2, 3], [1], [2], [3]], { minSupport: 2, onProgress: (p) => calls.push(p) });
    expect(calls).toEqual([{ done: 1, total: 3 }, { done: 2, total: 3 }, { done: 3, total: 3 }]);

    calls.length = 0;
    apriori([[1], [2]], { minSupport: 2, onProgress: (p) => calls.push(p) });
    apriori([], { minSupport: 0.5, onProgress: (p) => calls.push(p) });
    expect(calls).toEqual([]); // nothing frequent: no levels
  });

  test('a miner called from onProgress is refused with a GroveError, and the kernel stays usable', () => {
    // the run is open in the kernel between levels, when onProgress is called
    expect(() => apriori(HAN_KAMBER, { minSupport: 2, onProgress: () => apriori(HAN_KAMBER, { minSupport: 2 }) }))
      .toThrow(GroveError);
    expect(() => apriori(HAN_KAMBER, { minSupport: 2, onProgress: () => fpGrowth(HAN_KAMBER, { minSupport: 2 }) }))
      .toThrow(GroveError);
    expect(apriori(HAN_KAMBER, { minSupport: 2 })).toHaveLength(13);
  });

  test('an exception thrown by onProgress propagates and leaves the kernel usable', () => {
    expect(() => apriori(HAN_KAMBER, { minSupport: 2, onProgress: () => { throw new Error('stop'); } })).toThrow('stop');
    expect(apriori(HAN_KAMBER, { minSupport: 2 })).toHaveLength(13);
  });
});

describe('kernel status codes', () => {
  const params: MineParams = { minCount: 1, maxLen: 0, kind: 'all' };

  test('an item id without a label is refused', () => {
    const db: EncodedDb = { items: Uint32Array.of(0, 7), offsets: Uint32Array.of(0, 2), labels: [0] };
    expect(() => aprioriTable(db, params)).toThrow(GroveDataError);
    expect(() => aprioriTable(db, params)).toThrow('apriori: invalid items (got 7)');
  });

  test('out-of-range tuning is refused by name', () => {
    const db = encodeTransactions(HAN_KAMBER);
    expect(() => aprioriTable(db, params, { chunkTransactions: -1 })).toThrow(GroveArgumentError);
    expect(() => aprioriTable(db, params, { chunkTransactions: -1 })).toThrow('apriori: chunkTransactions out of range (got -1)');
    expect(() => aprioriTable(db, params, { triangleCells: NaN })).toThrow(/triangleCells out of range/);
    expect(aprioriTable(db, { ...params, minCount: 2 }).size).toBe(13);
  });
});

const fimi = sharedDir('data/fimi');

describe.skipIf(!fimi.present)(`chess at 2238 through every path${fimi.skipReason}`, () => {
  // reference.tsv: 48731 itemsets, 1:24,2:238,3:1237,4:3857,5:7891,6:11125,7:11113,8:7916,9:3895,10:1216,11:204,12:14,13:1
  const lines = fimi.present ? readFileSync(`${fimi.path}/chess.dat`, 'latin1').trim().split('\n') : [];
  const db = encodeTransactions(lines.map((l) => l.trim().split(' ').map(Number)));
  const params: MineParams = { minCount: 2238, maxLen: 0, kind: 'all' };
  const keys = (table: ItemsetTable) => Array.from({ length: table.size }, (_, i) => `${table.key(i)}#${table.counts[i]}`).sort();
  const byLength = (table: ItemsetTable) => {
    const n: number[] = [];
    for (let i = 0; i < table.size; i++) n[table.length(i)] = (n[table.length(i)] ?? 0) + 1;
    return n.flatMap((c, len) => (c ? [`${len}:${c}`] : [])).join(',');
  };
  const base = aprioriTable(db, params);

  test('the default path matches the reference counts', () => {
    expect(base.size).toBe(48731);
    expect(byLength(base)).toBe('1:24,2:238,3:1237,4:3857,5:7891,6:11125,7:11113,8:7916,9:3895,10:1216,11:204,12:14,13:1');
  });

  test.each([
    ['join', { triangleCells: 0 }],
    ['a triangle block per row', { triangleCells: 1 }],
    ['25 chunks, batches of 5000', { chunkTransactions: 128, batchCandidates: 5000 }],
  ] as const)('%s', (_, tuning) => {
    expect(keys(aprioriTable(db, params, tuning))).toEqual(keys(base));
  });
});
