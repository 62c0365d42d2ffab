/**
 * Train/test splits of interaction rows for top-N evaluation, as defined in
 * ../shared/data/movielens/EVAL-PROTOCOL.md, so that figures compare with the reference run:
 * - `randomHoldout`: rows ordered by (user, item); one `NumpyRandom(seed)` draws a uniform key
 *   per row in that order (numpy's `default_rng(seed).random(n)`, bit for bit); within each
 *   user, the ⌊fraction · n_u + 0.5⌋ rows with the smallest keys are test; users with fewer than
 *   two rows keep everything in train.
 * - `leaveLastOut`: rows ordered by (user, time, item); each user's last row is test, so equal
 *   timestamps are broken towards the larger item id. A user with one row has no train row.
 * Ids compare as items do elsewhere: numbers ascending, then strings by code units.
 */
import { compareItems } from '../fim/encode.js';
import type { Item } from '../fim/types.js';
import { NumpyRandom } from '../random/numpy.js';
import { GroveArgumentError } from '../runtime/errors.js';

export interface InteractionRows {
  users: ArrayLike<Item>;
  items: ArrayLike<Item>;
  /** Timestamps; needed by `leaveLastOut`. */
  times?: ArrayLike<number>;
}

export interface RandomHoldoutOptions {
  /** Default 42. */
  seed?: number;
  /** Share of each user's rows held out, in (0, 1). Default 0.2. */
  testFraction?: number;
}

/** 1 where row r is a test row, 0 where it trains (indexed like the input rows). */
export function randomHoldout(rows: InteractionRows, options: RandomHoldoutOptions = {}): Uint8Array {
  const n = checkRows(rows, 'randomHoldout');
  const seed = options.seed ?? 42;
  const fraction = options.testFraction ?? 0.2;
  if (!(fraction > 0 && fraction < 1)) {
    throw new GroveArgumentError(`randomHoldout: testFraction must be in (0, 1). Got ${String(options.testFraction)}`);
  }
  const order = sortedRows(n, (a, b) => compareItems(rows.users[a], rows.users[b]) || compareItems(rows.items[a], rows.items[b]));
  const rng = new NumpyRandom(seed);
  const key = new Float64Array(n);
  for (const r of order) key[r] = rng.random();
  const test = new Uint8Array(n);
  forEachUser(rows, order, (from, to) => {
    const count = to - from;
    if (count < 2) return;
    const held = Math.floor(fraction * count + 0.5);
    const mine = order.slice(from, to).sort((a, b) => key[a] - key[b]);
    for (let i = 0; i < held; i++) test[mine[i]] = 1;
  });
  return test;
}

/** 1 where row r is its user's last (the test row), 0 elsewhere. */
export function leaveLastOut(rows: InteractionRows): Uint8Array {
  const n = checkRows(rows, 'leaveLastOut');
  const times = rows.times;
  if (!times || times.length !== n) {
    throw new GroveArgumentError(`leaveLastOut: times must hold one timestamp per row (${n}). Got ${times ? times.length : 'none'}`);
  }
  for (let r = 0; r < n; r++) {
    if (!Number.isFinite(times[r])) throw new GroveArgumentError(`leaveLastOut: times[${r}] is ${times[r]}, not a finite number`);
  }
  const order = sortedRows(
    n,
    (a, b) => compareItems(rows.users[a], rows.users[b]) || times[a] - times[b] || compareItems(rows.items[a], rows.items[b]),
  );
  const test = new Uint8Array(n);
  forEachUser(rows, order, (_from, to) => (test[order[to - 1]] = 1));
  return test;
}

function checkRows(rows: InteractionRows, fn: string): number {
  if (rows == null || rows.users == null || rows.items == null) {
    throw new GroveArgumentError(`${fn}: rows must be { users, items${fn === 'leaveLastOut' ? ', times' : ''} }`);
  }
  if (rows.users.length !== rows.items.length) {
    throw new GroveArgumentError(`${fn}: users (${rows.users.length}) and items (${rows.items.length}) must have one entry per row`);
  }
  return rows.users.length;
}

function sortedRows(n: number, compare: (a: number, b: number) => number): number[] {
  return Array.from({ length: n }, (_, r) => r).sort(compare);
}

/** Calls `fn(from, to)` for each run of one user's rows in `order`. */
function forEachUser(rows: InteractionRows, order: number[], fn: (from: number, to: number) => void): void {
  let from = 0;
  for (let i = 1; i <= order.length; i++) {
    if (i === order.length || rows.users[order[i]] !== rows.users[order[from]]) {
      fn(from, i);
      from = i;
    }
  }
}
