// PopularityRecommender: hand-worked examples (global and within a time window), and the
// ML-100K "random pop" row of ../shared/data/movielens/EVAL-PROTOCOL.md.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Interactions } from '../../src/cf/interactions.js';
import { PopularityRecommender } from '../../src/cf/popularity.js';
import { rankingMetrics } from '../../src/metrics/ranking.js';
import { randomHoldout } from '../../src/metrics/split.js';
import { GroveArgumentError, GroveDataError, GroveNotFittedError } from '../../src/runtime/errors.js';
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

describe('PopularityRecommender: new users and recommend options', () => {
  const data = Interactions.fromColumns({ users: ['u1', 'u1', 'u2', 'u3'], items: ['x', 'y', 'x', 'z'], scores: [1, 1, 1, 1] });
  const model = new PopularityRecommender().fit(data);

  it('recommendNew: the most popular items, nothing left out', () => {
    expect(model.recommendNew(2)).toEqual([{ item: 'x', score: 2 }, { item: 'y', score: 1 }]);
    expect(() => model.recommendNew(0)).toThrow(/n must be an integer/);
    expect(() => new PopularityRecommender().recommendNew()).toThrow(GroveNotFittedError);
  });

  it('excludeSeen, filterItems and candidates, as for the KNN recommenders', () => {
    expect(model.recommend('u1', 3, { excludeSeen: false }).map((r) => r.item)).toEqual(['x', 'y', 'z']);
    expect(model.recommend('u3', 3, { filterItems: ['x', 'nope'] }).map((r) => r.item)).toEqual(['y']);
    expect(model.recommend('u2', 3, { candidates: ['z', 'x'] }).map((r) => r.item)).toEqual(['z']);
    expect(() => model.recommend('u2', 3, { bogus: 1 } as object)).toThrow(/unknown option "bogus"/);
  });
});

describe('PopularityRecommender with a time window', () => {
  // item  users@time                 latest time 330
  // x     u1@100  u2@110
  // y     u1@200  u4@50
  // z     u2@300  u3@310
  // w     u3@320  u4@330
  // dense item order x y z w (first appearance).
  const records = [
    { user: 'u1', item: 'x', score: 4, time: 100 },
    { user: 'u1', item: 'y', score: 4, time: 200 },
    { user: 'u2', item: 'x', score: 4, time: 110 },
    { user: 'u2', item: 'z', score: 4, time: 300 },
    { user: 'u3', item: 'z', score: 4, time: 310 },
    { user: 'u3', item: 'w', score: 4, time: 320 },
    { user: 'u4', item: 'y', score: 4, time: 50 },
    { user: 'u4', item: 'w', score: 4, time: 330 },
  ];
  const data = Interactions.fromRecords(records);
  const items = (recs: Array<{ item: unknown }>) => recs.map((r) => r.item);

  it('global by default: every item has 2 users, ties by dense index', () => {
    expect([...new PopularityRecommender().fit(data).popularity]).toEqual([2, 2, 2, 2]);
  });

  it('{ seconds: 30 }: [300, 330] counts z (300, 310) and w (320, 330); x and y are never recommended', () => {
    const model = new PopularityRecommender({ window: { seconds: 30 } }).fit(data);
    expect([...model.popularity]).toEqual([0, 0, 2, 2]);
    expect(model.recommend('u1')).toEqual([{ item: 'z', score: 2 }, { item: 'w', score: 2 }]);
    expect(model.recommend('u3')).toEqual([]); // seen both (in the window or not, seen is seen)
    expect(model.recommend('u4')).toEqual([{ item: 'z', score: 2 }]);
  });

  it('the window includes its start: { seconds: 10 } is [320, 330]', () => {
    expect([...new PopularityRecommender({ window: { seconds: 10 } }).fit(data).popularity]).toEqual([0, 0, 0, 2]);
  });

  it('{ since: 200 } counts y once (u1@200, not u4@50)', () => {
    const model = new PopularityRecommender({ window: { since: 200 } }).fit(data);
    expect([...model.popularity]).toEqual([0, 1, 2, 2]);
    expect(items(model.recommend('u2'))).toEqual(['w', 'y']);
    expect(items(model.recommendNew(3))).toEqual(['z', 'w', 'y']);
  });

  it('a repeated (user, item) keeps its latest time, so a repeat inside the window counts', () => {
    const repeated = Interactions.fromRecords([...records, { user: 'u1', item: 'x', score: 1, time: 305 }]);
    expect([...new PopularityRecommender({ window: { seconds: 30 } }).fit(repeated).popularity]).toEqual([1, 0, 2, 2]);
  });

  it('rejects windows it cannot apply, with clear errors', () => {
    const untimed = Interactions.fromColumns({ users: ['a'], items: ['x'], scores: [1] });
    expect(() => new PopularityRecommender({ window: { seconds: 5 } }).fit(untimed)).toThrow(GroveDataError);
    expect(() => new PopularityRecommender({ window: { seconds: 5 } }).fit(untimed)).toThrow(/needs interaction times/);
    expect(() => new PopularityRecommender({ window: { since: 331 } }).fit(data)).toThrow(/no interaction in the window .*latest time in the data is 330/);
    for (const window of [{ seconds: 0 }, { seconds: -1 }, { seconds: NaN }, { since: Infinity }, { seconds: 1, since: 2 }, {}, null, 5]) {
      expect(() => new PopularityRecommender({ window: window as never }), JSON.stringify(window)).toThrow(GroveArgumentError);
    }
    expect(() => new PopularityRecommender({ windw: { seconds: 1 } } as never)).toThrow(/unknown option "windw"/);
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
