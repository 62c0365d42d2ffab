// StreamingItemCF: a hand-worked stream, the state equal to batch pairSums over the action table
// (fast-check: repeats, out-of-order times, several micro-batches), recommendations equal to
// ItemKnnRecommender's, snapshot/restore exactness, validation, and ML-100K in micro-batches.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ByteWriter } from '../../src/cf/bytes.js';
import { Interactions, type Id } from '../../src/cf/interactions.js';
import { ItemKnnRecommender } from '../../src/cf/item-knn.js';
import { pairSums, pairSumsToBytes } from '../../src/cf/pair-sums.js';
import { StreamingItemCF, type StreamEvent } from '../../src/cf/streaming.js';
import { readRatings } from '../../src/io/ratings-file.js';
import { GroveArgumentError, GroveDataError } from '../../src/runtime/errors.js';
import { initSync } from '../../src/runtime/kernel.js';
import { sharedDir } from '../helpers/shared.js';

initSync({ module: readFileSync(new URL('../../build/debug.wasm', import.meta.url)) });

const sameBytes = (a: Uint8Array, b: Uint8Array) => expect(Buffer.compare(a, b)).toBe(0);

/** `events` cut at the given positions into micro-batches (some may be empty). */
function batches<T>(events: T[], cuts: number[]): T[][] {
  const at = [0, ...cuts.map((c) => c % (events.length + 1)).sort((a, b) => a - b), events.length];
  return at.slice(1).map((end, b) => events.slice(at[b], end));
}

/** A small seeded generator (mulberry32), for data without fast-check's bias to round values. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// u1: a=4 then 3 (lower, later: 4 stays, time 10), b=2. u2: a=2, then 5 (higher, earlier time:
// time stays) and 1 in the same batch (lower, latest: time 11), c=3.
// ‖a‖² = 16 + 25 = 41, ‖b‖² = 4, ‖c‖² = 9; (a,b) = 4·2 = 8, (a,c) = 5·3 = 15 (6 after batch 1,
// then + Δ·x_uc = 3·3); cos(a,b) = 8/(2√41) = 4/√41, cos(a,c) = 15/(3√41) = 5/√41; b and c
// never meet.
// R(u1, c) = 4·cos(a,c) = 20/√41; R(u2, b) = 5·cos(a,b) = 20/√41.
const HAND: StreamEvent[][] = [
  [
    { user: 'u1', item: 'a', score: 4, time: 1 },
    { user: 'u1', item: 'b', score: 2, time: 2 },
    { user: 'u2', item: 'a', score: 2, time: 3 },
    { user: 'u2', item: 'c', score: 3, time: 4 },
  ],
  [
    { user: 'u1', item: 'a', score: 3, time: 10 },
    { user: 'u2', item: 'a', score: 5, time: 0 },
    { user: 'u2', item: 'a', score: 1, time: 11 },
  ],
];

describe('StreamingItemCF', () => {
  test('a hand-worked stream: merge rule, Δ updates, R(U, s), K truncation', () => {
    const cf = new StreamingItemCF();
    cf.ingest(HAND[0]);
    expect(cf.pairSums()).toMatchObject({ items: ['a', 'b', 'c'], squares: Float64Array.from([20, 4, 9]), sums: Float64Array.from([8, 6]) });
    cf.ingest(HAND[1]);
    expect(cf.pairSums()).toEqual({
      items: ['a', 'b', 'c'],
      squares: Float64Array.from([41, 4, 9]),
      support: Uint32Array.from([2, 1, 1]),
      indptr: Uint32Array.from([0, 2, 2, 2]),
      indices: Uint32Array.from([1, 2]),
      sums: Float64Array.from([8, 15]),
      coCounts: Uint32Array.from([1, 1]),
    });
    expect(cf.userActions('u1')).toEqual([{ item: 'a', score: 4, time: 10 }, { item: 'b', score: 2, time: 2 }]);
    expect(cf.userActions('u2')).toEqual([{ item: 'a', score: 5, time: 11 }, { item: 'c', score: 3, time: 4 }]);
    expect(cf.recommend('u1')).toEqual([{ item: 'c', score: 20 / Math.sqrt(41) }]);
    expect(cf.recommend('u2')).toEqual([{ item: 'b', score: 20 / Math.sqrt(41) }]);
    // K = 1: a keeps only c (5/√41 > 4/√41), so nothing leads u2 to b
    const one = new StreamingItemCF({ k: 1 });
    HAND.forEach((b) => one.ingest(b));
    expect(one.recommend('u1')).toEqual([{ item: 'c', score: 20 / Math.sqrt(41) }]);
    expect(one.recommend('u2')).toEqual([]);
    // ItemKnnRecommender fitted on the same events agrees
    const knn = new ItemKnnRecommender().fit(Interactions.fromRecords(HAND.flat()));
    for (const user of ['u1', 'u2']) {
      const [want] = knn.recommend(user);
      expect(cf.recommend(user)[0].item).toBe(want.item);
      expect(cf.recommend(user)[0].score).toBeCloseTo(want.score, 5);
    }
  });

  test('the state equals batch pairSums over the action table (repeats, out-of-order times, micro-batches)', () => {
    const event = fc.record({
      user: fc.integer({ min: 0, max: 7 }),
      item: fc.oneof(fc.integer({ min: -2, max: 7 }), fc.constantFrom('1', 'x', 'y')),
      score: fc.integer({ min: -2, max: 5 }),
      time: fc.integer({ min: 0, max: 20 }),
    });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 70 }), fc.array(fc.nat(), { maxLength: 5 }), (events, cuts) => {
        const cf = new StreamingItemCF();
        for (const batch of batches(events, cuts)) cf.ingest(batch);
        const data = Interactions.fromRecords(events);
        expect(cf.pairSums()).toEqual(pairSums(data));
        expect([cf.nUsers, cf.nItems]).toEqual([data.nUsers, data.nItems]);
        for (let u = 0; u < data.nUsers; u++) {
          const want = Array.from({ length: data.indptr[u + 1] - data.indptr[u] }, (_, q) => {
            const p = data.indptr[u] + q;
            return { item: data.itemId(data.indices[p]), score: data.values[p], time: data.times![p] };
          });
          const order = (a: { item: Id }, b: { item: Id }) => data.itemIndex(a.item) - data.itemIndex(b.item);
          expect(cf.userActions(data.userId(u)).sort(order)).toEqual(want);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('recommend equals ItemKnnRecommender on the same events', () => {
    const ITEMS: Id[] = ['i0', 1, 'i2', 3, 'i4', 5, 'i6', 7];
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.array(fc.nat(), { maxLength: 4 }), (seed, k, n, cuts) => {
        // 12 users × 8 items, about half rated, scores f32 values in [1, 5) (no ties in general);
        // items with fewer than two raters are left out (their cosines with the rater's other
        // items tie at 1)
        const rand = random(seed);
        const cells = Array.from({ length: 12 * ITEMS.length }, (_, c) => ({ user: c >> 3, item: ITEMS[c & 7], score: Math.fround(1 + 4 * rand()), time: rand(), on: rand() < 0.5 }));
        const raters = (item: Id) => cells.filter((c) => c.on && c.item === item).length;
        const events = cells.filter((c) => c.on && raters(c.item) >= 2).map(({ user, item, score, time }) => ({ user, item, score, time }));
        // each rating also arrives once more with a lower score, and the stream is shuffled
        const stream = [...events, ...events.map((e) => ({ ...e, score: e.score - 1, time: e.time + 1 }))].sort(() => rand() - 0.5);
        fc.pre(events.length > 0);
        const cf = new StreamingItemCF({ k });
        batches(stream, cuts).forEach((b) => cf.ingest(b));
        const knn = new ItemKnnRecommender({ k }).fit(Interactions.fromRecords(stream));
        for (const user of new Set(events.map((e) => e.user))) {
          const options = [{}, { excludeSeen: false }, { candidates: ITEMS.slice(0, 5), filterItems: [1] }];
          for (const o of options) {
            const got = cf.recommend(user, n, o);
            const want = knn.recommend(user, n, o);
            expect(got.map((r) => r.item)).toEqual(want.map((r) => r.item));
            got.forEach((r, i) => expect(Math.abs(r.score - want[i].score)).toBeLessThan(1e-5));
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  test('restore(snapshot()) then more ingests equals ingesting everything, bit for bit', () => {
    const event = fc.record({
      user: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom('u', 'v')),
      item: fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constantFrom('x', 'y')),
      score: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      time: fc.double({ min: -1e9, max: 1e9, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 60 }), fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), fc.nat(), fc.integer({ min: 1, max: 4 }), (events, cuts, at, k) => {
        const parts = batches(events, cuts);
        const split = at % (parts.length + 1);
        const direct = new StreamingItemCF({ k });
        parts.forEach((b) => direct.ingest(b));
        const first = new StreamingItemCF({ k });
        parts.slice(0, split).forEach((b) => first.ingest(b));
        const resumed = StreamingItemCF.restore(first.snapshot());
        parts.slice(split).forEach((b) => resumed.ingest(b));
        sameBytes(resumed.snapshot(), direct.snapshot());
        for (const { user } of events) expect(resumed.recommend(user, 5)).toEqual(direct.recommend(user, 5));
      }),
      { numRuns: 200 },
    );
  });

  test('bad events: the batch is refused whole, naming the event', () => {
    const cf = new StreamingItemCF().ingest(HAND[0]);
    const before = cf.snapshot();
    const ok = { user: 'new', item: 'z', score: 1, time: 0 };
    const cases: Array<[unknown, RegExp]> = [
      [{ ...ok, score: NaN }, /event 1 has score NaN; scores must be finite numbers/],
      [{ ...ok, score: Infinity }, /event 1 has score Infinity/],
      [{ ...ok, score: 1e39 }, /event 1 has score 1e\+39; scores must be within ±3\.4028e\+38/],
      [{ ...ok, time: -Infinity }, /event 1 has time -Infinity/],
      [{ user: 'new', item: 'z', score: 1 }, /event 1 has time undefined/],
      [{ ...ok, score: '3' }, /event 1 has score 3; scores must be finite numbers/],
      [{ ...ok, user: null }, /event 1 has user id null/],
      [{ ...ok, item: NaN }, /event 1 has item id NaN/],
      [{ ...ok, item: {} }, /event 1 has item id \[object Object\]/],
      [null, /event 1 is not an object/],
    ];
    for (const [bad, message] of cases) {
      expect(() => cf.ingest([ok, bad as StreamEvent])).toThrow(GroveDataError);
      expect(() => cf.ingest([ok, bad as StreamEvent])).toThrow(message);
    }
    expect(() => cf.ingest([ok, , ok] as StreamEvent[])).toThrow(/event 1 is not an object/);
    sameBytes(cf.snapshot(), before);
    expect(() => cf.recommend('new')).toThrow(/unknown user "new"/);
    expect(() => cf.ingest({} as StreamEvent[])).toThrow(GroveArgumentError);
    expect(() => cf.ingest(undefined as unknown as StreamEvent[])).toThrow(/events must be an array/);
  });

  test('bad arguments', () => {
    const cf = new StreamingItemCF().ingest(HAND[0]);
    expect(() => cf.recommend('nobody')).toThrow(GroveArgumentError);
    expect(() => cf.recommend('u1', 0)).toThrow(/n must be an integer ≥ 1. Got 0/);
    expect(() => cf.userActions(7)).toThrow(/unknown user 7/);
    expect(() => new StreamingItemCF({ k: 0 })).toThrow(/k must be an integer ≥ 1. Got 0/);
    expect(() => new StreamingItemCF({ K: 3 } as never)).toThrow(/unknown option "K"/);
    expect(new StreamingItemCF().ingest([]).pairSums()).toMatchObject({ items: [], indices: new Uint32Array(0) });
  });

  test('corrupt snapshots are named', () => {
    const snap = new StreamingItemCF().ingest(HAND.flat()).snapshot();
    for (let n = 0; n < snap.length; n += 7) expect(() => StreamingItemCF.restore(snap.subarray(0, n))).toThrow(/StreamingItemCF.restore: the bytes are truncated/);
    expect(() => StreamingItemCF.restore(pairSumsToBytes(pairSums([])))).toThrow(/not a StreamingItemCF snapshot \(magic "GRVP"/);
    // hand-built snapshots (layout: k, user ids, item ids, row pointers, items, scores, times,
    // pair sums)
    const build = (users: Id[], ptr: number[], items: number[], pairItems: Id[]) => {
      const w = new ByteWriter('GRVS', 1);
      w.u32(20);
      w.ids(users);
      w.ids(['a', 'b']);
      w.array(Uint32Array.from(ptr));
      w.array(Uint32Array.from(items));
      w.array(new Float64Array(items.length).fill(1));
      w.array(new Float64Array(items.length));
      w.bytes(pairSumsToBytes(pairSums(pairItems.map((item) => ({ user: 0, item, score: 1 })))));
      return w.finish();
    };
    expect(StreamingItemCF.restore(build(['u'], [0, 2], [0, 1], ['a', 'b'])).recommend('u')).toEqual([]);
    expect(() => StreamingItemCF.restore(build(['u', 'u'], [0, 2, 2], [0, 1], ['a', 'b']))).toThrow(/corrupt snapshot: user id "u" appears twice/);
    expect(() => StreamingItemCF.restore(build(['u'], [0, 2], [0, 0], ['a', 'b']))).toThrow(/entry 1 \(user 0\) has item index 0: out of range or repeated/);
    expect(() => StreamingItemCF.restore(build(['u'], [0, 2], [0, 5], ['a', 'b']))).toThrow(/item index 5/);
    expect(() => StreamingItemCF.restore(build(['u'], [0, 3], [0, 1], ['a', 'b']))).toThrow(/rows must span entries 0 to 2/);
    expect(() => StreamingItemCF.restore(build(['u'], [0, 2], [0, 1], ['a', 'c']))).toThrow(/pair sums name item "c", unknown to the action table/);
    expect(() => StreamingItemCF.restore(build(['u', 'v'], [0, 2, 3], [0, 1, 0], ['a', 'b']))).toThrow(/item "a" has 2 users in the action table but 1 in the pair sums/);
    expect(() => StreamingItemCF.restore(build(['u'], [0, 2], [0, 1], ['a']))).toThrow(/the pair sums list 1 items, the action table 2/);
  });
});

const movielens = sharedDir('data/movielens/ml-100k');

describe.skipIf(!movielens.present)(`ML-100K${movielens.skipReason}`, () => {
  test('ingested in micro-batches of 1,000 events, the state equals batch pairSums bit for bit', async () => {
    const cols = await readRatings(`${movielens.path}/u.data`);
    const cf = new StreamingItemCF({ k: 20 });
    for (let from = 0; from < cols.users.length; from += 1000) {
      cf.ingest(Array.from({ length: Math.min(1000, cols.users.length - from) }, (_, r) => ({ user: cols.users[from + r], item: cols.items[from + r], score: cols.scores[from + r], time: cols.times![from + r] })));
    }
    sameBytes(pairSumsToBytes(cf.pairSums()), pairSumsToBytes(pairSums(Interactions.fromColumns(cols))));
    expect(cf.recommend(1, 10)).toHaveLength(10);
  });
});
