/**
 * Ranking metrics: the seed's MAP and MRR examples (SPEC §4), hand-worked NDCG / precision /
 * recall, properties against plain reference implementations, and input validation.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Item } from '../../src/fim/types.js';
import {
  averagePrecision,
  hitRate,
  ndcgAtK,
  precisionAtK,
  rankingMetrics,
  recallAtK,
  reciprocalRank,
} from '../../src/metrics/ranking.js';
import { GroveArgumentError, GroveDataError } from '../../src/runtime/errors.js';

// SPEC §4: relevant at ranks 1, 2, 5, 7 of 4 relevant; relevant at ranks 2, 3, 6 of 5 relevant
const Q1 = { list: ['a', 'b', 'x', 'y', 'c', 'z', 'd'], relevant: ['a', 'b', 'c', 'd'] };
const Q2 = { list: ['x', 'a', 'b', 'y', 'z', 'c'], relevant: new Set(['a', 'b', 'c', 'd', 'e']) };
const AP1 = (1 / 1 + 2 / 2 + 3 / 5 + 4 / 7) / 4;
const AP2 = (1 / 2 + 2 / 3 + 3 / 6 + 0 + 0) / 5;
const inv = (rank: number) => 1 / Math.log2(rank + 1);

describe('the seed examples (SPEC §4)', () => {
  test('AP of q1: relevant at ranks 1, 2, 5, 7 of 4', () => {
    expect(averagePrecision(Q1.list, Q1.relevant)).toBeCloseTo(AP1, 15);
    expect(averagePrecision(Q1.list, Q1.relevant, 7, { normalize: 'min' })).toBeCloseTo(AP1, 15);
  });

  test('AP of q2: relevant at ranks 2, 3, 6 of 5', () => {
    expect(averagePrecision(Q2.list, Q2.relevant)).toBeCloseTo(AP2, 15);
    expect(averagePrecision(Q2.list, Q2.relevant, 10, { normalize: 'min' })).toBeCloseTo(AP2, 15);
  });

  test('MAP = (ap1 + ap2) / 2, and the two normalisations part when |T| > k', () => {
    const m = rankingMetrics([Q1.list, Q2.list], [Q1.relevant, Q2.relevant], { k: 7 });
    expect(m.mapSeed).toBeCloseTo((AP1 + AP2) / 2, 15);
    expect(m.map).toBeCloseTo((AP1 + AP2) / 2, 15);
    // k = 3: q1 keeps hits at 1, 2; q2 at 2, 3
    expect(averagePrecision(Q1.list, Q1.relevant, 3)).toBeCloseTo((1 + 1) / 4, 15);
    expect(averagePrecision(Q1.list, Q1.relevant, 3, { normalize: 'min' })).toBeCloseTo((1 + 1) / 3, 15);
    expect(averagePrecision(Q2.list, Q2.relevant, 3)).toBeCloseTo((1 / 2 + 2 / 3) / 5, 15);
    expect(averagePrecision(Q2.list, Q2.relevant, 3, { normalize: 'min' })).toBeCloseTo((1 / 2 + 2 / 3) / 3, 15);
    const m3 = rankingMetrics([Q1.list, Q2.list], [Q1.relevant, Q2.relevant], { k: 3 });
    expect(m3.mapSeed).toBeCloseTo(((1 + 1) / 4 + (1 / 2 + 2 / 3) / 5) / 2, 15);
    expect(m3.map).toBeCloseTo(((1 + 1) / 3 + (1 / 2 + 2 / 3) / 3) / 2, 15);
  });

  test('MRR: list [1,2,3,4,5], true item 3 → 1/3', () => {
    expect(reciprocalRank([1, 2, 3, 4, 5], [3])).toBeCloseTo(1 / 3, 15);
    expect(reciprocalRank([1, 2, 3, 4, 5], [3], 5)).toBeCloseTo(1 / 3, 15);
    expect(reciprocalRank([1, 2, 3, 4, 5], [3], 2)).toBe(0); // cut off before the hit
    expect(reciprocalRank([1, 2, 3, 4, 5], ['3'])).toBe(0); // '3' is not 3
    expect(rankingMetrics([[1, 2, 3, 4, 5]], [[3]], { k: 5 }).mrr).toBeCloseTo(1 / 3, 15);
  });
});

describe('hand-worked examples', () => {
  // hits at ranks 1 and 3 of 4; |T| = 3 (c is never recommended)
  const list = ['a', 'x', 'b', 'y'];
  const relevant = ['a', 'b', 'c'];

  test('precision and recall at several k, including k beyond the list', () => {
    expect(precisionAtK(list, relevant, 4)).toBe(2 / 4);
    expect(recallAtK(list, relevant, 4)).toBe(2 / 3);
    expect(precisionAtK(list, relevant, 2)).toBe(1 / 2);
    expect(recallAtK(list, relevant, 2)).toBe(1 / 3);
    expect(precisionAtK(list, relevant, 10)).toBe(2 / 10); // P@N divides by N even for short lists
    expect(recallAtK(list, relevant, 10)).toBe(2 / 3);
    expect(precisionAtK(list, relevant)).toBe(2 / 4); // no k: the list length
    expect(precisionAtK([], relevant)).toBe(0);
  });

  test('NDCG: DCG = 1 + 1/log2(4) = 1.5, IDCG over min(|T|, k) hits', () => {
    expect(ndcgAtK(list, relevant, 4)).toBeCloseTo(1.5 / (1 + 1 / Math.log2(3) + 0.5), 15); // ≈ 0.70392
    expect(ndcgAtK(list, relevant, 4)).toBeCloseTo(0.703918, 6);
    // k = 2: one hit, ideal two hits
    expect(ndcgAtK(list, relevant, 2)).toBeCloseTo(1 / (1 + 1 / Math.log2(3)), 15);
    // k = 1: the only slot is a hit, the ideal has one hit too
    expect(ndcgAtK(list, relevant, 1)).toBe(1);
  });

  test('reciprocal rank, hit rate, AP', () => {
    expect(reciprocalRank(list, relevant)).toBe(1);
    expect(reciprocalRank(['x', 'y', 'b'], relevant)).toBeCloseTo(1 / 3, 15);
    expect(hitRate(list, relevant, 1)).toBe(1);
    expect(hitRate(['x', 'a'], relevant, 1)).toBe(0);
    expect(averagePrecision(list, relevant, 4)).toBeCloseTo((1 / 1 + 2 / 3) / 3, 15);
  });

  test('a repeated item counts once and wastes its slot', () => {
    const dup = ['a', 'a', 'b'];
    expect(precisionAtK(dup, ['a', 'b'], 2)).toBe(1 / 2);
    expect(recallAtK(dup, ['a', 'b'], 2)).toBe(1 / 2);
    expect(averagePrecision(dup, ['a', 'b'], 2)).toBe(1 / 2);
    expect(ndcgAtK(dup, ['a', 'b'], 2)).toBeCloseTo(1 / (1 + 1 / Math.log2(3)), 15);
    // at k = 3, b is found at rank 3: AP = (1/1 + 2/3) / 2
    expect(averagePrecision(dup, ['a', 'b'], 3)).toBeCloseTo((1 + 2 / 3) / 2, 15);
    expect(precisionAtK(['a', 'a', 'a'], ['a'])).toBe(1 / 3);
  });

  test('no relevant items: every per-list metric is 0', () => {
    for (const f of [reciprocalRank, precisionAtK, recallAtK, ndcgAtK, hitRate, averagePrecision]) {
      expect(f(['a', 'b'], [], 2)).toBe(0);
      expect(f([], new Set(), undefined)).toBe(0);
    }
  });

  test('typed arrays are accepted as lists and as relevant items', () => {
    expect(recallAtK(new Uint32Array([5, 7, 9]), new Int32Array([9, 4]), 3)).toBe(1 / 2);
  });
});

describe('rankingMetrics', () => {
  // u1 = q1, u2 = q2, u3 has truth but no list, u4 has a list but no truth
  const truth = new Map<string, Item[] | Set<Item>>([
    ['u1', Q1.relevant],
    ['u2', Q2.relevant],
    ['u3', ['q']],
    ['u0', []],
  ]);
  const lists = new Map<string, Item[]>([
    ['u4', ['w']],
    ['u2', Q2.list],
    ['u1', Q1.list],
  ]);

  test('hand-worked averages over three users at k = 7', () => {
    const m = rankingMetrics(lists, truth, { k: 7, catalogSize: 10 });
    expect(m.users).toBe(3);
    expect(m.precision).toBeCloseTo((4 / 7 + 3 / 7 + 0) / 3, 15);
    expect(m.recall).toBeCloseTo((1 + 3 / 5 + 0) / 3, 15);
    expect(m.mapSeed).toBeCloseTo((AP1 + AP2) / 3, 15);
    expect(m.map).toBeCloseTo((AP1 + AP2) / 3, 15);
    expect(m.mrr).toBeCloseTo((1 + 1 / 2) / 3, 15);
    expect(m.hitRate).toBeCloseTo(2 / 3, 15);
    const ndcg1 = (inv(1) + inv(2) + inv(5) + inv(7)) / (inv(1) + inv(2) + inv(3) + inv(4));
    const ndcg2 = (inv(2) + inv(3) + inv(6)) / (inv(1) + inv(2) + inv(3) + inv(4) + inv(5));
    expect(m.ndcg).toBeCloseTo((ndcg1 + ndcg2) / 3, 15);
    // a b x y c z d from u1 (u2 adds none); u4's w is not evaluated
    expect(m.coverage).toBeCloseTo(7 / 10, 15);
  });

  test('coverage counts only the first k positions and is undefined without catalogSize', () => {
    expect(rankingMetrics(lists, truth, { k: 2, catalogSize: 10 }).coverage).toBeCloseTo(3 / 10, 15); // a b x
    expect(rankingMetrics(lists, truth, { k: 2 }).coverage).toBeUndefined();
  });

  test('arrays indexed by user, holes and undefined entries', () => {
    const m = rankingMetrics([Q1.list, undefined, ['q']], [Q1.relevant, ['z'], undefined, ['a']], { k: 7 });
    expect(m.users).toBe(3); // users 0, 1, 3
    expect(m.mapSeed).toBeCloseTo(AP1 / 3, 15);
    // a Map of lists against an array of truth: keys are the indices
    expect(rankingMetrics(new Map([[0, Q1.list]]), [Q1.relevant], { k: 7 }).mapSeed).toBeCloseTo(AP1, 15);
  });
});

// ---- properties against reference implementations -------------------------------------------

/** Hit flags of the first k positions: relevant and the item's first occurrence in the list. */
function hitFlags(list: Item[], relevant: Item[], k: number): boolean[] {
  const flags: boolean[] = [];
  for (let i = 0; i < list.length && i < k; i++) flags.push(relevant.includes(list[i]) && list.indexOf(list[i]) === i);
  return flags;
}

function distinct(items: Item[]): number {
  return items.filter((x, i) => items.indexOf(x) === i).length;
}

function reference(list: Item[], relevant: Item[], k: number) {
  const flags = hitFlags(list, relevant, k);
  const t = distinct(relevant);
  const hits = flags.filter(Boolean).length;
  if (t === 0) return { precision: 0, recall: 0, apSeed: 0, apMin: 0, rr: 0, ndcg: 0, hit: 0 };
  let apSum = 0;
  flags.forEach((h, i) => {
    if (h) apSum += flags.slice(0, i + 1).filter(Boolean).length / (i + 1);
  });
  let dcg = 0;
  for (let i = 0; i < flags.length; i++) dcg += (flags[i] ? 1 : 0) * (Math.LN2 / Math.log(i + 2));
  let idcg = 0;
  for (let i = 0; i < Math.min(t, k); i++) idcg += Math.LN2 / Math.log(i + 2);
  const first = flags.indexOf(true);
  return {
    precision: hits / k,
    recall: hits / t,
    apSeed: apSum / t,
    apMin: apSum / Math.min(t, k),
    rr: first < 0 ? 0 : 1 / (first + 1),
    ndcg: dcg / idcg,
    hit: hits > 0 ? 1 : 0,
  };
}

// small alphabet with 1 and '1' both present, so repeats and near-collisions are common
const item = fc.oneof(fc.integer({ min: 0, max: 9 }), fc.constantFrom<Item>('a', 'b', '1'));
const list = fc.array(item, { maxLength: 14 });
const relevant = fc.array(item, { maxLength: 8 });
const cut = fc.integer({ min: 1, max: 18 });

describe('properties', () => {
  test('per-list metrics equal the reference (duplicates, k beyond the list, empty lists)', () => {
    fc.assert(
      fc.property(list, relevant, cut, (l, r, k) => {
        const ref = reference(l, r, k);
        expect(precisionAtK(l, r, k)).toBeCloseTo(ref.precision, 12);
        expect(recallAtK(l, r, k)).toBeCloseTo(ref.recall, 12);
        expect(averagePrecision(l, r, k)).toBeCloseTo(ref.apSeed, 12);
        expect(averagePrecision(l, new Set(r), k, { normalize: 'min' })).toBeCloseTo(ref.apMin, 12);
        expect(reciprocalRank(l, r, k)).toBeCloseTo(ref.rr, 12);
        expect(ndcgAtK(l, r, k)).toBeCloseTo(ref.ndcg, 12);
        expect(hitRate(l, r, k)).toBe(ref.hit);
        // no k: the whole list
        const whole = reference(l, r, Math.max(l.length, 1));
        expect(recallAtK(l, r)).toBeCloseTo(whole.recall, 12);
        expect(averagePrecision(l, r)).toBeCloseTo(whole.apSeed, 12);
        expect(precisionAtK(l, r)).toBeCloseTo(l.length === 0 ? 0 : whole.precision, 12);
      }),
      { numRuns: 500 },
    );
  });

  test('every metric lies in [0, 1]; recall and hit rate never fall as k grows', () => {
    fc.assert(
      fc.property(list, relevant, cut, (l, r, k) => {
        const values = [
          precisionAtK(l, r, k), recallAtK(l, r, k), averagePrecision(l, r, k),
          averagePrecision(l, r, k, { normalize: 'min' }), reciprocalRank(l, r, k), ndcgAtK(l, r, k), hitRate(l, r, k),
        ];
        for (const v of values) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1);
        }
        expect(recallAtK(l, r, k + 1)).toBeGreaterThanOrEqual(recallAtK(l, r, k));
        expect(hitRate(l, r, k + 1)).toBeGreaterThanOrEqual(hitRate(l, r, k));
        // min-normalised AP is never below the seed's
        expect(averagePrecision(l, r, k, { normalize: 'min' })).toBeGreaterThanOrEqual(averagePrecision(l, r, k));
      }),
      { numRuns: 300 },
    );
  });

  test('a list of only relevant items scores 1 on NDCG, RR, hit rate and min-normalised AP', () => {
    fc.assert(
      fc.property(fc.uniqueArray(item, { minLength: 1, maxLength: 10 }), cut, (r, k) => {
        const l = [...r].reverse();
        expect(ndcgAtK(l, r, k)).toBe(1);
        expect(reciprocalRank(l, r, k)).toBe(1);
        expect(hitRate(l, r, k)).toBe(1);
        expect(averagePrecision(l, r, k, { normalize: 'min' })).toBeCloseTo(1, 14);
        expect(precisionAtK(l, r, k)).toBe(Math.min(k, r.length) / k);
        expect(recallAtK(l, r, k)).toBe(Math.min(k, r.length) / r.length);
      }),
      { numRuns: 200 },
    );
  });

  test('rankingMetrics is the mean of the references over users with truth', () => {
    const user = fc.record({ list: fc.option(list, { nil: undefined }), truth: fc.option(relevant, { nil: undefined }) });
    fc.assert(
      fc.property(fc.array(user, { minLength: 1, maxLength: 8 }), cut, (users, k) => {
        const evaluated = users.filter((u) => u.truth !== undefined && distinct(u.truth) > 0);
        const lists = users.map((u) => u.list);
        const truth = users.map((u) => u.truth);
        const withLists = users.filter((u) => u.list !== undefined).length;
        const matched = evaluated.filter((u) => u.list !== undefined).length;
        if (evaluated.length === 0 || (matched === 0 && withLists > 0)) {
          expect(() => rankingMetrics(lists, truth, { k })).toThrow(GroveDataError);
          return;
        }
        const refs = evaluated.map((u) => reference(u.list ?? [], u.truth!, k));
        const mean = (f: (r: ReturnType<typeof reference>) => number) => refs.reduce((s, r) => s + f(r), 0) / refs.length;
        const seen = new Set(evaluated.flatMap((u) => (u.list ?? []).slice(0, k)));
        const m = rankingMetrics(lists, truth, { k, catalogSize: 20 });
        expect(m.users).toBe(evaluated.length);
        expect(m.precision).toBeCloseTo(mean((r) => r.precision), 12);
        expect(m.recall).toBeCloseTo(mean((r) => r.recall), 12);
        expect(m.map).toBeCloseTo(mean((r) => r.apMin), 12);
        expect(m.mapSeed).toBeCloseTo(mean((r) => r.apSeed), 12);
        expect(m.mrr).toBeCloseTo(mean((r) => r.rr), 12);
        expect(m.ndcg).toBeCloseTo(mean((r) => r.ndcg), 12);
        expect(m.hitRate).toBeCloseTo(mean((r) => r.hit), 12);
        expect(m.coverage).toBeCloseTo(seen.size / 20, 12);
      }),
      { numRuns: 300 },
    );
  });
});

describe('validation', () => {
  test('k must be a positive integer', () => {
    for (const k of [0, -1, 1.5, NaN, Infinity, '3']) {
      expect(() => precisionAtK(['a'], ['a'], k as number)).toThrow(GroveArgumentError);
      expect(() => ndcgAtK(['a'], ['a'], k as number)).toThrow(/ndcgAtK: k must be a positive integer/);
      expect(() => rankingMetrics([['a']], [['a']], { k: k as number })).toThrow(/rankingMetrics: options.k must be a positive integer/);
    }
    expect(() => rankingMetrics([['a']], [['a']], {} as { k: number })).toThrow(/options.k is required/);
    expect(() => rankingMetrics([['a']], [['a']], undefined as unknown as { k: number })).toThrow(GroveArgumentError);
  });

  test('lists must be arrays of item ids', () => {
    for (const bad of ['abc', null, undefined, 5, new Set(['a']), { 0: 'a', length: 1 }]) {
      expect(() => recallAtK(bad as unknown as Item[], ['a'], 1)).toThrow(/recallAtK: list must be an array of item ids/);
    }
    expect(() => recallAtK([1, {} as Item], [1], 1)).toThrow(/item ids must be strings or numbers; element 1 is an object/);
    expect(() => recallAtK([1, NaN], [1], 1)).toThrow(GroveArgumentError);
    expect(() => rankingMetrics([['a', null as unknown as Item]], [['a']], { k: 1 })).toThrow(/list for user 0/);
  });

  test('relevant items must be a Set or an array of item ids', () => {
    expect(() => hitRate(['a'], 'a' as unknown as Item[])).toThrow(/hitRate: relevant must be a Set or an array/);
    expect(() => hitRate(['a'], new Set([undefined as unknown as Item]))).toThrow(/element 0 is undefined/);
    expect(() => rankingMetrics(new Map([['u', ['a']]]), new Map([['u', 7 as unknown as Item[]]]), { k: 1 })).toThrow(/truth for user 'u'/);
  });

  test('options are checked', () => {
    expect(() => averagePrecision(['a'], ['a'], 1, { normalize: 'max' as 'min' })).toThrow(/normalize must be 'relevant' or 'min'/);
    expect(() => averagePrecision(['a'], ['a'], 1, { normalise: 'min' } as object)).toThrow(/unknown option 'normalise'/);
    expect(() => rankingMetrics([['a']], [['a']], { k: 1, nItems: 5 } as { k: number })).toThrow(/unknown option 'nItems'/);
    for (const c of [0, 2.5, -3, '10']) {
      expect(() => rankingMetrics([['a']], [['a']], { k: 1, catalogSize: c as number })).toThrow(/catalogSize must be a positive integer/);
    }
    expect(() => rankingMetrics([['a', 'b', 'c']], [['a']], { k: 3, catalogSize: 2 })).toThrow(GroveDataError);
  });

  test('by-user inputs: Map or array; nothing to average or mismatched keys is an error', () => {
    expect(() => rankingMetrics({ u: ['a'] } as unknown as Item[][], [['a']], { k: 1 })).toThrow(/lists must be a Map from user/);
    expect(() => rankingMetrics([['a']], new Set() as unknown as Item[][], { k: 1 })).toThrow(/truth must be a Map from user/);
    expect(() => rankingMetrics([['a']], [[], undefined], { k: 1 })).toThrow(/no user in truth has a relevant item/);
    const lists = new Map([['1', ['a']], ['2', ['b']]]);
    const truth = new Map<number, Item[]>([[1, ['a']], [2, ['b']]]);
    expect(() => rankingMetrics(lists as unknown as Map<number, Item[]>, truth, { k: 1 })).toThrow(/same type/);
  });
});
