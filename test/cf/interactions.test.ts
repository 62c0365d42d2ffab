/** Interactions: CSR by user and by item against hand-written arrays and a brute-force transpose. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Interactions, type Id } from '../../src/cf/interactions.js';
import { GroveArgumentError, GroveDataError } from '../../src/runtime/errors.js';

const f32 = (xs: number[]): Float32Array => Float32Array.from(xs);

describe('Interactions', () => {
  test('a hand-worked matrix: ids in first-appearance order, rows sorted, the transpose', () => {
    // users a, b, c; items 10, 30, 20 (dense 0, 1, 2)
    //        10  30  20
    //   a  [  5   .   1 ]
    //   b  [  .   2   . ]
    //   c  [  3   4   . ]
    const m = Interactions.fromColumns({
      users: ['a', 'b', 'a', 'c', 'c'],
      items: [10, 30, 20, 30, 10],
      scores: [5, 2, 1, 4, 3],
    });
    expect([m.nUsers, m.nItems, m.nnz]).toEqual([3, 3, 5]);
    expect(m.userIds).toEqual(['a', 'b', 'c']);
    expect(m.itemIds).toEqual([10, 30, 20]);
    expect([m.userIndex('c'), m.userIndex('zz'), m.itemIndex(20), m.itemIndex('20')]).toEqual([2, -1, 2, -1]);
    expect([m.userId(1), m.itemId(1)]).toEqual(['b', 30]);
    expect(m.indptr).toEqual(Uint32Array.from([0, 2, 3, 5]));
    expect(m.indices).toEqual(Uint32Array.from([0, 2, 1, 0, 1]));
    expect(m.values).toEqual(f32([5, 1, 2, 3, 4]));
    expect(m.times).toBeUndefined();
    expect(m.byItem.indptr).toEqual(Uint32Array.from([0, 2, 4, 5]));
    expect(m.byItem.indices).toEqual(Uint32Array.from([0, 2, 1, 2, 0]));
    expect(m.byItem.values).toEqual(f32([5, 3, 2, 4, 1]));
    expect(() => m.userId(3)).toThrow(GroveArgumentError);
  });

  test('duplicates keep the higher score and the latest time, each on its own', () => {
    const m = Interactions.fromRecords([
      { user: 1, item: 7, score: 4, time: 100 },
      { user: 1, item: 8, score: 1, time: 50 },
      { user: 1, item: 7, score: 2, time: 300 }, // lower score, later time
      { user: 1, item: 7, score: 3, time: 200 },
    ]);
    expect(m.indptr).toEqual(Uint32Array.from([0, 2]));
    expect(m.indices).toEqual(Uint32Array.from([0, 1]));
    expect(m.values).toEqual(f32([4, 1]));
    expect(m.times).toEqual(Float64Array.from([300, 50]));
    expect(m.byItem.times).toEqual(Float64Array.from([300, 50]));
  });

  test('weighting: raw, binarize (positive → 1, else 0, entry kept), log1p', () => {
    const cols = { users: [0, 0, 1], items: [0, 1, 0], scores: [9, 0, 1] };
    expect(Interactions.fromColumns(cols).values).toEqual(f32([9, 0, 1]));
    expect(Interactions.fromColumns(cols, { weighting: 'binarize' }).values).toEqual(f32([1, 0, 1]));
    expect(Interactions.fromColumns(cols, { weighting: 'log1p' }).values).toEqual(f32([Math.log(10), 0, Math.log(2)]));
    // merge before weighting: max(3, 1) = 3 → ln 4
    expect(Interactions.fromColumns({ users: [0, 0], items: [0, 0], scores: [1, 3] }, { weighting: 'log1p' }).values).toEqual(f32([Math.log(4)]));
  });

  test('empty input is a 0 × 0 matrix', () => {
    const m = Interactions.fromColumns({ users: [], items: [], scores: new Float32Array(0) });
    expect([m.nUsers, m.nItems, m.nnz]).toEqual([0, 0, 0]);
    expect(m.indptr).toEqual(Uint32Array.from([0]));
    expect(m.byItem.indptr).toEqual(Uint32Array.from([0]));
  });

  test('bad input: clear errors naming the record', () => {
    const ok = { users: [1, 2], items: [1, 2], scores: [1, 1] };
    expect(() => Interactions.fromColumns({ ...ok, scores: [1, NaN] })).toThrow(new GroveDataError('Interactions.fromColumns: record 1 has score NaN; scores must be finite numbers within float32\'s range (values are stored as float32)'));
    expect(() => Interactions.fromColumns({ ...ok, scores: [1, 1e39] })).toThrow(/record 1 has score 1e\+39; scores must be finite numbers within float32/);
    expect(() => Interactions.fromColumns({ ...ok, scores: [Infinity, 1] })).toThrow(/record 0 has score Infinity/);
    expect(() => Interactions.fromColumns({ ...ok, times: [1, -Infinity] })).toThrow(/record 1 has time -Infinity/);
    expect(() => Interactions.fromColumns({ ...ok, items: [1] })).toThrow(new GroveDataError('Interactions.fromColumns: columns.items has 1 entries but columns.users has 2'));
    expect(() => Interactions.fromColumns({ ...ok, users: [1, NaN] })).toThrow(/record 1 has user id NaN/);
    expect(() => Interactions.fromColumns({ ...ok, items: [1, null as unknown as Id] })).toThrow(/record 1 has item id null/);
    expect(() => Interactions.fromColumns({ ...ok, scores: [1, -1] }, { weighting: 'log1p' })).toThrow(/record 1 has score -1; log1p weighting needs scores ≥ 0/);
    expect(() => Interactions.fromColumns(ok, { weighting: 'sqrt' as 'raw' })).toThrow(GroveArgumentError);
    expect(() => Interactions.fromColumns(ok, { wieghting: 'raw' } as object)).toThrow(/unknown option "wieghting"/);
    expect(() => Interactions.fromColumns({ users: 'ab', items: [], scores: [] } as never)).toThrow(GroveArgumentError);
    expect(() => Interactions.fromRecords([{ user: 1, item: 1, score: 1, time: 5 }, { user: 1, item: 2, score: 1 }])).toThrow(/record 1 lacks a time/);
  });

  test('property: the CSR equals a brute-force merge, the transpose a brute-force transpose', () => {
    const record = fc.record({ user: fc.integer({ min: 0, max: 6 }), item: fc.constantFrom<Id>('x', 'y', 3, 1, 'z', 0), score: fc.integer({ min: -5, max: 9 }), time: fc.integer({ min: 0, max: 1000 }) });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 40 }), (records) => {
        const m = Interactions.fromRecords(records);
        // brute force: merged entries keyed by dense (user, item)
        const users: Id[] = [];
        const items: Id[] = [];
        const cell = new Map<string, { score: number; time: number }>();
        for (const r of records) {
          if (!users.includes(r.user)) users.push(r.user);
          if (!items.includes(r.item)) items.push(r.item);
          const key = `${users.indexOf(r.user)},${items.indexOf(r.item)}`;
          const old = cell.get(key);
          cell.set(key, { score: Math.max(old?.score ?? -Infinity, r.score), time: Math.max(old?.time ?? -Infinity, r.time) });
        }
        expect(m.userIds).toEqual(users);
        expect(m.itemIds).toEqual(items);
        const rows = (indptr: Uint32Array, indices: Uint32Array, values: Float32Array, times: Float64Array | undefined, key: (r: number, c: number) => string) => {
          const out: string[] = [];
          for (let r = 0; r + 1 < indptr.length; r++) {
            for (let k = indptr[r]; k < indptr[r + 1]; k++) {
              if (k > indptr[r]) expect(indices[k]).toBeGreaterThan(indices[k - 1]);
              const c = cell.get(key(r, indices[k]))!;
              expect([values[k], times![k]]).toEqual([c.score, c.time]);
              out.push(key(r, indices[k]));
            }
          }
          return out.sort();
        };
        const expected = [...cell.keys()].sort();
        expect(rows(m.indptr, m.indices, m.values, m.times, (u, i) => `${u},${i}`)).toEqual(expected);
        const t = m.byItem;
        expect(t.indptr.length).toBe(items.length + 1);
        expect(rows(t.indptr, t.indices, t.values, t.times, (i, u) => `${u},${i}`)).toEqual(expected);
      }),
    );
  });
});
