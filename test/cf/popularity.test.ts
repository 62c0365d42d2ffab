// PopularityRecommender: a hand-worked example, and the ML-100K "random pop" row of
// ../shared/data/movielens/EVAL-PROTOCOL.md.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Interactions } from '../../src/cf/interactions.js';
import { PopularityRecommender } from '../../src/cf/popularity.js';
import { rankingMetrics } from '../../src/metrics/ranking.js';
import { randomHoldout } from '../../src/metrics/split.js';
import { GroveArgumentError, GroveNotFittedError } from '../../src/runtime/errors.js';
import { sharedDir } from '../helpers/shared.js';

describe('PopularityRecommender', () => {
  // users per item: x 3 (u1 u2 u3), y 2 (u1 u4), z 2 (u2 u3), w 1 (u4); dense order x y z w,
  // so the y–z tie goes to y. Weights (5 on u1·x) do not count.
  const data = Interactions.fromColumns({
    users: ['u1', 'u1', 'u2', 'u2', 'u3', 'u3', 'u4', 'u4'],
    items: ['x', 'y', 'x', 'z', 'x', 'z', 'y', 'w'],
    scores: [5, 1, 1, 1, 1, 1, 1, 1],
  });
  const model = new PopularityRecommender().fit(data);

  it('counts users per item', () => {
    expect([...model.popularity]).toEqual([3, 2, 2, 1]);
  });

  it('recommends the most popular unseen items, ties by dense item index', () => {
    expect(model.recommend('u1', 10)).toEqual([{ item: 'z', score: 2 }, { item: 'w', score: 1 }]);
    expect(model.recommend('u2', 10)).toEqual([{ item: 'y', score: 2 }, { item: 'w', score: 1 }]);
    expect(model.recommend('u4', 1)).toEqual([{ item: 'x', score: 3 }]);
    expect(model.recommend('u4', 10)).toEqual([{ item: 'x', score: 3 }, { item: 'z', score: 2 }]);
    const all = model.recommendAll(1);
    expect(all.map((l) => l.map((r) => r.item))).toEqual([['z'], ['y'], ['y'], ['x']]);
    expect(model.recommendAll(2, [3, 0]).map((l) => l.map((r) => r.item))).toEqual([['x', 'z'], ['z', 'w']]);
  });

  it('rejects bad calls with clear errors', () => {
    expect(() => new PopularityRecommender().recommend('u1')).toThrow(GroveNotFittedError);
    expect(() => model.recommend('nobody')).toThrow(/unknown user "nobody"/);
    expect(() => model.recommendAll(0)).toThrow(/n must be an integer/);
    expect(() => model.recommendAll(3, [4])).toThrow(GroveArgumentError);
    expect(() => new PopularityRecommender().fit(Interactions.fromColumns({ users: [], items: [], scores: [] }))).toThrow(/empty/);
  });
});

const movielens = sharedDir('data/movielens/ml-100k');

describe.skipIf(!movielens.present)(`ML-100K random / pop equals EVAL-PROTOCOL's${movielens.skipReason}`, () => {
  it('every metric within 1% (relative)', () => {
    const cols = readFileSync(`${movielens.path}/u.data`, 'utf8').trim().split('\n').map((l) => l.split('\t').map(Number));
    const test = randomHoldout({ users: cols.map((c) => c[0]), items: cols.map((c) => c[1]) }, { seed: 42 });
    const train = cols.filter((_, r) => !test[r]);
    const data = Interactions.fromColumns({ users: train.map((c) => c[0]), items: train.map((c) => c[1]), scores: train.map((c) => c[2]) });
    const truth = new Map<number, number[]>();
    cols.forEach((c, r) => test[r] && truth.set(c[0], [...(truth.get(c[0]) ?? []), c[1]]));
    const users = [...truth.keys()];
    const recs = new PopularityRecommender().fit(data).recommendAll(10, users.map((u) => data.userIndex(u)));
    const m = rankingMetrics(new Map(users.map((u, i) => [u, recs[i].map((r) => r.item as number)])), truth, { k: 10, catalogSize: data.nItems });
    const expected = { precision: 0.1915, recall: 0.1133, map: 0.1143, mrr: 0.4154, ndcg: 0.2185, hitRate: 0.7826, coverage: 0.0346 };
    for (const [name, value] of Object.entries(expected)) {
      const got = m[name as keyof typeof expected]!;
      expect(Math.abs(got - value) / value, `${name}: ${got} vs ${value}`).toBeLessThan(0.01);
    }
  });
});
