// Cold start: demographic, content and hybrid recommenders and onboarding questions on tiny data
// worked out by hand, brute-force references, errors, and a quality check on ML-100K.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ContentRecommender } from '../../src/cf/content.js';
import { DemographicRecommender } from '../../src/cf/demographic.js';
import { HybridRecommender, type Recommends } from '../../src/cf/hybrid.js';
import { Interactions, type Id } from '../../src/cf/interactions.js';
import { ItemKnnRecommender } from '../../src/cf/item-knn.js';
import type { Recommendation } from '../../src/cf/knn.js';
import { pickQuestions } from '../../src/cf/onboarding.js';
import { PopularityRecommender } from '../../src/cf/popularity.js';
import { parseItemAttributes, parseUserAttributes } from '../../src/io/attributes.js';
import { rankingMetrics, type RankingMetrics } from '../../src/metrics/ranking.js';
import { randomHoldout } from '../../src/metrics/split.js';
import '../../src/runtime/init.node.js'; // item-KNN's kernel: dist/grove.wasm
import { GroveArgumentError, GroveDataError, GroveNotFittedError } from '../../src/runtime/errors.js';
import { sharedDir } from '../helpers/shared.js';

const items = (recs: Recommendation[]) => recs.map((r) => r.item);

/** Interactions from "user item score" triples, in the order given (which fixes dense indices). */
function triples(rows: Array<[Id, Id, number]>): Interactions {
  return Interactions.fromColumns({ users: rows.map((r) => r[0]), items: rows.map((r) => r[1]), scores: rows.map((r) => r[2]) });
}

describe('DemographicRecommender', () => {
  // user  gender age    items      dense items: a0 b1 c2 d3 e4 f5
  // u1    F      18-24  a b
  // u2    F      18-24  a c
  // u3    F      25-34  c d
  // u4    M      18-24  d e
  // u5    M      18-24  d
  // u6    M      25-34  e
  // u7    (none)        e f
  // Segments (minSegmentSize 2) and their counts:
  //   global (7 users)  a2 b1 c2 d3 e3 f1
  //   [F] (3)           a2 b1 c2 d1        [M] (3)        d2 e2
  //   [F,18-24] (2)     a2 b1 c1           [M,18-24] (2)  d2 e1
  //   [F,25-34] (1) and [M,25-34] (1) are too small: u3 falls back to [F], u6 to [M].
  const data = triples([
    ['u1', 'a', 5], ['u1', 'b', 1], ['u2', 'a', 3], ['u2', 'c', 4], ['u3', 'c', 2], ['u3', 'd', 5],
    ['u4', 'd', 1], ['u4', 'e', 2], ['u5', 'd', 3], ['u6', 'e', 4], ['u7', 'e', 5], ['u7', 'f', 5],
  ]);
  const users = new Map<Id, Record<string, string>>([
    ['u1', { gender: 'F', age: '18-24' }], ['u2', { gender: 'F', age: '18-24' }], ['u3', { gender: 'F', age: '25-34' }],
    ['u4', { gender: 'M', age: '18-24' }], ['u5', { gender: 'M', age: '18-24' }], ['u6', { gender: 'M', age: '25-34' }],
    ['u8', { gender: 'M', age: '18-24', occupation: 'writer' }], // only in the attributes: a new user
  ]);
  const model = new DemographicRecommender({ attributes: ['gender', 'age'], minSegmentSize: 2 }).fit(data, users);

  it('recommends the segment\'s most popular unseen items, falling back to broader segments', () => {
    expect(model.recommend('u1')).toEqual([{ item: 'c', score: 1 }]); // [F,18-24] a2 b1 c1 minus a, b
    expect(model.recommend('u2')).toEqual([{ item: 'b', score: 1 }]);
    expect(model.recommend('u3')).toEqual([{ item: 'a', score: 2 }, { item: 'b', score: 1 }]); // [F] minus c, d
    expect(model.recommend('u4')).toEqual([]); // [M,18-24] has only d and e, both seen
    expect(model.recommend('u5')).toEqual([{ item: 'e', score: 1 }]);
    expect(model.recommend('u6')).toEqual([{ item: 'd', score: 2 }]); // [M] minus e
    // no attributes: global minus e, f; d3, then the a–c tie by dense index, then b
    expect(model.recommend('u7')).toEqual([{ item: 'd', score: 3 }, { item: 'a', score: 2 }, { item: 'c', score: 2 }, { item: 'b', score: 1 }]);
    expect(model.recommendAll(1).map(items)).toEqual([['c'], ['b'], ['a'], [], ['e'], ['d'], ['d']]);
  });

  it('serves new users from attributes alone, with nothing left out as seen', () => {
    expect(model.recommend('u8')).toEqual([{ item: 'd', score: 2 }, { item: 'e', score: 1 }]);
    expect(items(model.recommendFor({ gender: 'M', age: '25-34' }))).toEqual(['d', 'e']); // [M]: the d–e tie by index
    expect(items(model.recommendFor({ gender: 'F' }))).toEqual(['a', 'c', 'b', 'd']);
    expect(items(model.recommendFor({}))).toEqual(['d', 'e', 'a', 'c', 'b', 'f']);
    expect(items(model.recommendFor({ gender: 'X', age: '18-24' }))).toEqual(['d', 'e', 'a', 'c', 'b', 'f']); // [X] is empty
    expect(items(model.recommendFor({ gender: 'F', age: '18-24' }, 2))).toEqual(['a', 'b']);
  });

  it('segmentFor names the segment used and its size', () => {
    expect(model.segmentFor({ gender: 'F', age: '25-34' })).toEqual({ attributes: { gender: 'F' }, size: 3 });
    expect(model.segmentFor({ gender: 'M', age: '18-24' })).toEqual({ attributes: { gender: 'M', age: '18-24' }, size: 2 });
    expect(model.segmentFor({ age: '18-24' })).toEqual({ attributes: {}, size: 7 }); // a missing attribute ends the prefix
  });

  it('minSegmentSize decides the fallback: at 1, u3 uses [F,25-34] (c1 d1), both seen', () => {
    const fine = new DemographicRecommender({ attributes: ['gender', 'age'], minSegmentSize: 1 }).fit(data, users);
    expect(fine.recommend('u3')).toEqual([]);
    const coarse = new DemographicRecommender({ attributes: ['gender', 'age'], minSegmentSize: 4 }).fit(data, users);
    expect(coarse.recommend('u3')).toEqual(new PopularityRecommender().fit(data).recommend('u3'));
  });

  it('rejects bad options, unknown attributes and users, with clear errors', () => {
    expect(() => new DemographicRecommender({ attributes: ['gender', 'location'] }).fit(data, users)).toThrow(GroveArgumentError);
    new DemographicRecommender({ attributes: ['gender', 'occupation'] }).fit(data, users); // u8 has an occupation
    expect(() => new DemographicRecommender({ attributes: ['gender', 'zip'] }).fit(data, users)).toThrow(/unknown attribute "zip": no user has it \(fields present: gender, age, occupation\)/);
    expect(() => model.recommendFor({ occupation: 'writer' })).toThrow(/unknown attribute "occupation" \(known: gender, age\)/);
    expect(() => model.recommendFor({ gender: 1 } as never)).toThrow(/gender must be a string/);
    expect(() => model.recommend('nobody')).toThrow(/unknown user "nobody"/);
    expect(() => model.recommend('u1', 0)).toThrow(/n must be an integer/);
    expect(() => new DemographicRecommender({ attributes: ['age'] }).fit(data, new Map([['u1', { age: 24 as never }]]))).toThrow(GroveDataError);
    expect(() => new DemographicRecommender({ attributes: ['age'] }).fit(data, {} as never)).toThrow(/users must be a Map/);
    for (const options of [{ attributes: [] }, { attributes: ['a', 'a'] }, { attributes: 'age' }, { attributes: ['age'], minSegmentSize: 0 }, { attributes: ['age'], segment: 2 }]) {
      expect(() => new DemographicRecommender(options as never), JSON.stringify(options)).toThrow(GroveArgumentError);
    }
    expect(() => new DemographicRecommender({ attributes: ['age'] }).recommend('u1')).toThrow(GroveNotFittedError);
  });
});

describe('ContentRecommender', () => {
  // genres: a Action; b Action Comedy; c Comedy; d Drama; e Comedy Drama; f none; g Horror (not
  // in the interactions). v1: a 5, c 1 → p = (Action 5, Comedy 1), ‖p‖ = √26:
  //   b (5 + 1)/(√26·√2) = 6/√52, e 1/√52, d 0 → [b, e].
  // v2: d 4 → p = (Drama 4): e 4/(4·√2) = 1/√2 → [e].
  // v3: b 2, e 2 → p = (Action 2, Comedy 4, Drama 2), ‖p‖ = √24: c 4/√24, a 2/√24, d 2/√24 → [c, a, d].
  // v4: f only, which has no genres → empty profile → [].
  const data = triples([['v1', 'a', 5], ['v1', 'c', 1], ['v2', 'd', 4], ['v3', 'b', 2], ['v3', 'e', 2], ['v4', 'f', 3]]);
  const genres = new Map<Id, string[]>([
    ['a', ['Action']], ['b', ['Action', 'Comedy']], ['c', ['Comedy']], ['d', ['Drama']], ['e', ['Comedy', 'Drama', 'Comedy']], ['g', ['Horror']],
  ]);
  const model = new ContentRecommender().fit(data, genres);
  const expectList = (got: Recommendation[], want: Array<[Id, number]>) => {
    expect(items(got)).toEqual(want.map((w) => w[0]));
    got.forEach((r, i) => expect(r.score).toBeCloseTo(want[i][1], 12));
  };

  it('profiles users by their rated items\' genres, weighted by score, matched by cosine', () => {
    expectList(model.recommend('v1'), [['b', 6 / Math.sqrt(52)], ['e', 1 / Math.sqrt(52)]]);
    expectList(model.recommend('v2'), [['e', Math.SQRT1_2]]);
    expectList(model.recommend('v3'), [['c', 4 / Math.sqrt(24)], ['a', 2 / Math.sqrt(24)], ['d', 2 / Math.sqrt(24)]]);
    expect(model.recommend('v4')).toEqual([]);
    expect(model.recommendAll(1).map(items)).toEqual([['b'], ['e'], ['c'], []]);
  });

  it('serves new users from keywords or weighted keywords', () => {
    expectList(model.recommendFor(['Comedy']), [['c', 1], ['b', Math.SQRT1_2], ['e', Math.SQRT1_2]]);
    const s5 = Math.sqrt(5);
    expectList(model.recommendFor({ Action: 2, Drama: 1 }), [['a', 2 / s5], ['b', 2 / (s5 * Math.SQRT2)], ['d', 1 / s5], ['e', 1 / (s5 * Math.SQRT2)]]);
    expect(model.recommendFor(['Horror'])).toEqual([]); // known keyword, but only item g has it, and g has no interactions
    expect(model.keywords).toEqual(['Action', 'Comedy', 'Drama', 'Horror']);
  });

  it('rejects unknown keywords, bad profiles and mismatched ids', () => {
    expect(() => model.recommendFor(['Comdy'])).toThrow(/unknown keyword "Comdy" \(known: Action, Comedy, Drama, Horror\)/);
    expect(() => model.recommendFor([])).toThrow(/non-empty/);
    expect(() => model.recommendFor({ Action: NaN })).toThrow(/finite number/);
    expect(() => model.recommend('v9')).toThrow(/unknown user "v9"/);
    const numeric = triples([[1, 1, 5]]);
    expect(() => new ContentRecommender().fit(numeric, new Map([['1', ['Action']]]))).toThrow(/same type/);
    expect(() => new ContentRecommender().fit(data, new Map([['a', 'Action' as never]]))).toThrow(GroveDataError);
    expect(() => new ContentRecommender().recommendFor(['Action'])).toThrow(GroveNotFittedError);
  });
});

describe('HybridRecommender', () => {
  /** A model that returns a fixed list and records the calls it gets. */
  const fixed = (list: Recommendation[]) => {
    const calls: Array<[Id, number]> = [];
    const model: Recommends = { recommend: (user, n) => (calls.push([user, n]), list.slice(0, n)) };
    return { model, calls };
  };
  // history lengths: h0 none (not in the data), h1 1, h3 3
  const data = triples([['h1', 'x', 1], ['h3', 'x', 1], ['h3', 'y', 1], ['h3', 'z', 1]]);

  it('switch: the rule with the largest threshold the history reaches', () => {
    const cold = fixed([{ item: 'cold', score: 1 }]);
    const warm = fixed([{ item: 'warm', score: 1 }]);
    const hot = fixed([{ item: 'hot', score: 1 }]);
    const hybrid = new HybridRecommender({ switch: [{ minHistory: 0, model: cold.model }, { minHistory: 1, model: warm.model }, { minHistory: 3, model: hot.model }] }).fit(data);
    expect(items(hybrid.recommend('h0'))).toEqual(['cold']);
    expect(items(hybrid.recommend('h1'))).toEqual(['warm']); // exactly at the threshold
    expect(items(hybrid.recommend('h3', 4))).toEqual(['hot']);
    expect(hot.calls).toEqual([['h3', 4]]);
    expect(hybrid.recommendAll(2).map(items)).toEqual([['warm'], ['hot']]);
  });

  it('switch with real models: popularity below 2 items, item-KNN from 2 on', () => {
    const ratings = triples([['p', 'a', 5], ['p', 'b', 4], ['q', 'a', 3], ['q', 'c', 2], ['r', 'b', 1]]);
    const pop = new PopularityRecommender().fit(ratings);
    const knn = new ItemKnnRecommender({ k: 5 }).fit(ratings);
    const hybrid = new HybridRecommender({ switch: [{ minHistory: 0, model: pop }, { minHistory: 2, model: knn }] }).fit(ratings);
    expect(hybrid.recommend('r')).toEqual(pop.recommend('r'));
    expect(hybrid.recommend('p')).toEqual(knn.recommend('p'));
    expect(() => hybrid.recommend('new')).toThrow(/PopularityRecommender.recommend: unknown user "new"/);
  });

  it('blend: scores divided by each list\'s maximum, weighted and summed', () => {
    // A: x 4 → 1, y 2 → 0.5; B: y 10 → 1, z 5 → 0.5. Weights 1 and 2:
    // y 0.5 + 2·1 = 2.5, x 1, z 2·0.5 = 1 (the x–z tie in the order met: x first).
    const a = fixed([{ item: 'x', score: 4 }, { item: 'y', score: 2 }]);
    const b = fixed([{ item: 'y', score: 10 }, { item: 'z', score: 5 }]);
    const hybrid = new HybridRecommender({ blend: [{ model: a.model, weight: 1 }, { model: b.model, weight: 2 }], depth: 20 }).fit(data);
    expect(hybrid.recommend('h1')).toEqual([{ item: 'y', score: 2.5 }, { item: 'x', score: 1 }, { item: 'z', score: 1 }]);
    expect(items(hybrid.recommend('h1', 2))).toEqual(['y', 'x']);
    expect(a.calls).toEqual([['h1', 20], ['h1', 20]]);
    hybrid.recommend('h1', 30);
    expect(a.calls[2]).toEqual(['h1', 30]); // depth is at least n
  });

  it('blend: a list without a positive score adds nothing; bad scores are errors', () => {
    const zero = fixed([{ item: 'q', score: 0 }]);
    const one = fixed([{ item: 'x', score: 3 }]);
    const hybrid = new HybridRecommender({ blend: [{ model: zero.model, weight: 5 }, { model: one.model, weight: 1 }] }).fit(data);
    expect(hybrid.recommend('h1')).toEqual([{ item: 'x', score: 1 }]);
    const bad = new HybridRecommender({ blend: [{ model: fixed([{ item: 'x', score: NaN }]).model, weight: 1 }] }).fit(data);
    expect(() => bad.recommend('h1')).toThrow(/blend part 0 returned a score of NaN/);
  });

  it('rejects bad rules and parts, with clear errors', () => {
    const m = fixed([]).model;
    const cases: Array<[unknown, RegExp]> = [
      [{ switch: [] }, /non-empty array/],
      [{ switch: [{ minHistory: 1, model: m }] }, /switch\[0\].minHistory must be 0/],
      [{ switch: [{ minHistory: 0, model: m }, { minHistory: 0, model: m }] }, /increase strictly/],
      [{ switch: [{ minHistory: 0, model: m }, { minHistory: 2.5, model: m }] }, /integer ≥ 0/],
      [{ switch: [{ minHistory: 0, model: {} }] }, /recommend\(user, n\) method/],
      [{ blend: [{ model: m, weight: 0 }] }, /weight must be a finite number > 0/],
      [{ blend: [{ model: m, weight: 1 }], depth: 0 }, /depth must be an integer ≥ 1/],
      [{ switch: [{ minHistory: 0, model: m }], blend: [] }, /Got keys: switch, blend/],
      [{ rules: [] }, /Got keys: rules/],
    ];
    for (const [options, message] of cases) expect(() => new HybridRecommender(options as never), JSON.stringify(options)).toThrow(message);
    expect(() => new HybridRecommender({ switch: [{ minHistory: 0, model: m }] }).recommend('h1')).toThrow(GroveNotFittedError);
    expect(() => new HybridRecommender({ switch: [{ minHistory: 0, model: m }] }).fit(data).recommendAll(1, [5])).toThrow(/out of range/);
  });
});

describe('pickQuestions', () => {
  // item ratings (users distinct)       pop  entropy (bits)          log2(pop)·H   variance  log2(pop)·var
  // p    1 5 1 5                        4    1                       2             4         8
  // q    4 × 8                          8    0                       0             0         0
  // r    1 2 3 4 5 1 2 3                8    3·(¼·2) + 2·(⅛·3) = 2.25  6.75        1.734375  5.203125
  // s    2 4                            2    1                       1             1         1
  // t    3                              1    0                       0             0         0
  const ratings: Record<string, number[]> = { p: [1, 5, 1, 5], q: [4, 4, 4, 4, 4, 4, 4, 4], r: [1, 2, 3, 4, 5, 1, 2, 3], s: [2, 4], t: [3] };
  const data = triples(Object.entries(ratings).flatMap(([item, rs]) => rs.map((score, u): [Id, Id, number] => [`user${u}`, item, score])));

  it('log-pop × entropy (default), hand-worked', () => {
    expect(pickQuestions(data, 10)).toEqual([
      { item: 'r', score: 6.75, popularity: 8, spread: 2.25 },
      { item: 'p', score: 2, popularity: 4, spread: 1 },
      { item: 's', score: 1, popularity: 2, spread: 1 },
    ]);
    expect(pickQuestions(data, 1).map((q) => q.item)).toEqual(['r']);
    expect(pickQuestions(data, 2, { exclude: ['r', 'unknown'] }).map((q) => q.item)).toEqual(['p', 's']);
  });

  it('log-pop × variance weighs how far apart the ratings are: the 1-and-5 item p comes first', () => {
    const got = pickQuestions(data, 10, { measure: 'variance' });
    expect(got.map((q) => q.item)).toEqual(['p', 'r', 's']);
    expect(got[1].score).toBeCloseTo(5.203125, 12);
  });

  it('equals a brute force over random rating sets (fast-check)', () => {
    const arb = fc.array(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 15 });
    fc.assert(
      fc.property(arb, fc.constantFrom('entropy' as const, 'variance' as const), (byItem, measure) => {
        const rows = byItem.flatMap((rs, i) => rs.map((score, u): [Id, Id, number] => [u, i, score]));
        const d = triples(rows);
        const reference = byItem
          .map((rs, i) => {
            const mean = rs.reduce((x, y) => x + y, 0) / rs.length;
            const spread = measure === 'variance'
              ? rs.reduce((x, y) => x + (y - mean) ** 2, 0) / rs.length
              : -[1, 2, 3, 4, 5].map((v) => rs.filter((x) => x === v).length / rs.length).filter((p) => p > 0).reduce((h, p) => h + p * Math.log2(p), 0);
            return { item: i, score: Math.log2(rs.length) * spread };
          })
          .filter((q) => q.score > 1e-9)
          .sort((a, b) => b.score - a.score);
        if (reference.length === 0) return;
        const got = pickQuestions(d, 4, { measure });
        expect(got.length).toBe(Math.min(4, reference.length));
        got.forEach((q, k) => {
          expect(q.score).toBeCloseTo(reference[k].score, 9); // the same score sequence …
          expect(q.score).toBeCloseTo(reference.find((r) => r.item === q.item)!.score, 9); // … and each item's own score
          expect(q.popularity).toBe(byItem[q.item as number].length);
        });
      }),
    );
  });

  it('rejects bad options and data without divisive items', () => {
    expect(() => pickQuestions(triples([['a', 'x', 1], ['b', 'x', 1]]), 3)).toThrow(/no item has ratings that differ/);
    expect(() => pickQuestions(data, 3, { measure: 'gini' as never })).toThrow(/measure must be one of entropy, variance/);
    expect(() => pickQuestions(data, 0)).toThrow(/n must be an integer/);
    expect(() => pickQuestions(data, 3, { exclude: 'r' as never })).toThrow(/exclude must be an iterable/);
    expect(() => pickQuestions(data, 3, { count: 3 } as never)).toThrow(/unknown option "count"/);
  });
});

const ml100k = sharedDir('data/movielens/ml-100k');

describe.skipIf(!ml100k.present)(`cold start on ML-100K${ml100k.skipReason}`, () => {
  const cols = ml100k.present ? readFileSync(`${ml100k.path}/u.data`, 'utf8').trim().split('\n').map((l) => l.split('\t').map(Number)) : [];
  const all = triples(cols.map((c): [Id, Id, number] => [c[0], c[1], c[2]]));

  /** EVAL-PROTOCOL's random split (seed 42) and the metrics@10 of a model over the test users. */
  function evaluate(fit: (train: Interactions) => { recommend(user: Id, n: number): Recommendation[] }): RankingMetrics {
    const test = randomHoldout({ users: cols.map((c) => c[0]), items: cols.map((c) => c[1]) }, { seed: 42 });
    const train = triples(cols.filter((_, r) => !test[r]).map((c): [Id, Id, number] => [c[0], c[1], c[2]]));
    const truth = new Map<number, number[]>();
    cols.forEach((c, r) => test[r] && truth.set(c[0], [...(truth.get(c[0]) ?? []), c[1]]));
    const model = fit(train);
    const lists = new Map([...truth.keys()].map((u) => [u, model.recommend(u, 10).map((r) => r.item as number)]));
    for (const list of lists.values()) expect(new Set(list).size).toBe(list.length);
    return rankingMetrics(lists, truth, { k: 10, catalogSize: train.nItems });
  }

  // Measured here (random split, seed 42; age, gender, occupation; minSegmentSize 50):
  //   popularity   P@10 0.1917  MAP@10 0.1144  NDCG@10 0.2186  HR@10 0.7826
  //   demographic  P@10 0.1955  MAP@10 0.1279  NDCG@10 0.2315  HR@10 0.7667
  // (with minSegmentSize 10 demographic falls below popularity: NDCG 0.2106).
  it('demographic segments do at least as well as global popularity on MAP and NDCG', () => {
    const users = parseUserAttributes(readFileSync(`${ml100k.path}/u.user`));
    const pop = evaluate((train) => new PopularityRecommender().fit(train));
    const demo = evaluate((train) => new DemographicRecommender({ attributes: ['age', 'gender', 'occupation'] }).fit(train, users));
    expect(demo.users).toBe(943);
    expect(demo.map).toBeGreaterThan(pop.map);
    expect(demo.ndcg).toBeGreaterThan(pop.ndcg);
    expect(demo.precision).toBeGreaterThan(pop.precision - 0.005);
  });

  it('content on genres gives valid lists (genres alone are a weak signal: NDCG@10 ≈ 0.05)', () => {
    const genres = parseItemAttributes(readFileSync(`${ml100k.path}/u.item`));
    const m = evaluate((train) => new ContentRecommender().fit(train, genres));
    expect(m.ndcg).toBeGreaterThan(0.02);
  });

  // Item-wise popularity and rating variance, by brute force over the raw rows.
  const byItem = new Map<number, number[]>();
  for (const c of cols) byItem.set(c[1], [...(byItem.get(c[1]) ?? []), c[2]]);
  const popularity = (i: number) => byItem.get(i)!.length;
  const variance = (i: number) => {
    const rs = byItem.get(i)!;
    const mean = rs.reduce((x, y) => x + y, 0) / rs.length;
    return rs.reduce((x, y) => x + (y - mean) ** 2, 0) / rs.length;
  };
  /** Share of `pool` ranking strictly above `i` by `f` (0: the top). */
  const rankShare = (f: (i: number) => number, i: number, pool: number[]) => pool.filter((j) => f(j) > f(i)).length / pool.length;
  const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;

  it('questions are popular and divisive, unlike the most popular or the most divisive items', () => {
    const itemsAll = [...byItem.keys()];
    const rated20 = itemsAll.filter((i) => popularity(i) >= 20); // variance of a handful of ratings means little
    const picked = pickQuestions(all, 10, { measure: 'variance' }).map((q) => q.item as number);
    for (const i of picked) {
      expect(rankShare(popularity, i, itemsAll), `popularity of ${i}`).toBeLessThan(0.2);
      expect(rankShare(variance, i, rated20), `variance of ${i}`).toBeLessThan(0.15);
    }
    const mostPopular = [...itemsAll].sort((a, b) => popularity(b) - popularity(a)).slice(0, 10);
    const mostDivisive = [...rated20].sort((a, b) => variance(b) - variance(a)).slice(0, 10);
    expect(mean(picked.map(variance))).toBeGreaterThan(mean(mostPopular.map(variance)) + 0.3);
    expect(mean(picked.map(popularity))).toBeGreaterThan(2 * mean(mostDivisive.map(popularity)));
    // the entropy measure leans further towards popularity: every pick in the top 5%
    for (const q of pickQuestions(all, 10)) expect(rankShare(popularity, q.item as number, itemsAll)).toBeLessThan(0.05);
  });
});
