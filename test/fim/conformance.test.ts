/**
 * One battery every miner passes: edge cases, input forms, label handling, output contract and
 * argument validation. Expected results are written out by hand.
 */
import { describe, expect, test } from 'vitest';
import { GroveArgumentError, GroveError } from '../../src/runtime/errors.js';
import type { FrequentItemset, Item, MineOptions, Transactions } from '../../src/fim/types.js';
import { bruteForce, compareLabels, listing } from './bruteforce.js';
import { miners } from './miners.js';

/** Itemsets from `[items, count]` pairs over `n` transactions. */
function sets(n: number, pairs: [Item[], number][]): FrequentItemset[] {
  return pairs.map(([items, count]) => ({ items, count, support: count / n }));
}

function argError(run: () => unknown): GroveArgumentError {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(GroveArgumentError);
  return error as GroveArgumentError;
}

// Han & Kamber's AllElectronics table with items named as in the book.
const allElectronics = [
  ['I1', 'I2', 'I5'], ['I2', 'I4'], ['I2', 'I3'], ['I1', 'I2', 'I4'], ['I1', 'I3'],
  ['I2', 'I3'], ['I1', 'I3'], ['I1', 'I2', 'I3', 'I5'], ['I1', 'I2', 'I3'],
];

describe.each(miners)('$name', ({ mine }) => {
  const same = (transactions: Transactions, options: MineOptions, want: FrequentItemset[]) =>
    expect(listing(mine(transactions, options))).toEqual(listing(want));

  describe('edge cases', () => {
    test('empty database', () => {
      expect(mine([], { minSupport: 0.5 })).toEqual([]);
      expect(mine([], { minSupport: 1 })).toEqual([]);
      expect(mine({ items: new Uint32Array(0), offsets: new Uint32Array([0]) }, { minSupport: 0.1 })).toEqual([]);
    });

    test('empty transactions count in n but hold nothing', () => {
      same([[], [7], [], [7, 8]], { minSupport: 0.5 }, sets(4, [[[7], 2]]));
      expect(mine([[], [], []], { minSupport: 0.1 })).toEqual([]);
    });

    test('an item repeated inside a transaction counts once', () => {
      same([[1, 1, 2, 1], [1, 1], [2, 2]], { minSupport: 1 / 3 }, sets(3, [[[1], 2], [[2], 2], [[1, 2], 1]]));
      same([['a', 'a', 'a']], { minSupport: 1 }, sets(1, [[['a'], 1]]));
    });

    test('one transaction of one item', () => {
      same([[42]], { minSupport: 1 }, sets(1, [[[42], 1]]));
      same([['x']], { minSupport: 0.01 }, sets(1, [[['x'], 1]]));
    });

    test('minSupport 1.0 keeps what every transaction holds', () => {
      same([[1, 2, 3], [2, 3, 4], [3, 2]], { minSupport: 1.0 }, sets(3, [[[2], 3], [[3], 3], [[2, 3], 3]]));
    });

    test('an integer minSupport above 1 is an absolute count', () => {
      const txs = [[1, 2], [1, 2], [1, 3], [2], [3]];
      same(txs, { minSupport: 2 }, sets(5, [[[1], 3], [[2], 3], [[3], 2], [[1, 2], 2]]));
      same(txs, { minSupport: 3 }, sets(5, [[[1], 3], [[2], 3]]));
      // a count equal to n is allowed
      same(txs, { minSupport: 5 }, []);
      same([[1], [1, 2]], { minSupport: 2 }, sets(2, [[[1], 2]]));
    });

    test('a fraction is compared as count / n ≥ minSupport in floating point', () => {
      // item 1 in 3 of 10 transactions: 3 / 10 === 0.3, but 0.1 + 0.2 is a hair above 0.3
      const txs = [[1], [1], [1], [2], [2], [2], [2], [], [], []];
      same(txs, { minSupport: 0.3 }, sets(10, [[[1], 3], [[2], 4]]));
      same(txs, { minSupport: 0.1 + 0.2 }, sets(10, [[[2], 4]]));
      same(txs, { minSupport: 0.4 }, sets(10, [[[2], 4]]));
      same(txs, { minSupport: 0.40000000000000013 }, []);
    });

    test('nothing frequent gives an empty list', () => {
      expect(mine([[1], [2], [3], [4]], { minSupport: 2 })).toEqual([]);
      expect(mine([[1, 2], [3, 4]], { minSupport: 0.75 })).toEqual([]);
    });

    test('maxLen bounds the itemset length', () => {
      same(allElectronics, { minSupport: 2, maxLen: 1 }, sets(9, [[['I1'], 6], [['I2'], 7], [['I3'], 6], [['I4'], 2], [['I5'], 2]]));
      const two = mine(allElectronics, { minSupport: 2, maxLen: 2 });
      expect(two).toHaveLength(11);
      expect(two.every((s) => s.items.length <= 2)).toBe(true);
      expect(mine(allElectronics, { minSupport: 2, maxLen: 1000 })).toHaveLength(13);
    });

    test('long transactions', () => {
      const long = Array.from({ length: 50_000 }, (_, i) => i);
      const out = mine([long, long, [7, 70_000]], { minSupport: 2, maxLen: 1 });
      expect(out).toHaveLength(50_000);
      expect(out.every((s) => s.count === 2 || (s.items[0] === 7 && s.count === 3))).toBe(true);
      const wide = Array.from({ length: 300 }, (_, i) => `i${i}`);
      expect(mine([wide, wide, ['i0']], { minSupport: 2, maxLen: 2 })).toHaveLength(300 + (300 * 299) / 2);
    });

    test('a one-transaction database yields every subset', () => {
      const out = mine([[1, 2, 3, 4, 5, 6]], { minSupport: 1 });
      expect(out).toHaveLength(63);
      expect(out.every((s) => s.count === 1 && s.support === 1)).toBe(true);
    });
  });

  describe('input forms', () => {
    test('flat { items, offsets, labels }', () => {
      const flat = { items: new Uint32Array([0, 1, 1, 2, 2, 0, 2]), offsets: new Uint32Array([0, 2, 4, 7]), labels: ['x', 'y', 'z'] };
      // transactions {x,y}, {y,z}, {z,x} (z repeated)
      same(flat, { minSupport: 2 }, sets(3, [[['x'], 2], [['y'], 2], [['z'], 2]]));
      same(flat, { minSupport: 0.3 }, sets(3, [
        [['x'], 2], [['y'], 2], [['z'], 2], [['x', 'y'], 1], [['y', 'z'], 1], [['x', 'z'], 1],
      ]));
    });

    test('flat without labels: the ids are the items', () => {
      same({ items: new Uint32Array([3, 0, 3, 9]), offsets: new Uint32Array([0, 2, 4]) }, { minSupport: 0.5 },
        sets(2, [[[0], 1], [[3], 2], [[9], 1], [[0, 3], 1], [[3, 9], 1]]));
      // sparse ids (far above the item count) keep their values
      same({ items: new Uint32Array([4_000_000_000, 5, 4_000_000_000]), offsets: new Uint32Array([0, 2, 3]) }, { minSupport: 2 },
        sets(2, [[[4_000_000_000], 2]]));
    });

    test('flat labels may be numbers, and unused labels are harmless', () => {
      same({ items: new Uint32Array([1, 2, 1]), offsets: new Uint32Array([0, 2, 3]), labels: [-5, 2.5, 100] }, { minSupport: 1 },
        sets(2, [[[2.5], 2]]));
    });

    test('any iterable of iterables, read once', () => {
      function* txs() {
        yield new Set(['a', 'b']);
        yield ['b', 'c'];
        yield (function* () { yield 'b'; })();
      }
      same(txs(), { minSupport: 2 }, sets(3, [[['b'], 3]]));
      same(new Set([['p'], ['p', 'q']]), { minSupport: 1.0 }, sets(2, [[['p'], 2]]));
    });

    test('the input is not modified', () => {
      const txs = [[3, 1, 2, 1], [2, 3]];
      const copy = structuredClone(txs);
      mine(txs, { minSupport: 1 / 2 });
      expect(txs).toEqual(copy);
      const flat = { items: new Uint32Array([2, 1, 0]), offsets: new Uint32Array([0, 3]), labels: ['c', 'b', 'a'] };
      mine(flat, { minSupport: 1 });
      expect(flat).toEqual({ items: new Uint32Array([2, 1, 0]), offsets: new Uint32Array([0, 3]), labels: ['c', 'b', 'a'] });
    });
  });

  describe('labels and output', () => {
    test('1 and "1" are different items', () => {
      const txs: Item[][] = [[1, '1'], [1], ['1'], [1, '1']];
      same(txs, { minSupport: 3 }, sets(4, [[[1], 3], [['1'], 3]]));
      same(txs, { minSupport: 2 }, sets(4, [[[1], 3], [['1'], 3], [[1, '1'], 2]]));
    });

    test('labels come back as given', () => {
      const odd: Item[] = ['', ' ', 'a b', 'é', '😀', '#SUP: 1', -0.5, 1e21, 2 ** 40, -7];
      const out = mine([odd, odd], { minSupport: 2, maxLen: 1 });
      expect(out.map((s) => s.items[0]).sort(compareLabels)).toEqual([...odd].sort(compareLabels));
      expect(out.every((s) => s.count === 2 && s.support === 1)).toBe(true);
    });

    test('items inside each itemset are in canonical order', () => {
      const tx: Item[] = ['b', 10, 'a9', '\uff5e', 9, 'B', '😀', 'a10', -1, 2.5, ''];
      const out = mine([tx], { minSupport: 1 });
      expect(out).toHaveLength(2 ** tx.length - 1);
      // numbers ascending, then strings by UTF-16 code units ('😀' is a surrogate pair below U+FF5E)
      const full = out.find((s) => s.items.length === tx.length)!;
      expect(full.items).toEqual([-1, 2.5, 9, 10, '', 'B', 'a10', 'a9', 'b', '😀', '\uff5e']);
      for (const s of out) expect(s.items).toEqual([...s.items].sort(compareLabels));
    });

    test('support is count / n and count is the number of transactions holding the itemset', () => {
      const txs = [[1, 2], [2, 3], [1, 2, 3], [4], [], [2]];
      const out = mine(txs, { minSupport: 1 / 6 });
      for (const s of out) {
        expect(s.support).toBe(s.count / txs.length);
        expect(s.count).toBe(txs.filter((tx) => s.items.every((i) => tx.includes(i as number))).length);
      }
      // no duplicates
      expect(new Set(out.map((s) => JSON.stringify(s.items))).size).toBe(out.length);
      expect(out).toHaveLength(8); // 1 2 3 4 12 13 23 123
    });

    test('onProgress is accepted and reports done ≤ total', () => {
      const calls: { done: number; total: number }[] = [];
      const out = mine(allElectronics, { minSupport: 2, onProgress: (p) => calls.push({ ...p }) });
      expect(out).toHaveLength(13);
      for (const c of calls) expect(c.done).toBeLessThanOrEqual(c.total);
    });
  });

  test('a miner called again from inside onProgress: the outer result stays right, or a GroveError', () => {
    const txs = Array.from({ length: 300 }, (_, t) => [t % 7, t % 11, t % 13, 100 + (t % 5), t % 3]);
    let inner = 0;
    let out: FrequentItemset[] | undefined;
    try {
      const onProgress = () => {
        if (inner++ < 3) mine([[1, 2], [2, 3], [1, 2, 3]], { minSupport: 1 / 3 });
      };
      out = mine(txs, { minSupport: 3, onProgress });
    } catch (e) {
      expect(e).toBeInstanceOf(GroveError);
    }
    if (out) expect(listing(out)).toEqual(listing(bruteForce(txs, { minSupport: 3 })));
  });

  describe('closed and maximal (AllElectronics at 2, worked by hand)', () => {
    test('closed: no proper superset with the same count', () => {
      // I4 ⊂ {I2,I4} (2), I5 ⊂ {I1,I5} ⊂ {I1,I2,I5} (2), {I2,I5} ⊂ {I1,I2,I5} (2)
      same(allElectronics, { minSupport: 2, kind: 'closed' }, sets(9, [
        [['I1'], 6], [['I2'], 7], [['I3'], 6],
        [['I1', 'I2'], 4], [['I1', 'I3'], 4], [['I2', 'I3'], 4], [['I2', 'I4'], 2],
        [['I1', 'I2', 'I3'], 2], [['I1', 'I2', 'I5'], 2],
      ]));
    });

    test('maximal: no frequent proper superset', () => {
      same(allElectronics, { minSupport: 2, kind: 'maximal' }, sets(9, [
        [['I2', 'I4'], 2], [['I1', 'I2', 'I3'], 2], [['I1', 'I2', 'I5'], 2],
      ]));
    });

    test('with maxLen the definitions hold among the itemsets mined', () => {
      const pairs: [Item[], number][] = [
        [['I1', 'I2'], 4], [['I1', 'I3'], 4], [['I1', 'I5'], 2], [['I2', 'I3'], 4], [['I2', 'I4'], 2], [['I2', 'I5'], 2],
      ];
      same(allElectronics, { minSupport: 2, maxLen: 2, kind: 'maximal' }, sets(9, pairs));
      same(allElectronics, { minSupport: 2, maxLen: 2, kind: 'closed' }, sets(9, [[['I1'], 6], [['I2'], 7], [['I3'], 6], ...pairs]));
    });

    test('kind "all" is the default', () => {
      expect(listing(mine(allElectronics, { minSupport: 2, kind: 'all' }))).toEqual(listing(mine(allElectronics, { minSupport: 2 })));
    });
  });

  describe('argument errors', () => {
    const txs = [[1, 2], [2, 3], [1]];

    test.each([
      ['null', null], ['undefined', undefined], ['a number', 42], ['a string', 'abc'], ['a plain object', {}],
      ['a transaction that is a number', [[1], 5]], ['a transaction that is a string', [['a'], 'bc']],
      ['a null transaction', [[1], null]],
    ])('transactions: %s', (_, input) => {
      expect(argError(() => mine(input as never, { minSupport: 0.5 })).message).toMatch(/transaction/);
    });

    test.each([
      ['an object', {}], ['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity], ['null', null],
      ['undefined', undefined], ['a boolean', true], ['a bigint', 1n], ['a symbol', Symbol('s')], ['an array', [1]],
    ])('items: %s', (_, item) => {
      expect(argError(() => mine([[1], [2, item as never]], { minSupport: 0.5 })).message).toMatch(/transaction 1/);
    });

    test.each([
      ['offsets not starting at 0', { items: new Uint32Array([0, 1]), offsets: new Uint32Array([1, 2]) }, /offsets/],
      ['offsets not ending at items.length', { items: new Uint32Array([0, 1]), offsets: new Uint32Array([0, 1]) }, /offsets/],
      ['decreasing offsets', { items: new Uint32Array([0, 1, 2]), offsets: new Uint32Array([0, 2, 1, 3]) }, /offsets/],
      ['no offsets', { items: new Uint32Array(0), offsets: new Uint32Array(0) }, /offsets/],
      ['an id without a label', { items: new Uint32Array([0, 3]), offsets: new Uint32Array([0, 2]), labels: ['a', 'b'] }, /label/],
      ['repeated labels', { items: new Uint32Array([0, 1]), offsets: new Uint32Array([0, 2]), labels: ['a', 'a'] }, /label/],
      ['a NaN label', { items: new Uint32Array([0, 1]), offsets: new Uint32Array([0, 2]), labels: ['a', NaN] }, /NaN/],
    ])('flat input: %s', (_, input, message) => {
      expect(argError(() => mine(input, { minSupport: 0.5 })).message).toMatch(message);
    });

    test.each([
      ['0', 0], ['negative', -0.5], ['NaN', NaN], ['Infinity', Infinity], ['a string', '0.5'], ['missing', undefined],
      ['a non-integer count', 2.5], ['a count above n', 4], ['a huge count', 1e9],
    ])('minSupport: %s', (_, minSupport) => {
      expect(argError(() => mine(txs, { minSupport: minSupport as number })).message).toMatch(/minSupport/);
    });

    test('options themselves', () => {
      expect(argError(() => mine(txs, undefined as never)).message).toMatch(/minSupport/);
      expect(argError(() => mine(txs, null as never)).message).toMatch(/minSupport/);
      expect(argError(() => mine(txs, 0.5 as never)).message).toMatch(/minSupport/);
    });

    test('a count is checked against an empty database too', () => {
      expect(argError(() => mine([], { minSupport: 2 })).message).toMatch(/minSupport/);
    });

    test('unknown option', () => {
      expect(argError(() => mine(txs, { minSupport: 0.5, minsup: 2 } as never)).message).toMatch(/minsup/);
      expect(argError(() => mine(txs, { minSupport: 0.5, max_len: 2 } as never)).message).toMatch(/max_len/);
    });

    test.each([['0', 0], ['1.5', 1.5], ['negative', -1], ['NaN', NaN], ['Infinity', Infinity], ['a string', '2']])('maxLen: %s', (_, maxLen) => {
      expect(argError(() => mine(txs, { minSupport: 0.5, maxLen: maxLen as number })).message).toMatch(/maxLen/);
    });

    test.each([['foo', 'foo'], ['upper case', 'CLOSED'], ['a number', 1]])('kind: %s', (_, kind) => {
      expect(argError(() => mine(txs, { minSupport: 0.5, kind: kind as never })).message).toMatch(/kind/);
    });

    test('onProgress that is not a function', () => {
      expect(argError(() => mine(txs, { minSupport: 0.5, onProgress: 5 as never })).message).toMatch(/onProgress/);
    });
  });
});
