/**
 * Partitioned item–item cosine (SPEC §3, the seed's distributed design): in
 * sim(i, j) = Σ_u x_ui·x_uj / (‖x_i‖‖x_j‖) the numerator and both squared norms are sums over
 * users, so each partition of the users computes its partial sums wherever it lives, the parts
 * merge by addition, and `finalize` turns the total into neighbour lists.
 *
 * Contract:
 * - `pairSums(part)`, for one partition of the users: per item, `squares` = Σ_u x_ui² and
 *   `support` = its number of users; per co-occurring pair a < b, `sums` = Σ_u x_ua·x_ub and
 *   `coCounts` = the users who have both (for shrinkage or Jaccard). A pair is stored exactly
 *   when some user has both items, even if its sum is 0. x are the interactions' stored values
 *   (float32, after duplicate merging and weighting).
 * - Items are known by id, listed in canonical order — numbers ascending, then strings by UTF-16
 *   code units (the number 1 and the string "1" are different items) — and every index refers to
 *   that list; pair rows are ascending. Parts with different item sets therefore merge by one
 *   sparse merge, whatever dense indices each part's interactions used.
 * - Every user belongs to exactly one partition (a user split across parts loses the products
 *   between the parts).
 * - Exactness: sums are float64, and a product of two float32 values is exact in float64, so only
 *   additions round. When every value is a multiple of one power of two 2^-e (integer ratings,
 *   counts and binarised data: e = 0; halves: e = 1) and every sum stays below 2^(53 − 2e) in
 *   magnitude, every addition is exact: any partition, merged in any order, gives the whole's
 *   sums bit for bit. Otherwise parts agree with the whole up to float64 rounding of the sums.
 *   `mergePairSums(a, b)` equals `mergePairSums(b, a)` bit for bit in every case.
 * - `finalize` gives the cosine sum / (√squares_a · √squares_b) (float64, stored as float32),
 *   keeps the positive ones and the K largest per item, best first. Selection uses the stored
 *   float32 values and equal values keep the smaller index (position in `items`) first — the rule
 *   of the WASM kernel (assembly/cf/knn.ts). `ItemKnnRecommender` computes in float32 and numbers
 *   items by first appearance, so it may order tied or nearly tied neighbours differently.
 * - Bytes (`pairSumsToBytes`): magic "GRVP", version 1, then items, squares, support, indptr,
 *   indices, sums, coCounts in the format of bytes.ts. `pairSumsFromBytes` checks lengths and
 *   contents and throws a `GroveDataError` saying what is wrong.
 */
import { GroveArgumentError, GroveDataError } from '../runtime/errors.js';
import { ByteReader, ByteWriter } from './bytes.js';
import { Interactions, type Id, type InteractionColumns, type InteractionRecord, type InteractionsOptions } from './interactions.js';
import type { TopK } from './knn.js';

export interface PairSums {
  /** Item ids in canonical order; every index below points into this list. */
  items: Id[];
  /** Per item, Σ_u x_ui². */
  squares: Float64Array;
  /** Per item, the number of users who have it. */
  support: Uint32Array;
  /** Row a is `indices/sums/coCounts[indptr[a] .. indptr[a + 1])`: its pairs (a, b), b > a ascending. */
  indptr: Uint32Array;
  indices: Uint32Array;
  /** Σ_u x_ua·x_ub. */
  sums: Float64Array;
  /** Users who have both items (≥ 1). */
  coCounts: Uint32Array;
}

/** Neighbour lists in the `TopK` shape; indices are positions in `items`. */
export interface ItemSimilarities extends TopK {
  items: Id[];
}

export interface FinalizeOptions {
  /** Neighbours kept per item. Default 20. */
  k?: number;
}

/** The partial sums of one partition of the users (see the contract above). */
export function pairSums(part: Interactions | readonly InteractionRecord[] | InteractionColumns, options?: InteractionsOptions): PairSums {
  const data = asInteractions(part, options);
  const { nItems, nUsers } = data;
  const order = canonicalOrder(data.itemIds);
  const { indptr: iPtr, indices: iUser, values: iVal } = data.byItem;
  const uPtr = data.indptr;
  // Each user's row again, items as canonical positions in ascending order (the item rows taken
  // in canonical order and transposed), so a row's pairs with later items are a suffix.
  const cursor = uPtr.slice(0, nUsers);
  const uPos = new Uint32Array(data.nnz);
  const uVal = new Float64Array(data.nnz);
  for (let p = 0; p < nItems; p++) {
    const i = order[p];
    for (let q = iPtr[i]; q < iPtr[i + 1]; q++) {
      const at = cursor[iUser[q]]++;
      uPos[at] = p;
      uVal[at] = iVal[q];
    }
  }
  cursor.set(uPtr.subarray(0, nUsers));

  const squares = new Float64Array(nItems);
  const support = new Uint32Array(nItems);
  const indptr = new Uint32Array(nItems + 1);
  // Room for as many pairs as there can be (item pairs, or co-occurrences), up to 2^24 at first.
  let visits = 0;
  for (let u = 0; u < nUsers; u++) visits += ((uPtr[u + 1] - uPtr[u]) * (uPtr[u + 1] - uPtr[u] - 1)) / 2;
  const out = new PairList(Math.min((nItems * (nItems - 1)) / 2, visits, 1 << 24));
  const acc = new Float64Array(nItems);
  const count = new Uint32Array(nItems);
  const touched = new Uint32Array(nItems);
  for (let p = 0; p < nItems; p++) {
    const i = order[p];
    let sq = 0;
    let nTouched = 0;
    for (let q = iPtr[i]; q < iPtr[i + 1]; q++) {
      const u = iUser[q];
      const at = cursor[u]++; // u's entry for item p: its earlier items were visited before
      const x = uVal[at];
      sq += x * x;
      for (let r = at + 1, end = uPtr[u + 1]; r < end; r++) {
        const b = uPos[r];
        if (count[b]++ === 0) touched[nTouched++] = b;
        acc[b] += x * uVal[r];
      }
    }
    squares[p] = sq;
    support[p] = iPtr[i + 1] - iPtr[i];
    // The row's items in ascending order: a dense row is scanned, a sparse one sorted.
    if (16 * nTouched > nItems - p) {
      nTouched = 0;
      for (let b = p + 1; b < nItems; b++) if (count[b] !== 0) touched[nTouched++] = b;
    } else {
      touched.subarray(0, nTouched).sort();
    }
    for (let t = 0; t < nTouched; t++) {
      const b = touched[t];
      out.push(b, acc[b], count[b]);
      acc[b] = 0;
      count[b] = 0;
    }
    indptr[p + 1] = out.length;
  }
  return { items: Array.from(order, (i) => data.itemIds[i]), squares, support, indptr, ...out.finish() };
}

/** The sum of partial sums (one part comes back as it is). */
export function mergePairSums(...parts: PairSums[]): PairSums {
  if (parts.length === 0) throw new GroveArgumentError('mergePairSums: give at least one PairSums');
  parts.forEach((s, r) => validate(s, `mergePairSums (argument ${r})`));
  return parts.reduce(mergeTwo);
}

/** Cosine neighbour lists from (merged) pair sums: the K largest positive per item. */
export function finalize(sums: PairSums, options: FinalizeOptions = {}): ItemSimilarities {
  validate(sums, 'finalize');
  const k = checkK(options, 'finalize');
  const n = sums.items.length;
  const kept = Math.min(k, Math.max(1, n - 1));
  const norm = sums.squares.map(Math.sqrt);
  const heaps = new TopKHeaps(n, kept);
  const { indptr, indices } = sums;
  for (let a = 0; a < n; a++) {
    for (let p = indptr[a]; p < indptr[a + 1]; p++) {
      const b = indices[p];
      const v = Math.fround(cosine(sums.sums[p], norm[a], norm[b]));
      if (v > 0) {
        heaps.offer(a, v, b);
        heaps.offer(b, v, a);
      }
    }
  }
  const index = new Int32Array(n * kept);
  const value = new Float32Array(n * kept);
  const length = new Int32Array(n);
  for (let a = 0; a < n; a++) length[a] = heaps.drain(a, index, value, a * kept);
  return { items: sums.items, k: kept, index, value, length };
}

const MAGIC = 'GRVP';
const VERSION = 1;

export function pairSumsToBytes(sums: PairSums): Uint8Array {
  validate(sums, 'pairSumsToBytes');
  const idBytes = sums.items.reduce<number>((total, id) => total + 5 + (typeof id === 'number' ? 4 : 2 * id.length), 0);
  const w = new ByteWriter(MAGIC, VERSION, 64 + idBytes + 16 * sums.items.length + 16 * sums.indices.length);
  w.ids(sums.items);
  for (const a of [sums.squares, sums.support, sums.indptr, sums.indices, sums.sums, sums.coCounts]) w.array(a);
  return w.finish();
}

export function pairSumsFromBytes(bytes: Uint8Array): PairSums {
  const fn = 'pairSumsFromBytes';
  const r = new ByteReader(bytes, fn, 'grove pair sums', MAGIC, VERSION);
  const items = r.ids('items');
  const n = items.length;
  const squares = r.f64s('squares', n);
  const support = r.u32s('support', n);
  const indptr = r.u32s('indptr', n + 1);
  const indices = r.u32s('indices');
  const sums = r.f64s('sums', indices.length);
  const coCounts = r.u32s('coCounts', indices.length);
  r.end();
  const out = { items, squares, support, indptr, indices, sums, coCounts };
  const problem = contentProblem(out);
  if (problem) throw new GroveDataError(`${fn}: corrupt bytes: ${problem}`);
  return out;
}

/** The total order of item ids: numbers ascending, then strings by UTF-16 code units. */
export function compareIds(a: Id, b: Id): number {
  if (typeof a === 'number') return typeof b === 'number' ? a - b : -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Dense indices of `ids` sorted by `compareIds`. */
export function canonicalOrder(ids: readonly Id[]): Uint32Array {
  return Uint32Array.from(ids, (_, i) => i).sort((a, b) => compareIds(ids[a], ids[b]));
}

/** sum / (normA · normB), 0 when a norm is 0; the same value for (a, b) and (b, a). */
export function cosine(sum: number, normA: number, normB: number): number {
  const d = normA * normB;
  return d > 0 ? sum / d : 0;
}

/** Pair entries of rows built in order, in storage that doubles when full. */
export class PairList {
  indices: Uint32Array;
  sums: Float64Array;
  coCounts: Uint32Array;
  length = 0;

  constructor(capacity = 1 << 12) {
    capacity = Math.max(capacity, 16);
    this.indices = new Uint32Array(capacity);
    this.sums = new Float64Array(capacity);
    this.coCounts = new Uint32Array(capacity);
  }

  push(b: number, sum: number, coCount: number): void {
    if (this.length === this.indices.length) {
      const cap = 2 * this.length;
      this.indices = grow(this.indices, new Uint32Array(cap));
      this.sums = grow(this.sums, new Float64Array(cap));
      this.coCounts = grow(this.coCounts, new Uint32Array(cap));
    }
    this.indices[this.length] = b;
    this.sums[this.length] = sum;
    this.coCounts[this.length++] = coCount;
  }

  /** The entries: views when they fill most of the storage, otherwise right-sized copies. */
  finish(): Pick<PairSums, 'indices' | 'sums' | 'coCounts'> {
    const n = this.length;
    const view = n >= 0.75 * this.indices.length;
    const cut = <T extends Uint32Array | Float64Array>(a: T) => (view ? a.subarray(0, n) : a.slice(0, n)) as T;
    return { indices: cut(this.indices), sums: cut(this.sums), coCounts: cut(this.coCounts) };
  }
}

/** `to` with `from` copied to its start (growing parallel arrays). */
export function grow<T extends Uint32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/**
 * Bounded min-heaps of (value, index), one per row: the root is the worst kept entry, and on
 * equal values the larger index is worse, so what is kept does not depend on the offer order.
 */
export class TopKHeaps {
  private readonly val: Float64Array;
  private readonly idx: Int32Array;
  private readonly len: Int32Array;

  constructor(rows: number, readonly k: number) {
    this.val = new Float64Array(rows * k);
    this.idx = new Int32Array(rows * k);
    this.len = new Int32Array(rows);
  }

  offer(row: number, v: number, i: number): void {
    const { val, idx, k } = this;
    const base = row * k;
    const n = this.len[row];
    let pos: number;
    if (n < k) {
      this.len[row] = n + 1;
      for (pos = n; pos > 0; ) {
        const up = (pos - 1) >> 1;
        if (!worse(v, i, val[base + up], idx[base + up])) break;
        val[base + pos] = val[base + up];
        idx[base + pos] = idx[base + up];
        pos = up;
      }
    } else {
      if (!worse(val[base], idx[base], v, i)) return;
      pos = this.siftDown(base, n, v, i);
    }
    val[base + pos] = v;
    idx[base + pos] = i;
  }

  /** Empties `row` into `outIdx/outVal[at ..]`, best first; returns the count. */
  drain(row: number, outIdx: Int32Array, outVal: Float32Array | Float64Array, at: number): number {
    const { val, idx } = this;
    const base = row * this.k;
    const count = this.len[row];
    for (let n = count - 1; n >= 0; n--) {
      outIdx[at + n] = idx[base];
      outVal[at + n] = val[base];
      const pos = this.siftDown(base, n, val[base + n], idx[base + n]);
      val[base + pos] = val[base + n];
      idx[base + pos] = idx[base + n];
    }
    this.len[row] = 0;
    return count;
  }

  /** Moves worse children up from the root of a heap of `n` until (v, i) fits; returns its place. */
  private siftDown(base: number, n: number, v: number, i: number): number {
    const { val, idx } = this;
    let pos = 0;
    for (let c = 1; c < n; c = 2 * pos + 1) {
      if (c + 1 < n && worse(val[base + c + 1], idx[base + c + 1], val[base + c], idx[base + c])) c++;
      if (!worse(val[base + c], idx[base + c], v, i)) break;
      val[base + pos] = val[base + c];
      idx[base + pos] = idx[base + c];
      pos = c;
    }
    return pos;
  }
}

function worse(va: number, ia: number, vb: number, ib: number): boolean {
  return va < vb || (va === vb && ia > ib);
}

function asInteractions(part: Interactions | readonly InteractionRecord[] | InteractionColumns, options: InteractionsOptions | undefined): Interactions {
  if (part instanceof Interactions) {
    if (options !== undefined) throw new GroveArgumentError('pairSums: options apply when building from records or columns; these interactions are built already');
    return part;
  }
  return Array.isArray(part) ? Interactions.fromRecords(part, options) : Interactions.fromColumns(part as InteractionColumns, options);
}

function checkK(options: FinalizeOptions, fn: string): number {
  if (options == null || typeof options !== 'object') throw new GroveArgumentError(`${fn}: options must be an object`);
  for (const key of Object.keys(options)) if (key !== 'k') throw new GroveArgumentError(`${fn}: unknown option "${key}" (known: k)`);
  const k = options.k ?? 20;
  if (!Number.isInteger(k) || k < 1) throw new GroveArgumentError(`${fn}: k must be an integer ≥ 1. Got ${String(options.k)}`);
  return k;
}

function mergeTwo(a: PairSums, b: PairSums): PairSums {
  const union = unionItems(a.items, b.items);
  const { items, fromA, fromB } = union;
  const n = items.length;
  const squares = new Float64Array(n);
  const support = new Uint32Array(n);
  for (let r = 0; r < n; r++) {
    const ra = fromA[r];
    const rb = fromB[r];
    // An item missing from one part copies the other's values (adding a zero would turn -0 into 0).
    squares[r] = ra < 0 ? b.squares[rb] : rb < 0 ? a.squares[ra] : a.squares[ra] + b.squares[rb];
    support[r] = (ra < 0 ? 0 : a.support[ra]) + (rb < 0 ? 0 : b.support[rb]);
  }
  const indptr = new Uint32Array(n + 1);
  mergeRows(a, b, union, indptr);
  const out = new PairList(indptr[n]);
  mergeRows(a, b, union, indptr, out);
  return { items, squares, support, indptr, ...out.finish() };
}

interface Union {
  items: Id[];
  /** Position in `items` of each item of a / b. */
  posA: Uint32Array;
  posB: Uint32Array;
  /** Index in a / b of each item of `items`, or -1. */
  fromA: Int32Array;
  fromB: Int32Array;
}

/** Both lists are canonical, so their union is a merge and positions map monotonically. */
function unionItems(a: readonly Id[], b: readonly Id[]): Union {
  const items: Id[] = [];
  const posA = new Uint32Array(a.length);
  const posB = new Uint32Array(b.length);
  for (let i = 0, j = 0; i < a.length || j < b.length; ) {
    const c = i === a.length ? 1 : j === b.length ? -1 : compareIds(a[i], b[j]);
    const at = items.length;
    items.push(c <= 0 ? a[i] : b[j]);
    if (c <= 0) posA[i++] = at;
    if (c >= 0) posB[j++] = at;
  }
  const fromA = new Int32Array(items.length).fill(-1);
  const fromB = new Int32Array(items.length).fill(-1);
  posA.forEach((at, i) => (fromA[at] = i));
  posB.forEach((at, j) => (fromB[at] = j));
  return { items, posA, posB, fromA, fromB };
}

/**
 * Walks the merged pair rows of a and b (relabelled rows stay ascending), setting `indptr`, and
 * stores the entries in `out` when given: a first walk without it counts them, so that `out` is
 * allocated once, at its size.
 */
function mergeRows(a: PairSums, b: PairSums, { posA, posB, fromA, fromB }: Union, indptr: Uint32Array, out?: PairList): void {
  const n = fromA.length;
  const { indptr: ptrA, indices: idxA, sums: sumA, coCounts: cntA } = a;
  const { indptr: ptrB, indices: idxB, sums: sumB, coCounts: cntB } = b;
  let m = 0;
  for (let r = 0; r < n; r++) {
    const ra = fromA[r];
    const rb = fromB[r];
    let p = ra < 0 ? 0 : ptrA[ra];
    const endA = ra < 0 ? 0 : ptrA[ra + 1];
    let q = rb < 0 ? 0 : ptrB[rb];
    const endB = rb < 0 ? 0 : ptrB[rb + 1];
    for (; p < endA || q < endB; m++) {
      const ca = p < endA ? posA[idxA[p]] : n;
      const cb = q < endB ? posB[idxB[q]] : n;
      if (ca < cb) {
        out?.push(ca, sumA[p], cntA[p]);
        p++;
      } else if (cb < ca) {
        out?.push(cb, sumB[q], cntB[q]);
        q++;
      } else {
        out?.push(ca, sumA[p] + sumB[q], cntA[p] + cntB[q]);
        p++;
        q++;
      }
    }
    indptr[r + 1] = m;
  }
}

/** Throws a GroveArgumentError unless `s` is a well-formed PairSums. */
function validate(s: PairSums, fn: string): void {
  if (s == null || typeof s !== 'object') throw new GroveArgumentError(`${fn}: expected a PairSums object, got ${s === null ? 'null' : typeof s}`);
  const fields = [['squares', Float64Array], ['support', Uint32Array], ['indptr', Uint32Array], ['indices', Uint32Array], ['sums', Float64Array], ['coCounts', Uint32Array]] as const;
  if (!Array.isArray(s.items)) throw new GroveArgumentError(`${fn}: PairSums.items must be an array of ids`);
  for (const [name, type] of fields) {
    if (!(s[name] instanceof type)) throw new GroveArgumentError(`${fn}: PairSums.${name} must be a ${type.name}`);
  }
  const problem = contentProblem(s);
  if (problem) throw new GroveArgumentError(`${fn}: not a valid PairSums: ${problem}`);
}

/** What breaks the PairSums invariants, or undefined. */
function contentProblem(s: PairSums): string | undefined {
  const n = s.items.length;
  for (let a = 0; a < n; a++) {
    const id = s.items[a];
    if (typeof id === 'number' ? !Number.isFinite(id) : typeof id !== 'string') return `items[${a}] is ${String(id)}; ids must be strings or finite numbers`;
    if (a > 0 && compareIds(s.items[a - 1], id) >= 0) return `items[${a}] (${JSON.stringify(id)}) is not after items[${a - 1}] (${JSON.stringify(s.items[a - 1])}) in canonical order`;
  }
  if (s.squares.length !== n || s.support.length !== n || s.indptr.length !== n + 1) return `squares, support and indptr must have ${n}, ${n} and ${n + 1} entries`;
  const nPairs = s.indices.length;
  if (s.sums.length !== nPairs || s.coCounts.length !== nPairs) return `indices, sums and coCounts must have the same length`;
  if (s.indptr[0] !== 0 || s.indptr[n] !== nPairs) return `indptr must run from 0 to ${nPairs} (the number of pairs)`;
  for (let a = 0; a < n; a++) {
    if (!Number.isFinite(s.squares[a])) return `squares[${a}] is ${s.squares[a]}`;
    if (s.indptr[a + 1] < s.indptr[a] || s.indptr[a + 1] > nPairs) return `indptr[${a + 1}] = ${s.indptr[a + 1]} is not within [indptr[${a}], ${nPairs}]`;
    for (let p = s.indptr[a], prev = a; p < s.indptr[a + 1]; prev = s.indices[p++]) {
      if (s.indices[p] <= prev || s.indices[p] >= n) return `pair ${p} of row ${a} has index ${s.indices[p]}; a row's indices must ascend, each above the row and below ${n}`;
      if (!Number.isFinite(s.sums[p])) return `sums[${p}] is ${s.sums[p]}`;
      if (s.coCounts[p] === 0) return `coCounts[${p}] is 0; stored pairs co-occur at least once`;
    }
  }
  return undefined;
}
