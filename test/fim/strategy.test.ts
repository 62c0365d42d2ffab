// The FP-growth kernel has two first levels: an initial FP-tree (dense data) and conditional
// trees read from the recoded transactions (sparse data). Forcing each in turn, both must equal
// the brute-force miner on random databases of either shape.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { fpGrowth } from '../../src/fim/fpgrowth.js';
import { initSync, kernel } from '../../src/runtime/kernel.js';
import { bruteForce, listing } from './bruteforce.js';

initSync({ module: readFileSync(new URL('../../build/debug.wasm', import.meta.url)) });
const DEFAULT_THRESHOLD = 0.05;
afterAll(() => kernel().fim_set_density_threshold(DEFAULT_THRESHOLD));

const database = (items: number, maxLen: number) =>
  fc.array(fc.array(fc.integer({ min: 0, max: items - 1 }), { maxLength: maxLen }), { maxLength: 60 });

describe.each([
  ['initial FP-tree', 2],
  ['transaction-based first level', 0],
])('fpGrowth with the %s', (_name, threshold) => {
  it('equals brute force on dense and sparse random databases', () => {
    kernel().fim_set_density_threshold(threshold);
    fc.assert(
      fc.property(
        fc.oneof(database(6, 8), database(200, 6)),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 5 }),
        (txs, minSupport, maxLen) => {
          const options = maxLen > 0 ? { minSupport: Math.min(minSupport, Math.max(1, txs.length)), maxLen } : { minSupport: Math.min(minSupport, Math.max(1, txs.length)) };
          if (txs.length === 0) return;
          expect(listing(fpGrowth(txs, options))).toEqual(listing(bruteForce(txs, options)));
        },
      ),
      { numRuns: 300 },
    );
  });
});
