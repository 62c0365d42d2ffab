// Evaluation splits against the protocol of ../shared/data/movielens/EVAL-PROTOCOL.md. The
// ML-100K hashes were computed with numpy 1.24.2 by an independent script implementing that
// protocol (lexsort by user then item, default_rng(42).random(n), per-user argsort of keys,
// floor(0.2·n_u + 0.5) test rows; loo: lexsort by user, timestamp, item, last row per user):
// sha256 of the sorted "user<TAB>item" lines of the test rows, each ending with a newline.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { leaveLastOut, randomHoldout } from '../../src/metrics/split.js';
import { NumpyRandom } from '../../src/random/numpy.js';
import { sharedDir } from '../helpers/shared.js';

describe('randomHoldout', () => {
  it('holds out floor(0.2·n + 0.5) rows of each user with the smallest keys, drawn in (user, item) order', () => {
    // user 'a' has 5 rows (1 test), user 'b' 3 (1 test: floor(1.1)), user 'c' 1 (kept in train)
    const users = ['b', 'a', 'a', 'c', 'b', 'a', 'a', 'b', 'a'];
    const items = [2, 5, 1, 9, 1, 3, 2, 3, 4];
    const test = randomHoldout({ users, items });
    // the keys, in the order (a,1) (a,2) (a,3) (a,4) (a,5) (b,1) (b,2) (b,3) (c,9)
    const keys = new NumpyRandom(42).randomArray(9);
    const order = [2, 6, 5, 8, 1, 4, 0, 7, 3];
    const smallestOf = (rowsInOrder: number[], from: number) => order[from + rowsInOrder.indexOf(Math.min(...rowsInOrder))];
    const expected = new Uint8Array(9);
    expected[smallestOf(Array.from(keys.subarray(0, 5)), 0)] = 1;
    expected[smallestOf(Array.from(keys.subarray(5, 8)), 5)] = 1;
    expect(test).toEqual(expected);
  });

  it('rejects mismatched columns and fractions outside (0, 1)', () => {
    expect(() => randomHoldout({ users: [1, 2], items: [1] })).toThrow(/one entry per row/);
    expect(() => randomHoldout({ users: [1], items: [1] }, { testFraction: 1 })).toThrow(/testFraction must be in \(0, 1\)/);
  });
});

describe('leaveLastOut', () => {
  it("takes each user's latest row, equal times going to the larger item id", () => {
    const rows = { users: [1, 1, 1, 2, 2], items: [10, 30, 20, 5, 6], times: [5, 9, 9, 3, 1] };
    expect(Array.from(leaveLastOut(rows))).toEqual([0, 1, 0, 1, 0]);
  });

  it('needs a finite timestamp per row', () => {
    expect(() => leaveLastOut({ users: [1], items: [1] })).toThrow(/times must hold one timestamp per row/);
    expect(() => leaveLastOut({ users: [1], items: [1], times: [NaN] })).toThrow(/times\[0\] is NaN/);
  });
});

const movielens = sharedDir('data/movielens/ml-100k');

describe.skipIf(!movielens.present)(`ML-100K splits equal numpy's${movielens.skipReason}`, () => {
  const lines = readFileSync(`${movielens.path}/u.data`, 'utf8').trim().split('\n');
  const cols = lines.map((l) => l.split('\t').map(Number));
  const rows = { users: cols.map((c) => c[0]), items: cols.map((c) => c[1]), times: cols.map((c) => c[3]) };
  const digest = (test: Uint8Array) => {
    const held = [];
    for (let r = 0; r < test.length; r++) if (test[r]) held.push(`${rows.users[r]}\t${rows.items[r]}`);
    return { count: held.length, sha256: createHash('sha256').update(held.sort().join('\n') + '\n').digest('hex') };
  };

  it('random 80/20, seed 42: the same 20,000 test rows', () => {
    expect(digest(randomHoldout(rows, { seed: 42 }))).toEqual({
      count: 20000,
      sha256: 'bff2a53dad15af87dc3eac7137bf2ec3f77493aeb0fd339e1af92c46a66c43d5',
    });
  });

  it('leave-last-one-out: the same 943 test rows', () => {
    expect(digest(leaveLastOut(rows))).toEqual({
      count: 943,
      sha256: 'a10de51a681232fa12531eb113df94fec848fb67fe8b6efc15b5eae010dc3583',
    });
  });
});
