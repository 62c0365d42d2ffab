// KNN beyond plain cosine: the other similarities and shrinkage against a dense brute force,
// recommend options, explain, foldIn, and the fitted state surviving dispose and a new instance.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Interactions } from '../../src/cf/interactions.js';
import { ItemKnnRecommender } from '../../src/cf/item-knn.js';
import type { Similarity } from '../../src/cf/knn.js';
import { UserKnnRecommender } from '../../src/cf/user-knn.js';
import { GroveArgumentError, GroveDataError } from '../../src/runtime/errors.js';
import { initSync } from '../../src/runtime/kernel.js';

const wasm = readFileSync(new URL('../../build/debug.wasm', import.meta.url));
initSync({ module: wasm });

type Dense = Array<Array<number | undefined>>;

/** rows × columns, undefined where no entry is stored. */
function dense(data: Interactions, orientation: 'item' | 'user'): Dense {
  const m: Dense = orientation === 'user'
    ? Array.from({ length: data.nUsers }, () => new Array(data.nItems).fill(undefined))
    : Array.from({ length: data.nItems }, () => new Array(data.nUsers).fill(undefined));
  for (let u = 0; u < data.nUsers; u++) {
    for (let p = data.indptr[u]; p < data.indptr[u + 1]; p++) {
      if (orientation === 'user') m[u][data.indices[p]] = data.values[p];
      else m[data.indices[p]][u] = data.values[p];
    }
  }
  return m;
}

const mean = (xs: Array<number | undefined>) => {
  const got = xs.filter((x): x is number => x !== undefined);
  return got.length ? got.reduce((a, b) => a + b, 0) / got.length : 0;
};

/** The definitions of knn.ts in f64, straight from the dense matrix. */
function referenceSimilarity(m: Dense, kind: Similarity, shrinkage: number): number[][] {
  const nCols = m[0]?.length ?? 0;
  const rowMean = m.map(mean);
  const colMean = Array.from({ length: nCols }, (_, c) => mean(m.map((row) => row[c])));
  const vec = m.map((row, r) =>
    row.map((x, c) => {
      if (x === undefined) return 0;
      if (kind === 'jaccard') return 1;
      if (kind === 'pearson') return x - rowMean[r];
      if (kind === 'adjustedCosine') return x - colMean[c];
      return x;
    }),
  );
  const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
  return m.map((a, i) =>
    m.map((b, j) => {
      const co = a.filter((x, c) => x !== undefined && b[c] !== undefined).length;
      let sim: number;
      if (kind === 'jaccard') {
        const union = a.filter((x, c) => x !== undefined || b[c] !== undefined).length;
        sim = union ? co / union : 0;
      } else {
        const norm = Math.sqrt(dot(vec[i], vec[i]) * dot(vec[j], vec[j]));
        sim = norm > 0 ? dot(vec[i], vec[j]) / norm : 0;
      }
      return shrinkage > 0 ? (sim * co) / (co + shrinkage) : sim;
    }),
  );
}

const ratings = fc.array(fc.tuple(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 5 })), { minLength: 1, maxLength: 60 });
const kinds = fc.constantFrom<Similarity>('cosine', 'adjustedCosine', 'pearson', 'jaccard');
const fromRows = (rows: Array<[number, number, number]>) =>
  Interactions.fromColumns({ users: rows.map((r) => r[0]), items: rows.map((r) => r[1]), scores: rows.map((r) => r[2]) });

describe('similarities', () => {
  it('hand-worked: jaccard and shrinkage', () => {
    // users 1 {a,b}, 2 {a,c}, 3 {a,b,c}: J(a,b) = |{1,3}| / |{1,2,3}| = 2/3, J(b,c) = 1/3
    const data = Interactions.fromColumns({ users: [1, 1, 2, 2, 3, 3, 3], items: ['a', 'b', 'a', 'c', 'a', 'b', 'c'], scores: [5, 1, 5, 1, 5, 1, 1] });
    const jaccard = new ItemKnnRecommender({ similarity: 'jaccard' }).fit(data);
    expect(jaccard.similarItems('b').map((r) => [r.item, +r.score.toFixed(6)])).toEqual([['a', +(2 / 3).toFixed(6)], ['c', +(1 / 3).toFixed(6)]]);
    // binary-looking cosine of b and c: x_b = (1, 0, 1), x_c = (0, 1, 1) over users → 1/2;
    // co-count 1, shrinkage 3 → 1/2 · 1/(1 + 3) = 1/8
    const shrunk = new ItemKnnRecommender({ shrinkage: 3 }).fit(data);
    expect(shrunk.similarItems('b').find((r) => r.item === 'c')!.score).toBeCloseTo(1 / 8, 6);
  });

  it('hand-worked: pearson keeps only positive correlations', () => {
    // a: u1 5, u2 1 (mean 3 → +2, −2); b: u1 4, u2 2, u3 3 (mean 3 → +1, −1, 0);
    // c: u1 1, u3 5 (mean 3 → −2, +2). pearson(a,b) = (2·1 + 2·1)/(√8·√2) = 1,
    // pearson(a,c) = −4/8, pearson(b,c) = −2/(√2·√8) = −1/2: c has no neighbours.
    const data = Interactions.fromColumns({ users: [1, 2, 1, 2, 3, 1, 3], items: ['a', 'a', 'b', 'b', 'b', 'c', 'c'], scores: [5, 1, 4, 2, 3, 1, 5] });
    const model = new ItemKnnRecommender({ similarity: 'pearson' }).fit(data);
    expect(model.similarItems('a').map((r) => r.item)).toEqual(['b']);
    expect(model.similarItems('a')[0].score).toBeCloseTo(1, 6);
    expect(model.similarItems('c')).toEqual([]);
  });

  it.each(['item', 'user'] as const)('%s-KNN: every kind and shrinkage equal the dense brute force', (orientation) => {
    fc.assert(
      fc.property(ratings, kinds, fc.constantFrom(0, 0.5, 4), fc.integer({ min: 1, max: 5 }), (rows, kind, shrinkage, k) => {
        const data = fromRows(rows);
        const options = { k, similarity: kind, shrinkage };
        const model = orientation === 'item' ? new ItemKnnRecommender(options).fit(data) : new UserKnnRecommender(options).fit(data);
        const ref = referenceSimilarity(dense(data, orientation), kind, shrinkage);
        const { index, value, length, k: kk } = model.similarities;
        ref.forEach((row, r) => {
          const want = row.filter((v, j) => j !== r && v > 1e-4).sort((a, b) => b - a).slice(0, kk);
          const got = Array.from({ length: length[r] }, (_, i) => {
            expect(value[r * kk + i]).toBeCloseTo(row[index[r * kk + i]], 4);
            expect(index[r * kk + i]).not.toBe(r);
            return value[r * kk + i];
          });
          const kept = got.filter((v) => v > 1e-4); // f32 centring may keep a near-zero extra
          expect(kept.length).toBe(want.length);
          kept.forEach((v, i) => expect(v).toBeCloseTo(want[i], 4));
        });
      }),
      { numRuns: 120 },
    );
  });

  it('rejects unknown kinds and bad shrinkage', () => {
    expect(() => new ItemKnnRecommender({ similarity: 'dice' as Similarity })).toThrow(/similarity must be one of cosine, adjustedCosine, pearson, jaccard. Got dice/);
    expect(() => new UserKnnRecommender({ shrinkage: -1 })).toThrow(/shrinkage must be a finite number ≥ 0. Got -1/);
    expect(() => new UserKnnRecommender({ shrinkage: NaN })).toThrow(GroveArgumentError);
  });
});

describe('recommend options and explain', () => {
  it.each(['item', 'user'] as const)('%s-KNN: candidates, filterItems and excludeSeen act as filters on the full ranking', (orientation) => {
    fc.assert(
      fc.property(ratings, fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: 0, max: 9 })), fc.array(fc.integer({ min: 0, max: 9 })), (rows, n, cand, filter) => {
        const data = fromRows(rows);
        const model = orientation === 'item' ? new ItemKnnRecommender({ k: 3 }).fit(data) : new UserKnnRecommender({ k: 3 }).fit(data);
        for (let u = 0; u < data.nUsers; u++) {
          const user = data.userId(u);
          const seen = new Set(Array.from(data.indices.subarray(data.indptr[u], data.indptr[u + 1]), (i) => data.itemId(i)));
          const everything = model.recommend(user, data.nItems, { excludeSeen: false });
          const unseen = model.recommend(user, data.nItems);
          expect(unseen).toEqual(everything.filter((r) => !seen.has(r.item)));
          const picked = model.recommend(user, n, { candidates: cand, filterItems: filter });
          expect(picked).toEqual(unseen.filter((r) => cand.includes(r.item as number) && !filter.includes(r.item as number)).slice(0, n));
          // every score is the sum explain() lists
          for (const r of everything) expect(model.explain(user, r.item).score).toBeCloseTo(r.score, 4);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('explain lists the neighbours behind a score (hand-worked)', () => {
    // items a, b, c; u1 a=2 b=1, u2 a=1 c=1, u3 b=1 c=1 → cos(a,b) = 2/√5·1/√2 = 2/√10,
    // cos(a,c) = 1/√10, cos(b,c) = 1/2. u1's score for c = 2·cos(a,c) + 1·cos(b,c).
    const data = Interactions.fromColumns({ users: [1, 1, 2, 2, 3, 3], items: ['a', 'b', 'a', 'c', 'b', 'c'], scores: [2, 1, 1, 1, 1, 1] });
    const model = new ItemKnnRecommender({ k: 2 }).fit(data);
    const why = model.explain(1, 'c');
    expect(why.contributions.map((c) => c.neighbour)).toEqual(['a', 'b']); // 2/√10 ≈ 0.632 > 0.5
    expect(why.contributions[0].similarity).toBeCloseTo(1 / Math.sqrt(10), 6);
    expect(why.contributions[0].value).toBe(2);
    expect(why.score).toBeCloseTo(2 / Math.sqrt(10) + 0.5, 6);
    expect(model.recommend(1)[0].score).toBeCloseTo(why.score, 6);
    expect(model.explain(1, 'a').contributions.map((c) => c.neighbour)).toEqual(['b']); // a seen item can be explained too
    expect(() => model.explain(1, 'zz')).toThrow(/unknown item "zz"/);
    expect(() => model.explain(9, 'a')).toThrow(/unknown user 9/);
    expect(() => model.recommend(1, 3, { bogus: 1 } as never)).toThrow(/unknown option "bogus"/);
  });
});

describe('ItemKnnRecommender.foldIn', () => {
  it('a folded-in copy of a fitted user ranks exactly as that user', () => {
    fc.assert(
      fc.property(ratings, fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 }), (rows, k, n) => {
        const data = fromRows(rows);
        const model = new ItemKnnRecommender({ k }).fit(data);
        for (let u = 0; u < data.nUsers; u++) {
          const answers = Array.from(data.indices.subarray(data.indptr[u], data.indptr[u + 1]), (i, p) => ({ item: data.itemId(i), score: data.values[data.indptr[u] + p] }));
          model.foldIn('new', answers.reverse());
          expect(model.recommend('new', n)).toEqual(model.recommend(data.userId(u), n));
          model.fit(data); // forget the fold-in
        }
      }),
      { numRuns: 80 },
    );
  });

  it('merges answers by the higher score, creates new users, checks its input', () => {
    const data = Interactions.fromColumns({ users: [1, 1, 2, 2, 3, 3], items: ['a', 'b', 'a', 'c', 'b', 'c'], scores: [2, 1, 1, 1, 1, 1] });
    const model = new ItemKnnRecommender({ k: 2 }).fit(data);
    expect(() => model.recommend('alice')).toThrow(/unknown user "alice"/);
    model.foldIn('alice', [{ item: 'a', score: 1 }]).foldIn('alice', [{ item: 'a', score: 3 }, { item: 'a', score: 2 }]);
    // history a = 3 → b scores 3·cos(a,b), c 3·cos(a,c)
    const recs = model.recommend('alice');
    expect(recs.map((r) => r.item)).toEqual(['b', 'c']);
    expect(recs[0].score).toBeCloseTo(6 / Math.sqrt(10), 5);
    expect(model.explain('alice', 'b').score).toBeCloseTo(6 / Math.sqrt(10), 5);
    model.foldIn(1, [{ item: 'c', score: 4 }]); // user 1 has seen c now
    expect(model.recommend(1)).toEqual([]);
    expect(() => model.foldIn('bob', [{ item: 'zz', score: 1 }])).toThrow(/answer 0 names unknown item "zz"/);
    expect(() => model.foldIn('bob', [{ item: 'a', score: NaN }])).toThrow(GroveDataError);
  });
});

describe('fitted state in kernel memory', () => {
  it('survives dispose() and a new kernel instance', () => {
    const data = fromRows([[1, 1, 5], [1, 2, 3], [2, 1, 4], [2, 3, 2], [3, 2, 1], [3, 3, 5], [4, 1, 2]]);
    for (const model of [new ItemKnnRecommender({ k: 2 }).fit(data), new UserKnnRecommender({ k: 2 }).fit(data)]) {
      const before = model.recommendAll(3);
      model.dispose();
      expect(model.recommendAll(3)).toEqual(before);
      initSync({ module: wasm }); // e.g. after a trap: the state is copied into the new instance
      expect(model.recommendAll(3)).toEqual(before);
    }
  });
});
