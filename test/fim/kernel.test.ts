/**
 * The fim_fpgrowth kernel, run through the debug build (assertions on), against the reference
 * miner of this folder: random databases of every shape, the SPMF text mode against the record
 * mode, and outputs many times the 1 MiB output buffer.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { encodeTransactions, type EncodedDb } from '../../src/fim/encode.js';
import { fpGrowthSpmf, fpGrowthTable } from '../../src/fim/fpgrowth.js';
import { GroveArgumentError, GroveDataError, STATUS_BAD_ARGUMENT, STATUS_BAD_INPUT, STATUS_OK } from '../../src/runtime/errors.js';
import { HeapScope } from '../../src/runtime/heap.js';
import { initSync, kernel, withKernel } from '../../src/runtime/kernel.js';
import type { FrequentItemset, Item } from '../../src/fim/types.js';
import { listing, referenceItemsets, transactionSets } from './bruteforce.js';

// vitest runs each file in its own process (pool 'forks'), so this module is the only one here
const debugModule = new WebAssembly.Module(readFileSync(new URL('../../build/debug.wasm', import.meta.url)));
initSync({ module: debugModule });

/** fim_fpgrowth's records as public itemsets (the facade's own conversion is not used). */
function kernelItemsets(db: EncodedDb, minCount: number, maxLen = 0): FrequentItemset[] {
  const table = fpGrowthTable(db, { minCount, maxLen, kind: 'all' });
  const n = db.offsets.length - 1;
  return Array.from({ length: table.size }, (_, i) => ({
    items: Array.from(table.items(i), (id) => db.labels[id]),
    count: table.counts[i],
    support: table.counts[i] / n,
  }));
}

function expectReference(txs: Item[][], minCount: number, maxLen = 0): FrequentItemset[] {
  const got = kernelItemsets(encodeTransactions(txs), minCount, maxLen);
  const want = referenceItemsets(transactionSets(txs), minCount, maxLen || Infinity);
  expect(listing(got)).toEqual(listing(want));
  return got;
}

/** The SPMF stream as lines, checking that every chunk ends on a line boundary. */
function spmfLines(db: EncodedDb, minCount: number, maxLen = 0): { lines: string[]; chunks: number; emitted: number } {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let text = '';
  let chunks = 0;
  const emitted = fpGrowthSpmf(db, { minCount, maxLen, kind: 'all' }, (chunk) => {
    chunks++;
    expect(chunk[chunk.length - 1]).toBe(0x0a);
    text += decoder.decode(chunk);
  });
  const lines = text.split('\n');
  expect(lines.pop()).toBe('');
  return { lines, chunks, emitted };
}

/** Record-mode itemsets as the SPMF lines they must match. */
function asSpmf(itemsets: FrequentItemset[]): string[] {
  return itemsets.map((s) => `${s.items.join(' ')} #SUP: ${s.count}`);
}

/** A seeded generator (LCG), so the large fixed cases are the same on every run. */
function lcg(seed: number): (k: number) => number {
  let s = seed >>> 0;
  return (k) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.floor((s / 2 ** 32) * k);
  };
}

test('the debug build is the one loaded', () => {
  expect(WebAssembly.Module.customSections(debugModule, 'name').length).toBeGreaterThan(0);
  expect(kernel().memory).toBeInstanceOf(WebAssembly.Memory);
});

describe('fim_fpgrowth = reference', () => {
  test('empty databases', () => {
    expect(expectReference([], 1)).toEqual([]);
    expect(expectReference([[], [], []], 1)).toEqual([]);
    expect(spmfLines(encodeTransactions([]), 1)).toEqual({ lines: [], chunks: 0, emitted: 0 });
  });

  test('random small databases, any threshold and maxLen', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 12 }), { maxLength: 80 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 6 }),
        (txs, minCount, maxLen) => {
          // at minCount 1 all 4095 subsets of each 12-item transaction are frequent: bound the length
          expectReference(txs, minCount, minCount === 1 && maxLen === 0 ? 4 : maxLen);
        },
      ),
      { numRuns: 200 },
    );
  });

  test('long transactions (100+ items)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 2000 }), { minLength: 100, maxLength: 200 }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 0, max: 3 }),
        (txs, minCount, maxLen) => {
          // two transactions share about a dozen items, so at minCount 2 the length must be bounded;
          // and fast-check can repeat a generated transaction, whose 2^100+ subsets are then all
          // frequent at any minCount (a full test run once died of it, out of memory): bound it always
          expectReference(txs, minCount, maxLen === 0 ? 3 : maxLen);
        },
      ),
      { numRuns: 25 },
    );
  });

  test('long dense transactions over 120 items', () => {
    fc.assert(
      fc.property(
        fc.array(fc.subarray([...Array(120).keys()], { minLength: 100 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 2 }),
        (txs, minCount, maxLen) => {
          expectReference(txs, Math.min(minCount, txs.length), maxLen);
        },
      ),
      { numRuns: 20 },
    );
  });

  test('many distinct ids', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 5 }), { minLength: 500, maxLength: 2000 }),
        (txs) => {
          expect(encodeTransactions(txs).labels.length).toBeGreaterThan(400);
          expectReference(txs, 1);
        },
      ),
      { numRuns: 10 },
    );
  });

  test('flat ids of which most never occur (nIds far above the items used)', () => {
    fc.assert(
      fc.property(
        // 50 ids spread over 0..2989; at least 1000 items, so encode keeps the ids as labels
        fc.array(fc.array(fc.integer({ min: 0, max: 49 }).map((i) => i * 61), { minLength: 1, maxLength: 5 }), { minLength: 1000, maxLength: 2000 }),
        fc.integer({ min: 1, max: 40 }),
        (txs, minCount) => {
          const offsets = [0];
          for (const tx of txs) offsets.push(offsets[offsets.length - 1] + tx.length);
          const db = encodeTransactions({ items: Uint32Array.from(txs.flat()), offsets: Uint32Array.from(offsets) });
          expect(db.labels.length).toBe(Math.max(...txs.flat()) + 1);
          const got = kernelItemsets(db, minCount);
          expect(listing(got)).toEqual(listing(referenceItemsets(transactionSets(txs), minCount)));
        },
      ),
      { numRuns: 10 },
    );
  });

  test('heavy duplication: repeated items and repeated transactions', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 50, maxLength: 200 }), { maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 10 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 50 }),
        (txs, tx, copies, minCount) => {
          const all = [...txs, ...Array.from({ length: copies }, () => [...tx, ...tx])];
          expectReference(all, Math.min(minCount, all.length));
        },
      ),
      { numRuns: 60 },
    );
  });

  test('a large skewed database', () => {
    const rand = lcg(42);
    const txs = Array.from({ length: 20_000 }, () => Array.from({ length: 1 + rand(15) }, () => Math.floor(300 * (rand(1000) / 1000) ** 3)));
    const got = expectReference(txs, 40);
    expect(got.length).toBeGreaterThan(1000);
    expect(Math.max(...got.map((s) => s.items.length))).toBeGreaterThan(3);
  });
});

describe('SPMF text mode', () => {
  test('equals the record mode on random databases', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 10 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 4 }),
        (txs, minCount, maxLen) => {
          const db = encodeTransactions(txs);
          const { lines, emitted } = spmfLines(db, minCount, maxLen);
          const records = kernelItemsets(db, minCount, maxLen);
          expect(emitted).toBe(records.length);
          expect(lines.sort()).toEqual(asSpmf(records).sort());
        },
      ),
      { numRuns: 150 },
    );
  });

  test('string labels: multi-byte, long, and in canonical order', () => {
    const long = 'x'.repeat(5000);
    const txs: Item[][] = [['é', 'b', '😀', long, 3, 10], ['b', '😀', long, 10], ['é', 'b', 10], ['b', 3]];
    const db = encodeTransactions(txs);
    const { lines } = spmfLines(db, 2);
    const want = referenceItemsets(transactionSets(txs), 2);
    expect(lines.sort()).toEqual(asSpmf(want).sort());
    // code units: 'b' < 'x' < 'é' < '😀' (a surrogate pair)
    expect(lines).toContain(`10 b ${long} 😀 #SUP: 2`);
  });

  test('hundreds of thousands of distinct labels', () => {
    // one singleton per transaction: 200k lines "i #SUP: 1"
    const txs = Array.from({ length: 200_000 }, (_, i) => [i]);
    const { lines, emitted } = spmfLines(encodeTransactions(txs), 1);
    expect(emitted).toBe(200_000);
    expect(lines.sort()).toEqual(txs.map(([i]) => `${i} #SUP: 1`).sort());
  });
});

describe('output far larger than the 1 MiB buffer', () => {
  // 36 transactions over items 0..17; item i is missing from transactions i and i + 18 only, so an
  // itemset X is held by 36 − 2|X| transactions: every itemset but the full one (count 0), that is
  // 2^18 − 2 itemsets, is frequent at 2.
  const txs = Array.from({ length: 36 }, (_, t) => [...Array(18).keys()].filter((i) => i !== t % 18));
  const db = encodeTransactions(txs);
  const binomial = (n: number, k: number): number => (k === 0 ? 1 : (binomial(n, k - 1) * (n - k + 1)) / k);

  test('record mode loses nothing', () => {
    const got = kernelItemsets(db, 2);
    expect(got).toHaveLength(2 ** 18 - 2);
    const bytes = got.reduce((sum, s) => sum + 8 + 4 * s.items.length, 0);
    expect(bytes).toBeGreaterThan(8 * 2 ** 20);
    const perLength = new Array<number>(18).fill(0);
    for (const s of got) {
      perLength[s.items.length]++;
      expect(s.count).toBe(36 - 2 * s.items.length);
    }
    for (let k = 1; k <= 17; k++) expect(perLength[k]).toBe(binomial(18, k));
    expect(new Set(got.map((s) => s.items.join(' '))).size).toBe(got.length);
    expect(listing(got)).toEqual(listing(referenceItemsets(transactionSets(txs), 2)));
  });

  test('SPMF mode loses nothing and flushes many chunks', () => {
    const { lines, chunks, emitted } = spmfLines(db, 2);
    expect(chunks).toBeGreaterThan(4);
    expect(emitted).toBe(2 ** 18 - 2);
    expect(lines.sort()).toEqual(asSpmf(kernelItemsets(db, 2)).sort());
  });

  test('maxLen cuts the same output short', () => {
    const got = kernelItemsets(db, 2, 3);
    expect(got).toHaveLength(binomial(18, 1) + binomial(18, 2) + binomial(18, 3));
  });
});

describe('kernel status codes (called directly)', () => {
  /** fim_fpgrowth on raw arguments; `patch` overrides some of them. */
  function call(patch: { minSupport?: number; maxItems?: number; cap?: number; nIds?: number } = {}): { status: number; arg: number; value: number } {
    return withKernel((k) => {
      const heap = new HeapScope(k);
      try {
        const items = heap.copyIn(new Uint32Array([0, 1, 2, 1]));
        const offsets = heap.copyIn(new Uint32Array([0, 3, 4]));
        const rank = heap.copyIn(new Int32Array([0, 1, 2]));
        const cap = patch.cap ?? 1 << 16;
        const out = heap.alloc(cap);
        const status = k.fim_fpgrowth(items, offsets, 2, patch.nIds ?? 3, patch.minSupport ?? 1, patch.maxItems ?? 0, rank, 0, 0, 0, out, cap);
        return { status, arg: k.last_error_arg(), value: k.last_error_value() };
      } finally {
        heap.dispose();
      }
    });
  }

  test('a valid call succeeds', () => {
    expect(call().status).toBe(STATUS_OK);
    expect(kernel().fim_emitted()).toBe(7);
  });

  test('minSupport < 1, maxItems < 0 and a small buffer are bad arguments', () => {
    expect(call({ minSupport: 0 })).toEqual({ status: STATUS_BAD_ARGUMENT, arg: 4, value: 0 });
    expect(call({ maxItems: -1 })).toEqual({ status: STATUS_BAD_ARGUMENT, arg: 5, value: -1 });
    expect(call({ cap: 64 })).toEqual({ status: STATUS_BAD_ARGUMENT, arg: 11, value: 64 });
  });

  test('an id ≥ nIds is bad input', () => {
    expect(call({ nIds: 2 })).toEqual({ status: STATUS_BAD_INPUT, arg: 0, value: 2 });
  });

  test('the instance stays usable after a refused call', () => {
    const before = kernel();
    call({ nIds: 1 });
    expect(kernel()).toBe(before);
    expect(expectReference([[1, 2], [2]], 1)).toHaveLength(3);
  });

  test('the facade turns them into typed errors', () => {
    expect(() => fpGrowthTable(encodeTransactions([[1]]), { minCount: 0, maxLen: 0, kind: 'all' })).toThrow(GroveArgumentError);
    const bad: EncodedDb = { items: new Uint32Array([0, 5]), offsets: new Uint32Array([0, 2]), labels: [0, 1] };
    expect(() => fpGrowthTable(bad, { minCount: 1, maxLen: 0, kind: 'all' })).toThrow(GroveDataError);
  });
});
