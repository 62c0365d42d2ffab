// Item- and user-KNN: the kernels against a dense brute force (fast-check), hand-worked
// examples, and the ML-100K figures of ../shared/data/movielens/EVAL-PROTOCOL.md.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Interactions } from '../../src/cf/interactions.js';
import { ItemKnnRecommender } from '../../src/cf/item-knn.js';
import { UserKnnRecommender } from '../../src/cf/user-knn.js';
import { rankingMetrics } from '../../src/metrics/ranking.js';
import { leaveLastOut, randomHoldout } from '../../src/metrics/split.js';
import { GroveArgumentError, GroveNotFittedError } from '../../src/runtime/errors.js';
import { initSync } from '../../src/runtime/kernel.js';
import { sharedDir } from '../helpers/shared.js';

initSync({ module: readFileSync(new URL('../../build/debug.wasm', import.meta.url)) });

/** Dense reference: cosine of item columns, top k per item (ties → smaller index), f64. */
function bruteForce(data: Interactions, k: number) {
  const X = Array.from({ length: data.nUsers }, () => new Float64Array(data.nItems));
  for (let u = 0; u < data.nUsers; u++) {
    for (let p = data.indptr[u]; p < data.indptr[u + 1]; p++) X[u][data.indices[p]] = data.values[p];
  }
  const col = (i: number) => X.map((row) => row[i]);
  const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
  const top = (scores: number[], count: number, skip: (j: number) => boolean) =>
    scores
      .map((s, j) => [s, j] as const)
      .filter(([s, j]) => s > 0 && !skip(j))
      .sort((a, b) => b[0] - a[0] || a[1] - b[1])
      .slice(0, count);
  const all = Array.from({ length: data.nItems }, (_, i) =>
    Array.from({ length: data.nItems }, (_, j) => dot(col(i), col(j)) / Math.sqrt(dot(col(i), col(i)) * dot(col(j), col(j)))),
  );
  const sims = all.map((row, i) => top(row, k, (j) => j === i));
  return { all, sims };
}

/** Every user's list has the reference's length, and each score is the reference's for its item. */
function expectRecommendations(
  model: ItemKnnRecommender | UserKnnRecommender,
  data: Interactions,
  reference: { scores: number[][]; recs: Array<Array<readonly [number, number]>> },
  n: number,
): void {
  model.recommendAll(n).forEach((list, u) => {
    expect(list.length).toBe(reference.recs[u].length);
    list.forEach((r, i) => {
      expect(r.score).toBeCloseTo(reference.scores[u][data.itemIndex(r.item)], 4);
      expect(r.score).toBeCloseTo(reference.recs[u][i][0], 4);
    });
  });
}

/** Each user's n best positive scores among unseen items (ties → smaller index). */
function topUnseen(data: Interactions, scores: number[][], n: number) {
  return scores.map((s, u) => {
    const seen = new Set(data.indices.subarray(data.indptr[u], data.indptr[u + 1]));
    return s
      .map((v, j) => [v, j] as const)
      .filter(([v, j]) => v > 0 && !seen.has(j))
      .sort((a, b) => b[0] - a[0] || a[1] - b[1])
      .slice(0, n);
  });
}

/** Reference scoring R(u, s) = Σ_t x_ut · S[t, s] from given neighbour lists, top n unseen. */
function scoreAll(data: Interactions, sims: ReadonlyArray<ReadonlyArray<readonly [number, number]>>, n: number) {
  const scores = Array.from({ length: data.nUsers }, (_, u) => {
    const s = new Array(data.nItems).fill(0);
    for (let p = data.indptr[u]; p < data.indptr[u + 1]; p++) for (const [v, j] of sims[data.indices[p]]) s[j] += data.values[p] * v;
    return s;
  });
  return { scores, recs: topUnseen(data, scores, n) };
}

describe('ItemKnnRecommender', () => {
  it('hand-worked: 3 users × 3 items', () => {
    // u1: a=1 b=1; u2: a=1 c=1; u3: b=1 c=1 → every pair of items shares one user of two:
    // cos = 1/(√2·√2) = 0.5; u1's only unseen item c scores x_ua·S[a,c] + x_ub·S[b,c] = 1.
    const data = Interactions.fromColumns({ users: [1, 1, 2, 2, 3, 3], items: ['a', 'b', 'a', 'c', 'b', 'c'], scores: [1, 1, 1, 1, 1, 1] });
    const model = new ItemKnnRecommender({ k: 2 }).fit(data);
    const similar = model.similarItems('a');
    expect(similar.map((r) => r.item)).toEqual(['b', 'c']); // a tie: the earlier item first
    similar.forEach((r) => expect(r.score).toBeCloseTo(0.5, 6));
    const recs = model.recommend(1);
    expect(recs.map((r) => r.item)).toEqual(['c']);
    expect(recs[0].score).toBeCloseTo(1, 6);
  });

  it('kernels equal the dense brute force on random sparse ratings', () => {
    const ratings = fc.array(fc.tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 5 })), { minLength: 1, maxLength: 50 });
    fc.assert(
      fc.property(ratings, fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 }), (rows, k, n) => {
        const data = Interactions.fromColumns({ users: rows.map((r) => r[0]), items: rows.map((r) => r[1]), scores: rows.map((r) => r[2]) });
        const model = new ItemKnnRecommender({ k }).fit(data);
        const kk = Math.min(k, Math.max(1, data.nItems - 1));
        const expected = bruteForce(data, kk);
        // f32 kernels vs f64 reference: near-equal values may swap places, so each kept entry
        // must carry the reference's value for that index, and the kept values must agree
        const sims = model.similarities;
        const cosine = (i: number, j: number) => expected.all[i][j];
        for (let i = 0; i < data.nItems; i++) {
          const want = expected.sims[i].map((e) => e[0]);
          expect(sims.length[i]).toBe(want.length);
          for (let r = 0; r < sims.length[i]; r++) {
            expect(sims.value[i * kk + r]).toBeCloseTo(cosine(i, sims.index[i * kk + r]), 5);
            expect(sims.value[i * kk + r]).toBeCloseTo(want[r], 5);
          }
        }
        // scoring, checked against the kept neighbours the model chose (ties at the K-th place
        // may keep a different but equally similar item than the reference)
        const kept = Array.from({ length: data.nItems }, (_, t) =>
          Array.from({ length: sims.length[t] }, (_, r) => [sims.value[t * kk + r], sims.index[t * kk + r]] as const),
        );
        expectRecommendations(model, data, scoreAll(data, kept, n), n);
      }),
      { numRuns: 150 },
    );
  });

  it('validates options, unknown ids and use before fit', () => {
    expect(() => new ItemKnnRecommender({ k: 0 })).toThrow(GroveArgumentError);
    expect(() => new ItemKnnRecommender({ kk: 3 } as never)).toThrow(/unknown option "kk"/);
    expect(() => new ItemKnnRecommender().recommend(1)).toThrow(GroveNotFittedError);
    const model = new ItemKnnRecommender().fit(Interactions.fromColumns({ users: [1, 2], items: [1, 1], scores: [1, 1] }));
    expect(() => model.recommend(99)).toThrow(/unknown user 99/);
    expect(() => model.recommendAll(0)).toThrow(/n must be an integer/);
  });
});

/** Dense reference for users: cosine of user rows, top k per user, and scores from kept lists. */
function userReference(data: Interactions, kept: ReadonlyArray<ReadonlyArray<readonly [number, number]>>, n: number) {
  const scores = Array.from({ length: data.nUsers }, (_, u) => {
    const s = new Array(data.nItems).fill(0);
    for (const [w, v] of kept[u]) for (let p = data.indptr[v]; p < data.indptr[v + 1]; p++) s[data.indices[p]] += w * data.values[p];
    return s;
  });
  return { scores, recs: topUnseen(data, scores, n) };
}

describe('UserKnnRecommender', () => {
  it('hand-worked: 3 users × 3 items', () => {
    // u1 = (a 2, b 1), u2 = (a 1), u3 = (b 1, c 1): cos(u1,u2) = 2/√5, cos(u1,u3) = 1/(√5·√2),
    // cos(u2,u3) = 0. With k = 1, u2's neighbour is u1, whose unseen item for u2 is b: score 2/√5.
    const data = Interactions.fromColumns({ users: [1, 1, 2, 3, 3], items: ['a', 'b', 'a', 'b', 'c'], scores: [2, 1, 1, 1, 1] });
    const model = new UserKnnRecommender({ k: 1 }).fit(data);
    const near = model.similarUsers(1);
    expect(near.map((r) => r.user)).toEqual([2]);
    expect(near[0].score).toBeCloseTo(2 / Math.sqrt(5), 6);
    const recs = model.recommend(2);
    expect(recs.map((r) => r.item)).toEqual(['b']);
    expect(recs[0].score).toBeCloseTo(2 / Math.sqrt(5), 6);
  });

  it('kernels equal the dense brute force on random sparse ratings', () => {
    const ratings = fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 7 }), fc.integer({ min: 1, max: 5 })), { minLength: 1, maxLength: 50 });
    fc.assert(
      fc.property(ratings, fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 }), (rows, k, n) => {
        const data = Interactions.fromColumns({ users: rows.map((r) => r[0]), items: rows.map((r) => r[1]), scores: rows.map((r) => r[2]) });
        const model = new UserKnnRecommender({ k }).fit(data);
        const kk = Math.min(k, Math.max(1, data.nUsers - 1));
        const X = Array.from({ length: data.nUsers }, (_, u) => {
          const row = new Float64Array(data.nItems);
          for (let p = data.indptr[u]; p < data.indptr[u + 1]; p++) row[data.indices[p]] = data.values[p];
          return row;
        });
        const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, v, i) => s + v * b[i], 0);
        const cos = (u: number, v: number) => dot(X[u], X[v]) / Math.sqrt(dot(X[u], X[u]) * dot(X[v], X[v]));
        const sims = model.similarities;
        const kept = Array.from({ length: data.nUsers }, (_, u) => {
          const want = Array.from({ length: data.nUsers }, (_, v) => cos(u, v)).filter((c, v) => v !== u && c > 0).sort((a, b) => b - a).slice(0, kk);
          expect(sims.length[u]).toBe(want.length);
          return Array.from({ length: sims.length[u] }, (_, r) => {
            const [v, w] = [sims.index[u * kk + r], sims.value[u * kk + r]];
            expect(w).toBeCloseTo(cos(u, v), 5);
            expect(w).toBeCloseTo(want[r], 5);
            return [w, v] as const;
          });
        });
        expectRecommendations(model, data, userReference(data, kept, n), n);
      }),
      { numRuns: 150 },
    );
  });
});

const movielens = sharedDir('data/movielens/ml-100k');

// EVAL-PROTOCOL.md, ML-100K: P@10 R@10 MAP@10 MRR@10 NDCG@10 HR@10 coverage
const REFERENCE: Array<[string, 'item' | 'user', number, number[]]> = [
  ['random', 'item', 20, [0.3108, 0.1989, 0.2354, 0.6117, 0.3697, 0.9014, 0.1342]],
  ['random', 'item', 50, [0.2943, 0.1904, 0.2244, 0.6078, 0.3569, 0.8844, 0.1148]],
  ['random', 'item', 100, [0.2894, 0.1859, 0.2228, 0.6047, 0.353, 0.8759, 0.1135]],
  ['random', 'user', 50, [0.3279, 0.2149, 0.2523, 0.6418, 0.3924, 0.9173, 0.1451]],
  ['loo', 'item', 20, [0.0066, 0.0657, 0.0211, 0.0211, 0.0314, 0.0657, 0.1441]],
  ['loo', 'user', 50, [0.007, 0.07, 0.0203, 0.0203, 0.0316, 0.07, 0.1924]],
];

describe.skipIf(!movielens.present)(`ML-100K KNN figures equal EVAL-PROTOCOL's${movielens.skipReason}`, () => {
  const cols = readFileSync(`${movielens.path}/u.data`, 'utf8').trim().split('\n').map((l) => l.split('\t').map(Number));
  const rows = { users: cols.map((c) => c[0]), items: cols.map((c) => c[1]), times: cols.map((c) => c[3]) };
  const splits = { random: randomHoldout(rows, { seed: 42 }), loo: leaveLastOut(rows) };

  it.each(REFERENCE)('%s split, %s-KNN K = %i: every metric within 1% (relative)', (split, kind, k, expected) => {
    const test = splits[split as keyof typeof splits];
    const train = cols.filter((_, r) => !test[r]);
    const data = Interactions.fromColumns({ users: train.map((c) => c[0]), items: train.map((c) => c[1]), scores: train.map((c) => c[2]) });
    const truth = new Map<number, number[]>();
    cols.forEach((c, r) => test[r] && truth.set(c[0], [...(truth.get(c[0]) ?? []), c[1]]));
    const users = [...truth.keys()];
    const model = kind === 'item' ? new ItemKnnRecommender({ k }) : new UserKnnRecommender({ k });
    const recs = model.fit(data).recommendAll(10, users.map((u) => data.userIndex(u)));
    const m = rankingMetrics(new Map(users.map((u, i) => [u, recs[i].map((r) => r.item as number)])), truth, { k: 10, catalogSize: data.nItems });
    const got = [m.precision, m.recall, m.map, m.mrr, m.ndcg, m.hitRate, m.coverage!];
    got.forEach((g, i) => expect(Math.abs(g - expected[i]) / expected[i]).toBeLessThan(0.01));
  });
});
