/**
 * Interaction data: `(user, item, score[, time])` records as a sparse user × item matrix in CSR
 * (`indptr`, `indices`, `values`), with its transpose (items × users) beside it.
 *
 * Contract:
 * - user and item ids are strings or finite numbers, mapped to dense indices in order of first
 *   appearance (`1` and `"1"` are different ids); `userIndex(id)` / `userId(index)` go both ways;
 * - column indices are ascending within each row, in both orientations;
 * - a (user, item) pair that occurs more than once is one entry that keeps the **higher score**
 *   and the **latest time** (each taken separately), the rule of the real-time user action table
 *   (SPEC §3), so a batch build equals the state after replaying the records as events;
 * - `weighting` maps merged scores to `values`: `raw` (as given), `binarize` (1 for a positive
 *   score, else 0: the entry stays, so the item still counts as seen) or `log1p` (`ln(1 + s)`,
 *   scores must be ≥ 0). Raw play counts let a few heavy listeners dominate cosine similarity;
 *   `log1p` or `binarize` keep implicit data usable;
 * - empty input is allowed and gives a 0 × 0 matrix (`indptr = [0]`); models decide whether
 *   they can fit one;
 * - a NaN or infinite score or time, or a bad id, is a `GroveDataError` naming the record.
 * Times are kept in a Float64Array (Unix seconds need more than float32's 24 bits).
 */
import { GroveArgumentError, GroveDataError } from '../runtime/errors.js';

export type Id = string | number;
export type Weighting = 'raw' | 'binarize' | 'log1p';

/** Parallel columns, one entry per record. */
export interface InteractionColumns {
  users: ArrayLike<Id>;
  items: ArrayLike<Id>;
  scores: ArrayLike<number>;
  times?: ArrayLike<number>;
}

export interface InteractionRecord {
  user: Id;
  item: Id;
  score: number;
  time?: number;
}

export interface InteractionsOptions {
  /** How merged scores become `values`. Default `raw`. */
  weighting?: Weighting;
}

const WEIGHTINGS: readonly Weighting[] = ['raw', 'binarize', 'log1p'];

/** One orientation of the matrix: rows of ascending column indices. */
export interface Csr {
  indptr: Uint32Array;
  indices: Uint32Array;
  values: Float32Array;
  /** Per entry, when the input had times. */
  times?: Float64Array;
}

export class Interactions {
  /** User-major CSR: row `u` is `indices[indptr[u] .. indptr[u+1])` (item indices). */
  readonly indptr: Uint32Array;
  readonly indices: Uint32Array;
  readonly values: Float32Array;
  readonly times?: Float64Array;
  /** The transpose: row `i` lists the users of item `i`, ascending. */
  readonly byItem: Csr;
  readonly userIds: readonly Id[];
  readonly itemIds: readonly Id[];
  /** How scores became `values` (apply the same to scores added later: `weight`). */
  readonly weighting: Weighting;
  private readonly userMap: IdIndex;
  private readonly itemMap: IdIndex;

  private constructor({ byUser, byItem, userMap: users, itemMap: items, weighting }: Built) {
    this.weighting = weighting;
    this.indptr = byUser.indptr;
    this.indices = byUser.indices;
    this.values = byUser.values;
    if (byUser.times) this.times = byUser.times;
    this.byItem = byItem;
    this.userMap = users;
    this.itemMap = items;
    this.userIds = users.ids;
    this.itemIds = items.ids;
  }

  /** Builds from parallel columns (e.g. a ratings reader's output). */
  static fromColumns(columns: InteractionColumns, options: InteractionsOptions = {}): Interactions {
    const fn = 'Interactions.fromColumns';
    if (columns == null || typeof columns !== 'object') throw new GroveArgumentError(`${fn}: columns must be an object with users, items, scores`);
    const { users, items, scores, times } = columns;
    for (const [name, col] of [['users', users], ['items', items], ['scores', scores]] as const) {
      if (!isArrayLike(col)) throw new GroveArgumentError(`${fn}: columns.${name} must be an array or typed array`);
    }
    if (times !== undefined && !isArrayLike(times)) throw new GroveArgumentError(`${fn}: columns.times must be an array or typed array when given`);
    const n = users.length;
    for (const [name, col] of [['items', items], ['scores', scores], ['times', times]] as const) {
      if (col && col.length !== n) throw new GroveDataError(`${fn}: columns.${name} has ${col.length} entries but columns.users has ${n}`);
    }
    return new Interactions(build(n, (r) => users[r], (r) => items[r], (r) => scores[r], times && ((r) => times[r]), options, fn));
  }

  /** Builds from record objects; `time` must be on every record or on none. */
  static fromRecords(records: readonly InteractionRecord[], options: InteractionsOptions = {}): Interactions {
    const fn = 'Interactions.fromRecords';
    if (!Array.isArray(records)) throw new GroveArgumentError(`${fn}: records must be an array of { user, item, score, time? }`);
    for (let r = 0; r < records.length; r++) {
      const rec = records[r];
      if (rec == null || typeof rec !== 'object') throw new GroveDataError(`${fn}: record ${r} is not an object`);
      if ((rec.time === undefined) !== (records[0].time === undefined)) throw new GroveDataError(`${fn}: record ${r} ${rec.time === undefined ? 'lacks' : 'has'} a time, record 0 ${rec.time === undefined ? 'has one' : 'does not'}`);
    }
    const hasTime = records.length > 0 && records[0].time !== undefined;
    return new Interactions(build(records.length, (r) => records[r].user, (r) => records[r].item, (r) => records[r].score, hasTime ? (r) => records[r].time! : undefined, options, fn));
  }

  get nUsers(): number {
    return this.userIds.length;
  }

  get nItems(): number {
    return this.itemIds.length;
  }

  /** Stored (user, item) entries, after merging duplicates. */
  get nnz(): number {
    return this.indices.length;
  }

  /** The dense index of a user id, or -1 when unknown. */
  userIndex(id: Id): number {
    return this.userMap.get(id);
  }

  /** The id of a dense user index. */
  userId(index: number): Id {
    return checkIndex(this.userIds, index, 'userId');
  }

  itemIndex(id: Id): number {
    return this.itemMap.get(id);
  }

  itemId(index: number): Id {
    return checkIndex(this.itemIds, index, 'itemId');
  }
}

function checkIndex(ids: readonly Id[], index: number, fn: string): Id {
  if (!Number.isInteger(index) || index < 0 || index >= ids.length) throw new GroveArgumentError(`Interactions.${fn}: index must be an integer in [0, ${ids.length}). Got ${index}`);
  return ids[index];
}

function isArrayLike(x: unknown): x is ArrayLike<unknown> {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
}

interface Built {
  byUser: Csr;
  byItem: Csr;
  userMap: IdIndex;
  itemMap: IdIndex;
  weighting: Weighting;
}

function build(
  n: number,
  userAt: (r: number) => Id,
  itemAt: (r: number) => Id,
  scoreAt: (r: number) => number,
  timeAt: ((r: number) => number) | undefined,
  options: InteractionsOptions,
  fn: string,
): Built {
  if (options == null || typeof options !== 'object') throw new GroveArgumentError(`${fn}: options must be an object`);
  for (const key of Object.keys(options)) if (key !== 'weighting') throw new GroveArgumentError(`${fn}: unknown option "${key}" (known: weighting)`);
  const weighting = options.weighting ?? 'raw';
  if (!WEIGHTINGS.includes(weighting)) throw new GroveArgumentError(`${fn}: weighting must be one of ${WEIGHTINGS.join(', ')}. Got ${String(weighting)}`);

  const userMap = new IdIndex();
  const itemMap = new IdIndex();
  const u = new Uint32Array(n);
  const it = new Uint32Array(n);
  const s = new Float64Array(n);
  const t = timeAt ? new Float64Array(n) : undefined;
  for (let r = 0; r < n; r++) {
    u[r] = userMap.add(userAt(r), r, 'user', fn);
    it[r] = itemMap.add(itemAt(r), r, 'item', fn);
    const score = scoreAt(r);
    if (typeof score !== 'number' || !Number.isFinite(Math.fround(score))) throw new GroveDataError(`${fn}: record ${r} has score ${String(score)}; scores must be finite numbers within float32's range (values are stored as float32)`);
    if (weighting === 'log1p' && score < 0) throw new GroveDataError(`${fn}: record ${r} has score ${score}; log1p weighting needs scores ≥ 0`);
    s[r] = score;
    if (t) {
      const time = timeAt!(r);
      if (typeof time !== 'number' || !Number.isFinite(time)) throw new GroveDataError(`${fn}: record ${r} has time ${String(time)}; times must be finite numbers`);
      t[r] = time;
    }
  }
  const nUsers = userMap.ids.length;
  const nItems = itemMap.ids.length;
  // Two stable counting sorts (by item, then by user) leave records grouped by user with items
  // ascending, so duplicates are adjacent.
  const order = countingSort(u, nUsers, countingSort(it, nItems, identity(n)));

  const indptr = new Uint32Array(nUsers + 1);
  const indices = new Uint32Array(n);
  const merged = new Float64Array(n);
  const times = t ? new Float64Array(n) : undefined;
  let nnz = 0;
  let user = -1;
  for (let k = 0; k < n; k++) {
    const r = order[k];
    if (u[r] === user && indices[nnz - 1] === it[r]) {
      if (s[r] > merged[nnz - 1]) merged[nnz - 1] = s[r];
      if (times && t![r] > times[nnz - 1]) times[nnz - 1] = t![r];
      continue;
    }
    user = u[r];
    indices[nnz] = it[r];
    merged[nnz] = s[r];
    if (times) times[nnz] = t![r];
    indptr[user + 1] = ++nnz; // every user has a record, so no row is left unset
  }
  const values = new Float32Array(nnz);
  for (let k = 0; k < nnz; k++) values[k] = weight(merged[k], weighting);
  const byUser: Csr = { indptr, indices: indices.slice(0, nnz), values };
  if (times) byUser.times = times.slice(0, nnz);
  return { byUser, byItem: transpose(byUser, nItems), userMap, itemMap, weighting };
}

/** Integer ids below this go through a typed table; others through a Map. */
const TABLE_MAX = 1 << 24;

/**
 * Dense indices of ids in order of first appearance. Non-negative integer ids (the usual case)
 * are looked up in a typed table: a Map lookup per record dominated building 10M interactions.
 */
class IdIndex {
  readonly ids: Id[] = [];
  private readonly map = new Map<Id, number>();
  /** index + 1 per small integer id, 0 = not seen. */
  private table = new Int32Array(0);

  get(id: Id): number {
    if (isSmallInteger(id)) return id < this.table.length ? this.table[id] - 1 : -1;
    return this.map.get(id) ?? -1;
  }

  /** The index of `id`, adding it when new (`r`, `what`, `fn` name a bad id in the error). */
  add(id: Id, r: number, what: string, fn: string): number {
    if (isSmallInteger(id)) {
      if (id >= this.table.length) {
        const grown = new Int32Array(Math.min(TABLE_MAX, Math.max(id + 1, 2 * this.table.length, 1024)));
        grown.set(this.table);
        this.table = grown;
      }
      if (this.table[id] === 0) this.table[id] = this.ids.push(id);
      return this.table[id] - 1;
    }
    let index = this.map.get(id);
    if (index === undefined) {
      if (typeof id === 'number' ? !Number.isFinite(id) : typeof id !== 'string') {
        throw new GroveDataError(`${fn}: record ${r} has ${what} id ${String(id)}; ids must be strings or finite numbers`);
      }
      index = this.ids.length;
      this.ids.push(id);
      this.map.set(id, index);
    }
    return index;
  }
}

function isSmallInteger(id: Id): id is number {
  return typeof id === 'number' && id >= 0 && id < TABLE_MAX && Number.isInteger(id);
}

/** A merged score as a stored value under `weighting` (monotone, so merging commutes with it). */
export function weight(score: number, weighting: Weighting): number {
  if (weighting === 'raw') return score;
  if (weighting === 'binarize') return score > 0 ? 1 : 0;
  return Math.log1p(score);
}

function identity(n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** `order` stably re-sorted by `key[order[k]]` (keys in `[0, nKeys)`). */
function countingSort(key: Uint32Array, nKeys: number, order: Uint32Array): Uint32Array {
  const start = new Uint32Array(nKeys + 1);
  for (let k = 0; k < order.length; k++) start[key[order[k]] + 1]++;
  for (let x = 0; x < nKeys; x++) start[x + 1] += start[x];
  const out = new Uint32Array(order.length);
  for (let k = 0; k < order.length; k++) out[start[key[order[k]]]++] = order[k];
  return out;
}

/** The transpose of a CSR with `nCols` columns; rows of the result come out ascending. */
export function transpose(m: Csr, nCols: number): Csr {
  const nRows = m.indptr.length - 1;
  const nnz = m.indices.length;
  const indptr = new Uint32Array(nCols + 1);
  for (let k = 0; k < nnz; k++) indptr[m.indices[k] + 1]++;
  for (let c = 0; c < nCols; c++) indptr[c + 1] += indptr[c];
  const next = indptr.slice(0, nCols);
  const indices = new Uint32Array(nnz);
  const values = new Float32Array(nnz);
  const times = m.times ? new Float64Array(nnz) : undefined;
  for (let r = 0; r < nRows; r++) {
    for (let k = m.indptr[r]; k < m.indptr[r + 1]; k++) {
      const at = next[m.indices[k]]++;
      indices[at] = r;
      values[at] = m.values[k];
      if (times) times[at] = m.times![k];
    }
  }
  const out: Csr = { indptr, indices, values };
  if (times) out.times = times;
  return out;
}
