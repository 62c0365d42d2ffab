/**
 * The textbook examples of ../shared/data/fimi, inlined (they are tiny) so these tests never skip.
 * Every expected itemset below was worked out by hand from the transactions; the reference miner
 * is checked against them too, since the other suites trust it.
 */
import { describe, expect, test } from 'vitest';
import type { FrequentItemset, Item, MineOptions } from '../../src/fim/types.js';
import { bruteForce, listing } from './bruteforce.js';
import { miners } from './miners.js';

/** `"a b c:3"` → items and count; support follows from `n`. */
function expected(n: number, lines: string[], parse: (item: string) => Item): FrequentItemset[] {
  return lines.map((line) => {
    const [items, count] = line.split(':');
    return { items: items.split(' ').map(parse), count: Number(count), support: Number(count) / n };
  });
}

// Han & Kamber, Data Mining: Concepts and Techniques, AllElectronics (T100..T900), In written n.
const hanKamber = [[1, 2, 5], [2, 4], [2, 3], [1, 2, 4], [1, 3], [2, 3], [1, 3], [1, 2, 3, 5], [1, 2, 3]];
// Item counts 1:6 2:7 3:6 4:2 5:2; pairs 12:4 13:4 15:2 23:4 24:2 25:2 (14, 34, 35, 45 < 2);
// triples 123 (T800, T900) and 125 (T100, T800); 1235 occurs once.
const hanKamberAt2 = expected(9, [
  '1:6', '2:7', '3:6', '4:2', '5:2',
  '1 2:4', '1 3:4', '1 5:2', '2 3:4', '2 4:2', '2 5:2',
  '1 2 3:2', '1 2 5:2',
], Number);

// Han, Pei & Yin, SIGMOD 2000, running example (TIDs 100..500).
const hanPeiYin = [
  ['f', 'a', 'c', 'd', 'g', 'i', 'm', 'p'],
  ['a', 'b', 'c', 'f', 'l', 'm', 'o'],
  ['b', 'f', 'h', 'j', 'o'],
  ['b', 'c', 'k', 's', 'p'],
  ['a', 'f', 'c', 'e', 'l', 'p', 'm', 'n'],
];
// Frequent items f:4 c:4 a:3 b:3 m:3 p:3. Pairs at 3: fc fa fm ca cm am (TIDs 100, 200, 500) and
// cp (100, 400, 500); fb cb fp ap mp hold 2, ab bm bp 1. {f, c, a, m} lies in exactly TIDs 100,
// 200, 500, so all its subsets count 3; any set with p and one of f, a, m drops to 2.
const hanPeiYinAt3 = expected(5, [
  'a:3', 'b:3', 'c:4', 'f:4', 'm:3', 'p:3',
  'a c:3', 'a f:3', 'a m:3', 'c f:3', 'c m:3', 'c p:3', 'f m:3',
  'a c f:3', 'a c m:3', 'a f m:3', 'c f m:3',
  'a c f m:3',
], String);

// SPMF contextPasquier99 (Pasquier et al., ICDT 1999).
const pasquier = [[1, 3, 4], [2, 3, 5], [1, 2, 3, 5], [2, 5], [1, 2, 3, 5]];
// 1:3 2:4 3:4 5:4 (4 once); every pair of {1,2,3,5} is frequent: 12:2 13:3 15:2 23:3 25:4 35:3;
// triples 123 125 135 lie in T3, T5 only, 235 in T2, T3, T5; 1235 in T3, T5.
const pasquierAt2 = expected(5, [
  '1:3', '2:4', '3:4', '5:4',
  '1 2:2', '1 3:3', '1 5:2', '2 3:3', '2 5:4', '3 5:3',
  '1 2 3:2', '1 2 5:2', '1 3 5:2', '2 3 5:3',
  '1 2 3 5:2',
], Number);
// Closed (no superset with the same count): 1 ⊂ 13 (3), 2 ⊂ 25 (4), 5 ⊂ 25, 12/15/123/125/135 ⊂
// 1235 (2), 23 and 35 ⊂ 235 (3); the rest are closed — Pasquier's five closed itemsets.
const pasquierClosed = expected(5, ['3:4', '1 3:3', '2 5:4', '2 3 5:3', '1 2 3 5:2'], Number);

interface Case {
  name: string;
  transactions: Item[][];
  options: MineOptions;
  want: FrequentItemset[];
}

const cases: Case[] = [
  { name: 'Han–Kamber at minsup 2', transactions: hanKamber, options: { minSupport: 2 }, want: hanKamberAt2 },
  // 2/9 as a fraction means the same threshold
  { name: 'Han–Kamber at 2/9', transactions: hanKamber, options: { minSupport: 2 / 9 }, want: hanKamberAt2 },
  {
    name: 'Han–Kamber maximal',
    transactions: hanKamber,
    options: { minSupport: 2, kind: 'maximal' },
    want: expected(9, ['2 4:2', '1 2 3:2', '1 2 5:2'], Number),
  },
  {
    name: 'Han–Kamber closed',
    transactions: hanKamber,
    // 4 ⊂ 24 and 5 ⊂ 15 ⊂ 125 and 25 ⊂ 125 share counts; the others are closed
    options: { minSupport: 2, kind: 'closed' },
    want: expected(9, ['1:6', '2:7', '3:6', '1 2:4', '1 3:4', '2 3:4', '2 4:2', '1 2 3:2', '1 2 5:2'], Number),
  },
  { name: 'Han–Pei–Yin at minsup 3', transactions: hanPeiYin, options: { minSupport: 3 }, want: hanPeiYinAt3 },
  { name: 'Han–Pei–Yin at 0.6', transactions: hanPeiYin, options: { minSupport: 0.6 }, want: hanPeiYinAt3 },
  { name: 'Pasquier99 at minsup 2', transactions: pasquier, options: { minSupport: 2 }, want: pasquierAt2 },
  { name: 'Pasquier99 closed', transactions: pasquier, options: { minSupport: 2, kind: 'closed' }, want: pasquierClosed },
  {
    name: 'Pasquier99 maximal',
    transactions: pasquier,
    options: { minSupport: 2, kind: 'maximal' },
    want: expected(5, ['1 2 3 5:2'], Number),
  },
];

test('hand-worked listings have the published sizes', () => {
  expect(hanKamberAt2).toHaveLength(13);
  expect(hanPeiYinAt3).toHaveLength(18);
  expect(pasquierAt2).toHaveLength(15);
});

describe.each([{ name: 'bruteForce (reference)', mine: bruteForce }, ...miners])('$name', ({ mine }) => {
  test.each(cases)('$name', ({ transactions, options, want }) => {
    expect(listing(mine(transactions, options))).toEqual(listing(want));
  });
});
