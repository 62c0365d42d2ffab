/**
 * Property tests: on random databases every miner lists exactly what the reference miner lists,
 * and closed / maximal results are what their definitions select from that listing.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { FlatTransactions, Item, ItemsetKind, MineOptions } from '../../src/fim/types.js';
import { bruteForce, listing, minCountOf, referenceItemsets, selectByDefinition, subsetCounts, transactionSets } from './bruteforce.js';
import { miners } from './miners.js';

const RUNS = 300;

const mixedItem = fc.oneof(fc.integer({ min: -3, max: 8 }), fc.constantFrom<Item>('a', 'b', 'c', '1', '2', '', 'é', '😀'));
const db: fc.Arbitrary<Item[][]> = fc.oneof(
  { arbitrary: fc.constant<Item[][]>([]), weight: 1 },
  { arbitrary: fc.array(fc.constant<Item[]>([]), { minLength: 1, maxLength: 3 }), weight: 1 },
  // tiny, mixed numbers and strings (1 and '1' both occur)
  { arbitrary: fc.array(fc.array(mixedItem, { maxLength: 8 }), { maxLength: 25 }), weight: 4 },
  // duplicate-heavy: long transactions over four items
  { arbitrary: fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 30 }), { maxLength: 30 }), weight: 3 },
  // dense: subsets of twelve items
  { arbitrary: fc.array(fc.subarray([...Array(12).keys()]), { maxLength: 30 }), weight: 4 },
  // sparse: many distinct items
  { arbitrary: fc.array(fc.array(fc.integer({ min: 0, max: 80 }), { maxLength: 10 }), { maxLength: 60 }), weight: 3 },
  // strings only
  { arbitrary: fc.array(fc.array(fc.string({ maxLength: 2 }), { maxLength: 6 }), { maxLength: 20 }), weight: 2 },
);

const fraction = fc.double({ min: 0, max: 1, minExcluded: true, noNaN: true });
const smallFraction = fc.double({ min: 0, max: 0.25, minExcluded: true, noNaN: true });

/** A database and options valid for it: minSupport a fraction or a count in [2, n]. */
const input = db.chain((txs) =>
  fc.record({
    txs: fc.constant(txs),
    // thresholds near the bottom are where the output is large
    minSupport: txs.length >= 2
      ? fc.oneof(fraction, smallFraction, fc.integer({ min: 2, max: txs.length }), fc.integer({ min: 2, max: Math.min(txs.length, 4) }))
      : fc.oneof(fraction, smallFraction),
    maxLen: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
  }),
);

function options(minSupport: number, maxLen: number | undefined, kind?: ItemsetKind): MineOptions {
  const o: MineOptions = { minSupport };
  if (maxLen !== undefined) o.maxLen = maxLen;
  if (kind !== undefined) o.kind = kind;
  return o;
}

/** The same transactions as flat ids with labels. */
function toFlat(txs: Item[][]): FlatTransactions {
  const labels: Item[] = [];
  const ids = new Map<Item, number>();
  const items: number[] = [];
  const offsets = [0];
  for (const tx of txs) {
    for (const item of tx) {
      if (!ids.has(item)) ids.set(item, labels.push(item) - 1);
      items.push(ids.get(item)!);
    }
    offsets.push(items.length);
  }
  return { items: Uint32Array.from(items), offsets: Uint32Array.from(offsets), labels };
}

test('the reference equals plain subset counting', () => {
  fc.assert(
    fc.property(input, ({ txs, minSupport, maxLen }) => {
      const sets = transactionSets(txs);
      const minCount = minCountOf(minSupport, sets.length);
      const naive = [...subsetCounts(sets).values()]
        .filter((s) => s.count >= minCount && s.items.length <= (maxLen ?? Infinity))
        .map((s) => ({ items: s.items, count: s.count, support: s.count / sets.length }));
      expect(listing(referenceItemsets(sets, minCount, maxLen))).toEqual(listing(naive));
    }),
    { numRuns: RUNS },
  );
});

test('fractions convert to the smallest count c with c / n ≥ minSupport', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1000 }), fraction, (n, s) => {
      const c = minCountOf(s, n);
      expect(c / n >= s && (c === 1 || (c - 1) / n < s)).toBe(true);
    }),
  );
});

describe.each(miners)('$name', ({ mine }) => {
  test('equals the reference miner', () => {
    fc.assert(
      fc.property(input, ({ txs, minSupport, maxLen }) => {
        const o = options(minSupport, maxLen);
        expect(listing(mine(txs, o))).toEqual(listing(bruteForce(txs, o)));
      }),
      { numRuns: RUNS },
    );
  });

  test('flat input with labels gives the same itemsets', () => {
    fc.assert(
      fc.property(input, ({ txs, minSupport, maxLen }) => {
        const o = options(minSupport, maxLen);
        expect(listing(mine(toFlat(txs), o))).toEqual(listing(bruteForce(txs, o)));
      }),
      { numRuns: RUNS / 3 },
    );
  });

  test('closed and maximal itemsets satisfy their definitions', () => {
    fc.assert(
      fc.property(input, fc.constantFrom<ItemsetKind>('closed', 'maximal'), ({ txs, minSupport, maxLen }, kind) => {
        const all = bruteForce(txs, options(minSupport, maxLen));
        const got = mine(txs, options(minSupport, maxLen, kind));
        expect(listing(got)).toEqual(listing(selectByDefinition(all, kind)));
        // and directly: no kept itemset has a qualifying proper superset in the full listing
        for (const x of got) {
          const covered = all.some((y) => y.items.length > x.items.length && (kind === 'maximal' || y.count === x.count)
            && x.items.every((i) => y.items.includes(i)));
          expect(covered).toBe(false);
        }
      }),
      { numRuns: RUNS },
    );
  });

  test('the order of transactions and of items inside them does not matter', () => {
    fc.assert(
      fc.property(input, fc.integer(), ({ txs, minSupport, maxLen }, seed) => {
        let s = seed >>> 0;
        const rand = (k: number) => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) % k);
        const shuffle = <T>(a: T[]) => a.map((v) => [rand(1 << 30), v] as const).sort((p, q) => p[0] - q[0]).map((p) => p[1]);
        const o = options(minSupport, maxLen);
        expect(listing(mine(shuffle(txs.map((tx) => shuffle(tx))), o))).toEqual(listing(mine(txs, o)));
      }),
      { numRuns: RUNS / 3 },
    );
  });
});
