// nThreads: split search shared out by features among worker threads (src/tree/feature-shards.ts)
// grows exactly the trees one thread grows, whatever the data, method, sampling or thread count.
// The workers run dist/shard-worker.js (`npm test` builds it first) with this test's module.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GradientBoostingClassifier, GradientBoostingRegressor } from '../../src/boost/gradient-boosting.js';
import { GroveArgumentError } from '../../src/runtime/errors.js';
import { initSync } from '../../src/runtime/kernel.js';
import { HistShard } from '../../src/tree/hist-shard.js';
import '../../src/tree/worker-threads.node.js';

initSync({ module: readFileSync(new URL('../../build/debug.wasm', import.meta.url)) });

const dataArb = fc.record({ n: fc.integer({ min: 3, max: 300 }), m: fc.integer({ min: 1, max: 9 }), seed: fc.nat(), missing: fc.constantFrom(0, 0.2, 0.9), levels: fc.constantFrom(2, 5, 1000) }).map(({ n, m, seed, missing, levels }) => {
  // a small LCG: values on `levels` levels (duplicate-heavy when few), NaN at rate `missing`
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const data = Float32Array.from({ length: n * m }, () => (next() < missing ? NaN : Math.floor(next() * levels) / levels));
  const target = Float32Array.from({ length: n }, (_, r) => (data[r * m] || 0) + next());
  return { X: { data, rows: n, cols: m }, target };
});

const paramsArb = fc.record({
  treeMethod: fc.constantFrom('hist', 'approx'),
  proposal: fc.constantFrom('global', 'local'),
  maxDepth: fc.integer({ min: 1, max: 6 }),
  maxLeaves: fc.constantFrom(0, 3, 8),
  maxBin: fc.constantFrom(2, 16, 256),
  subsample: fc.constantFrom(1, 0.6),
  colsampleBylevel: fc.constantFrom(1, 0.5),
  colsampleBynode: fc.constantFrom(1, 0.5),
  minChildWeight: fc.constantFrom(0, 1),
  seed: fc.nat({ max: 1000 }),
});

describe('nThreads', () => {
  it('grows the same model as one thread (regression, binary and 3-class, hist and both approx proposals)', () => {
    fc.assert(
      fc.property(dataArb, paramsArb, fc.integer({ min: 2, max: 4 }), fc.constantFrom('reg', 'binary', 'multi'), ({ X, target }, params, nThreads, task) => {
        const fit = (threads: number) => {
          const options = { ...params, nEstimators: 3, nThreads: threads } as const;
          if (task === 'reg') return new GradientBoostingRegressor(options).fit(X, target).toJSON();
          const k = task === 'binary' ? 2 : 3;
          const y = target.map((t, r) => (r < k ? r : Math.min(k - 1, Math.floor(t * (k - 1) * 0.75)))); // every class present
          return new GradientBoostingClassifier(options).fit(X, y).toJSON();
        };
        expect(fit(nThreads)).toEqual(fit(1));
      }),
      { numRuns: 25 },
    );
  });

  it('is refused for exact, which runs on one thread', () => {
    const X = [[0], [1], [2], [3]];
    expect(() => new GradientBoostingRegressor({ treeMethod: 'exact', nThreads: 2 }).fit(X, [0, 1, 2, 3])).toThrow(GroveArgumentError);
    expect(() => new GradientBoostingRegressor({ nThreads: 0 })).toThrow(/nThreads must be an integer in \[1, 256\]/);
  });
});

describe('hist shard layouts', () => {
  it('grow the same model with codes and pairs read by row id (small data) or kept in node order (large data), on one thread or several', () => {
    const byIdBytes = HistShard.byIdBytes;
    fc.assert(
      fc.property(dataArb, paramsArb, fc.constantFrom(1, 2), fc.constantFrom('reg', 'binary'), ({ X, target }, params, nThreads, task) => {
        const fit = (bytes: number) => {
          // this thread's shard only: a worker's keeps the default, so with 2 threads the layouts mix
          HistShard.byIdBytes = bytes;
          try {
            const options = { ...params, nEstimators: 3, nThreads } as const;
            if (task === 'reg') return new GradientBoostingRegressor(options).fit(X, target).toJSON();
            return new GradientBoostingClassifier(options).fit(X, target.map((t, r) => (r < 2 ? r : t > 0.6 ? 1 : 0))).toJSON();
          } finally {
            HistShard.byIdBytes = byIdBytes;
          }
        };
        expect(fit(0)).toEqual(fit(byIdBytes));
      }),
      { numRuns: 25 },
    );
  });
});
