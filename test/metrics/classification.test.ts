// Classification and regression scores (src/metrics/classification.ts): hand-worked examples
// (equal to scikit-learn 1.2.1 on the same inputs), rocAuc against a brute-force count of
// positive–negative pairs (fast-check, ties and weights included), and bad input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorRate, logLoss, mae, multiError, multiLogLoss, r2Score, rmse, rocAuc } from '../../src/metrics/classification.js';
import { GroveArgumentError } from '../../src/runtime/errors.js';

describe('hand-worked examples', () => {
  it('logLoss: mean −ln of the probability given to the true label, clipped at 1e-15', () => {
    // −(ln 0.9 + ln 0.8 + ln 0.6 + ln 0.5)/4 = (0.1053605 + 0.2231436 + 0.5108256 + 0.6931472)/4
    expect(logLoss([1, 0, 1, 0], [0.9, 0.2, 0.6, 0.5])).toBeCloseTo(0.383119217824493, 12);
    // weights 1, 2, 1, 0: (0.1053605 + 2·0.2231436 + 0.5108256)/4
    expect(logLoss([1, 0, 1, 0], [0.9, 0.2, 0.6, 0.5], [1, 2, 1, 0])).toBeCloseTo(0.2656183105130591, 12);
    // p = 0 for a positive: −ln(1e-15); p = 1 for a negative: −ln(1 − (1 − 1e-15))
    expect(logLoss([1], [0])).toBeCloseTo(-Math.log(1e-15), 9);
    expect(logLoss([0], [1])).toBeCloseTo(-Math.log(1 - (1 - 1e-15)), 9);
  });

  it('errorRate: p > 0.5 predicts the positive class (0.5 itself is negative)', () => {
    // predictions 1, 1, 0, 0 against 1, 0, 1, 0: rows 1 and 2 wrong
    expect(errorRate([1, 0, 1, 0], [0.9, 0.6, 0.5, 0.1])).toBe(0.5);
    expect(errorRate([1, 0, 1, 0], [0.9, 0.6, 0.5, 0.1], [3, 1, 0, 1])).toBe(1 / 5);
  });

  it('multiLogLoss and multiError on row-major probabilities', () => {
    const P = [0.7, 0.2, 0.1, 0.1, 0.1, 0.8, 0.3, 0.3, 0.4];
    // −(ln 0.7 + ln 0.8 + ln 0.3)/3 = (0.3566749 + 0.2231436 + 1.2039728)/3
    expect(multiLogLoss([0, 2, 1], P, 3)).toBeCloseTo(0.594597099859626, 12);
    // argmax per row 0, 2, 2 against 0, 2, 1
    expect(multiError([0, 2, 1], P, 3)).toBeCloseTo(1 / 3, 15);
    // a tie goes to the first class: [0.4, 0.4, 0.2] predicts 0
    expect(multiError([1, 0], [0.4, 0.4, 0.2, 0.4, 0.4, 0.2], 3)).toBe(0.5);
  });

  it('rmse, mae and r2Score', () => {
    // errors 0.5, 0, −1, 1: squares 0.25, 0, 1, 1 → RMSE √(2.25/4) = 0.75, MAE 2.5/4
    const y = [1, 2, 3, 4];
    const p = [1.5, 2, 2, 5];
    expect(rmse(y, p)).toBeCloseTo(0.75, 15);
    expect(mae(y, p)).toBeCloseTo(0.625, 15);
    // ȳ = 2.5, Σ(y − ȳ)² = 5, Σ(y − p)² = 2.25 → 1 − 2.25/5
    expect(r2Score(y, p)).toBeCloseTo(0.55, 15);
    // weights 1, 1, 2, 0: ȳ = 9/4, residual 2.25, total 1.5625 + 0.0625 + 2·0.5625 = 2.75
    expect(r2Score(y, p, [1, 1, 2, 0])).toBeCloseTo(1 - 2.25 / 2.75, 15);
    expect(rmse(y, p, [1, 1, 2, 0])).toBeCloseTo(Math.sqrt(2.25 / 4), 15);
  });

  it('r2Score of a constant target is scikit-learn\'s: 1 when predicted exactly, else 0', () => {
    // Σ(y − ȳ)² = 0: scikit-learn 1.2 (force_finite) gives r2_score([1, 1], [1, 2]) = 0.0 and
    // r2_score([1, 1], [1, 1]) = 1.0 rather than −∞ and NaN
    expect(r2Score([1, 1], [1, 2])).toBe(0);
    expect(r2Score([1, 1], [1, 1])).toBe(1);
  });

  it('rocAuc: the SPEC example, ties counted half, weights per pair, NaN with one class', () => {
    // SPEC 4: y = 1, 1, 2, 2 with positive label 2, scores 0.1, 0.4, 0.35, 0.8: positive 0.35 beats
    // 0.1 only, 0.8 beats both → 3/4
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
    // positives 0.5, 0.9, negatives 0.5, 0.2: 0.5 ties 0.5 (½) and beats 0.2; 0.9 beats both → 3.5/4
    expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.9])).toBe(0.875);
    // weights 1, 2, 3, 1: pairs ½·2·1 + 2·3 + 1·1 + 1·3 = 11 of (2 + 1)(1 + 3) = 12
    expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.9], [1, 2, 3, 1])).toBeCloseTo(11 / 12, 15);
    expect(rocAuc([1, 1], [0.2, 0.3])).toBeNaN();
    expect(rocAuc([0, 1], [Infinity, -Infinity])).toBe(0);
  });
});

describe('rocAuc against a brute-force pair count', () => {
  /** Σ over (positive i, negative j) of w_i w_j ([s_i > s_j] + ½[s_i = s_j]) / (W₊ W₋). */
  function pairCount(y: number[], s: number[], w?: number[]): number {
    let wins = 0;
    let pos = 0;
    let neg = 0;
    for (let i = 0; i < y.length; i++) {
      const wi = w ? w[i] : 1;
      if (y[i] === 1) pos += wi;
      else neg += wi;
      if (y[i] !== 1) continue;
      for (let j = 0; j < y.length; j++) {
        if (y[j] === 1) continue;
        const wj = w ? w[j] : 1;
        wins += wi * wj * (s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0);
      }
    }
    return pos > 0 && neg > 0 ? wins / (pos * neg) : NaN;
  }

  const rowsArb = fc.array(
    fc.record({
      y: fc.constantFrom(0, 1),
      // few distinct scores so ties are common, or spread ones
      s: fc.oneof(fc.integer({ min: 0, max: 4 }).map((v) => v / 4), fc.double({ min: -1e6, max: 1e6, noNaN: true })),
      w: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.double({ min: 0.01, max: 100, noNaN: true })),
    }),
    { minLength: 1, maxLength: 60 },
  );

  it('equals it, with and without weights', () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const y = rows.map((r) => r.y);
        const s = rows.map((r) => r.s);
        const w = rows.map((r) => r.w);
        for (const [got, want] of [[rocAuc(y, s), pairCount(y, s)], [rocAuc(y, s, w), pairCount(y, s, w)]]) {
          if (Number.isNaN(want)) expect(got).toBeNaN();
          else expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-12);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('depends only on the order of the scores; reversing it gives 1 − AUC', () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const y = rows.map((r) => r.y);
        const s = rows.map((r) => r.s);
        const a = rocAuc(y, s);
        if (Number.isNaN(a)) return;
        expect(rocAuc(y, s.map((v) => v * 8))).toBeCloseTo(a, 12); // exact scaling keeps every order and tie
        expect(rocAuc(y, s.map((v) => -v))).toBeCloseTo(1 - a, 12);
      }),
    );
  });
});

describe('bad input', () => {
  it('length mismatches and empty input name the problem', () => {
    expect(() => logLoss([1, 0], [0.5])).toThrow(GroveArgumentError);
    expect(() => logLoss([1, 0], [0.5])).toThrow(/logLoss: expected 2 predictions for 2 labels, got 1/);
    expect(() => multiLogLoss([0, 1], [0.5, 0.5, 0.5], 2)).toThrow(/multiLogLoss: expected 4 predictions for 2 labels, got 3/);
    expect(() => rmse([1, 2], [1, 2], [1])).toThrow(/rmse: weight has 1 entries for 2 labels/);
    expect(() => rocAuc([], [])).toThrow(/rocAuc: no rows/);
    expect(() => mae([], [])).toThrow(GroveArgumentError);
  });

  it('rocAuc rejects a NaN score instead of looping', () => {
    // The scores sit behind a proxy that gives up after 10⁵ reads, so a hang shows as a failure.
    let reads = 0;
    const scores = new Proxy([0.2, NaN, 0.7], {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key) && ++reads > 1e5) throw new Error('rocAuc kept reading the scores (an endless loop on NaN)');
        return Reflect.get(target, key, receiver);
      },
    });
    expect(() => rocAuc([0, 1, 1], scores)).toThrow(GroveArgumentError);
  });
});
