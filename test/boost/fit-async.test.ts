// fitAsync: the same model as fit, the event loop runs between rounds, and an AbortSignal fired
// by a timer stops training with the signal's reason.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GradientBoostingClassifier, GradientBoostingRegressor } from '../../src/boost/gradient-boosting.js';
import { NumpyRandom } from '../../src/random/numpy.js';
import { GroveNotFittedError } from '../../src/runtime/errors.js';
import { initSync } from '../../src/runtime/kernel.js';

initSync({ module: readFileSync(new URL('../../build/debug.wasm', import.meta.url)) });

const rng = new NumpyRandom(5);
const X = Array.from({ length: 400 }, () => [rng.random(), rng.random(), rng.random()]);
const y = X.map(([a, b]) => (a + b > 1 ? 'yes' : 'no'));

describe('fitAsync', () => {
  it('gives the model fit gives, and lets timers run between rounds', async () => {
    const options = { nEstimators: 20, maxDepth: 3 };
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const a = await new GradientBoostingClassifier(options).fitAsync(X, y);
    clearInterval(timer);
    const b = new GradientBoostingClassifier(options).fit(X, y);
    expect(a.model).toEqual(b.model);
    expect(a.classes).toEqual(['no', 'yes']);
    expect(ticks).toBeGreaterThan(0);
  });

  it('stops when a timer aborts the signal, with its reason, leaving the model unfitted', async () => {
    const controller = new AbortController();
    let rounds = 0;
    const model = new GradientBoostingRegressor({ nEstimators: 100000, maxDepth: 2 });
    setTimeout(() => controller.abort(new Error('enough')), 20);
    await expect(model.fitAsync(X, X.map(([a]) => a), { signal: controller.signal, callbacks: [() => void rounds++] })).rejects.toThrow('enough');
    expect(rounds).toBeGreaterThan(0);
    expect(rounds).toBeLessThan(100000);
    expect(() => model.model).toThrow(GroveNotFittedError);
  });
});
