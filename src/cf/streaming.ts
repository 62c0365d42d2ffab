/**
 * Real-time item-based collaborative filtering (SPEC §3; the seed's Kafka + HBase + Spark
 * Streaming design): events `(user, item, score, time)` arrive in micro-batches and update a user
 * action table and the item pair sums of pair-sums.ts in place; recommendations read cosine
 * neighbour lists computed from the current sums.
 *
 * Contract:
 * - The action table keeps one entry per (user, item): a repeat keeps the higher score and the
 *   latest time, each taken separately (the rule of `Interactions`). Repeats inside one
 *   micro-batch are merged by the same rule before the sums change.
 * - When u's score of item i goes from `old` to `new` (old = 0 for a new entry),
 *   Δ = new − old: each pair (i, j) with another item j of u gains Δ·x_uj (and one co-occurrence
 *   when the entry is new), and ‖i‖² gains new² − old². The state therefore equals `pairSums`
 *   over the current action table (`pairSums()` returns it in that shape): bit for bit when the
 *   scores are float32 values (as `Interactions` stores them; the table keeps float64) meeting
 *   the exactness condition of pair-sums.ts, e.g. integers with sums below 2^53; otherwise up to
 *   float64 rounding.
 * - `recommend(user, n)`: R(U, s) = Σ_{t ∈ UAction(U)} score(U, t)·sim_K(t, s) over the items U
 *   has not seen, positive scores only, best first, equal scores by the smaller item index. sim_K
 *   keeps the K largest positive cosines of row t (float64, equal values → smaller index). Users
 *   and items are numbered by first appearance, as `Interactions` numbers them, so the result is
 *   `ItemKnnRecommender`'s on the same events up to its float32 rounding. A row is computed when
 *   first needed after an ingest and kept until the next one.
 * - `snapshot()` holds the action table (entry order included) and the sums as they are, so
 *   `restore(snapshot())` followed by more ingests equals ingesting everything, bit for bit.
 * - A micro-batch is checked whole before anything changes: a non-array is a
 *   `GroveArgumentError`; an event that is not an object, has an id that is not a string or
 *   finite number, a score or time that is not a finite number, or a score beyond float32's
 *   range is a `GroveDataError` naming its index.
 */
import { GroveArgumentError, GroveDataError } from '../runtime/errors.js';
import { ByteReader, ByteWriter } from './bytes.js';
import type { Id } from './interactions.js';
import { checkN, itemMask, type Recommendation, type RecommendOptions } from './knn.js';
import { PairList, TopKHeaps, canonicalOrder, cosine, grow, pairSumsFromBytes, pairSumsToBytes, type PairSums } from './pair-sums.js';

export interface StreamEvent {
  user: Id;
  item: Id;
  score: number;
  time: number;
}

export interface StreamingItemCFOptions {
  /** Neighbours kept per item row. Default 20. */
  k?: number;
}

const NAME = 'StreamingItemCF';
const MAGIC = 'GRVS';
const VERSION = 1;
const F32_MAX = 3.4028234663852886e38;

interface Neighbours {
  index: Int32Array;
  value: Float64Array;
  length: number;
}

export class StreamingItemCF {
  readonly k: number;
  private readonly users = new IdMap();
  private readonly items = new IdMap();
  /** Per user, their action table entries. */
  private readonly actions: ActionRow[] = [];
  /** Per item, its pairs with every co-occurring item (both orientations are stored). */
  private readonly rows: PairRow[] = [];
  private readonly squares: number[] = [];
  private readonly support: number[] = [];
  private cache: Array<Neighbours | undefined> = [];
  private readonly heap: TopKHeaps;

  constructor(options: StreamingItemCFOptions = {}) {
    if (options == null || typeof options !== 'object') throw new GroveArgumentError(`${NAME}: options must be an object`);
    for (const key of Object.keys(options)) if (key !== 'k') throw new GroveArgumentError(`${NAME}: unknown option "${key}" (known: k)`);
    this.k = options.k ?? 20;
    if (!Number.isInteger(this.k) || this.k < 1) throw new GroveArgumentError(`${NAME}: k must be an integer ≥ 1. Got ${String(options.k)}`);
    this.heap = new TopKHeaps(1, this.k);
  }

  get nUsers(): number {
    return this.users.ids.length;
  }

  get nItems(): number {
    return this.items.ids.length;
  }

  /** Applies one micro-batch; returns `this`. */
  ingest(events: readonly StreamEvent[]): this {
    const fn = `${NAME}.ingest`;
    if (!Array.isArray(events)) throw new GroveArgumentError(`${fn}: events must be an array of { user, item, score, time }`);
    for (let r = 0; r < events.length; r++) checkEvent(events[r], r, fn); // holes included
    const n = events.length;
    const u = Uint32Array.from(events, (e) => this.userIndex(e.user));
    const it = Uint32Array.from(events, (e) => this.itemIndex(e.item));
    // Grouped by (user, item) so that repeats are adjacent and merge before the update.
    const order = Uint32Array.from(events, (_, r) => r).sort((a, b) => u[a] - u[b] || it[a] - it[b] || a - b);
    for (let g = 0; g < n; ) {
      const first = order[g];
      let { score, time } = events[first];
      for (g++; g < n && u[order[g]] === u[first] && it[order[g]] === it[first]; g++) {
        const e = events[order[g]];
        if (e.score > score) score = e.score;
        if (e.time > time) time = e.time;
      }
      this.apply(u[first], it[first], score, time);
    }
    if (n > 0) this.cache = [];
    return this;
  }

  /** The top `n` items of `user` by R(U, s), best first (fewer when fewer score above 0). */
  recommend(user: Id, n = 10, options: RecommendOptions = {}): Recommendation[] {
    const fn = `${NAME}.recommend`;
    const u = this.users.map.get(user);
    if (u === undefined) throw new GroveArgumentError(`${fn}: unknown user ${JSON.stringify(user)}`);
    checkN(n, fn);
    const { allowed, keepSeen } = itemMask({ nItems: this.nItems, itemIndex: (id) => this.items.map.get(id) ?? -1 }, options, fn);
    const row = this.actions[u];
    const acc = new Float64Array(this.nItems);
    for (let q = 0; q < row.length; q++) {
      const x = row.scores[q];
      const nb = this.neighbours(row.items[q]);
      for (let r = 0; r < nb.length; r++) acc[nb.index[r]] += x * nb.value[r];
    }
    if (!keepSeen) for (let q = 0; q < row.length; q++) acc[row.items[q]] = 0;
    for (let s = 0; s < acc.length; s++) acc[s] *= allowed[s];
    const top = new TopKHeaps(1, Math.min(n, this.nItems));
    for (let s = 0; s < acc.length; s++) if (acc[s] > 0) top.offer(0, acc[s], s);
    const index = new Int32Array(top.k);
    const value = new Float64Array(top.k);
    const count = top.drain(0, index, value, 0);
    return Array.from({ length: count }, (_, r) => ({ item: this.items.ids[index[r]], score: value[r] }));
  }

  /** The current state as batch `pairSums` output (canonical item order). */
  pairSums(): PairSums {
    const ids = this.items.ids;
    const n = ids.length;
    const order = canonicalOrder(ids);
    const rank = new Uint32Array(n);
    order.forEach((i, p) => (rank[i] = p));
    const indptr = new Uint32Array(n + 1);
    const out = new PairList();
    const slotOf = new Int32Array(n);
    const later = new Uint32Array(n);
    for (let p = 0; p < n; p++) {
      const { keys, sums, counts } = this.rows[order[p]];
      let m = 0;
      for (let h = 0; h < keys.length; h++) {
        if (keys[h] === 0) continue;
        const q = rank[keys[h] - 1];
        if (q > p) {
          slotOf[q] = h;
          later[m++] = q;
        }
      }
      for (const q of later.subarray(0, m).sort()) out.push(q, sums[slotOf[q]], counts[slotOf[q]]);
      indptr[p + 1] = out.length;
    }
    const items = Array.from(order, (i) => ids[i]);
    const squares = Float64Array.from(order, (i) => this.squares[i]);
    const support = Uint32Array.from(order, (i) => this.support[i]);
    return { items, squares, support, indptr, ...out.finish() };
  }

  /** `user`'s action table entries in order of arrival (merged score and latest time). */
  userActions(user: Id): Array<{ item: Id; score: number; time: number }> {
    const u = this.users.map.get(user);
    if (u === undefined) throw new GroveArgumentError(`${NAME}.userActions: unknown user ${JSON.stringify(user)}`);
    const row = this.actions[u];
    return Array.from({ length: row.length }, (_, q) => ({ item: this.items.ids[row.items[q]], score: row.scores[q], time: row.times[q] }));
  }

  /** The whole state as bytes (magic "GRVS", version 1; format of bytes.ts). */
  snapshot(): Uint8Array {
    const nnz = this.actions.reduce((sum, row) => sum + row.length, 0);
    const ptr = new Uint32Array(this.nUsers + 1);
    const items = new Uint32Array(nnz);
    const scores = new Float64Array(nnz);
    const times = new Float64Array(nnz);
    this.actions.forEach((row, u) => {
      const at = ptr[u];
      items.set(row.items.subarray(0, row.length), at);
      scores.set(row.scores.subarray(0, row.length), at);
      times.set(row.times.subarray(0, row.length), at);
      ptr[u + 1] = at + row.length;
    });
    const pairs = pairSumsToBytes(this.pairSums());
    const w = new ByteWriter(MAGIC, VERSION, 64 + 32 * nnz + pairs.length);
    w.u32(this.k);
    w.ids(this.users.ids);
    w.ids(this.items.ids);
    for (const a of [ptr, items, scores, times]) w.array(a);
    w.bytes(pairs);
    return w.finish();
  }

  /** The model a `snapshot()` was taken of. */
  static restore(bytes: Uint8Array): StreamingItemCF {
    const fn = `${NAME}.restore`;
    const r = new ByteReader(bytes, fn, 'a StreamingItemCF snapshot', MAGIC, VERSION);
    const k = r.u32('k');
    if (k < 1) r.fail('k is 0');
    const userIds = r.ids('user ids');
    const itemIds = r.ids('item ids');
    const ptr = r.u32s('the action table row pointers', userIds.length + 1);
    const items = r.u32s('the action table items');
    const table = { ptr, items, scores: r.f64s('the action table scores', items.length), times: r.f64s('the action table times', items.length) };
    const pairs = pairSumsFromBytes(r.bytes('the pair sums'));
    r.end();
    const fail = (what: string): never => {
      throw new GroveDataError(`${fn}: corrupt snapshot: ${what}`);
    };
    const model = new StreamingItemCF({ k });
    userIds.forEach((id, u) => {
      if (model.userIndex(id) !== u) fail(`user id ${JSON.stringify(id)} appears twice`);
    });
    itemIds.forEach((id, i) => {
      if (model.itemIndex(id) !== i) fail(`item id ${JSON.stringify(id)} appears twice`);
    });
    model.restorePairs(pairs, model.restoreActions(table, fail), fail);
    return model;
  }

  /** Fills the action table from a snapshot's; returns the users per item. */
  private restoreActions({ ptr, items, scores, times }: { ptr: Uint32Array; items: Uint32Array; scores: Float64Array; times: Float64Array }, fail: (what: string) => never): Uint32Array {
    const { nUsers, nItems } = this;
    if (ptr[0] !== 0 || ptr[nUsers] !== items.length) fail(`the action table rows must span entries 0 to ${items.length}`);
    const support = new Uint32Array(nItems);
    const lastUser = new Int32Array(nItems).fill(-1);
    for (let u = 0; u < nUsers; u++) {
      if (ptr[u + 1] < ptr[u] || ptr[u + 1] > items.length) fail(`the action table row of user ${u} ends at ${ptr[u + 1]}`);
      for (let q = ptr[u]; q < ptr[u + 1]; q++) {
        const i = items[q];
        if (i >= nItems || lastUser[i] === u) fail(`entry ${q} (user ${u}) has item index ${i}: out of range or repeated`);
        if (!(Math.abs(scores[q]) <= F32_MAX) || !Number.isFinite(times[q])) fail(`entry ${q} has score ${scores[q]} and time ${times[q]}`);
        lastUser[i] = u;
        support[i]++;
        this.actions[u].push(i, scores[q], times[q]);
      }
    }
    return support;
  }

  /** Sets the sums from a snapshot's (canonical order), checked against the action table. */
  private restorePairs(pairs: PairSums, support: Uint32Array, fail: (what: string) => never): void {
    const n = this.nItems;
    if (pairs.items.length !== n) fail(`the pair sums list ${pairs.items.length} items, the action table ${n}`);
    const dense = Int32Array.from(pairs.items, (id) => this.items.map.get(id) ?? fail(`the pair sums name item ${JSON.stringify(id)}, unknown to the action table`));
    // Rows sized up front: inserting pair by pair would regrow each table many times.
    const degree = new Uint32Array(n);
    for (const b of pairs.indices) degree[dense[b]]++;
    for (let p = 0; p < n; p++) degree[dense[p]] += pairs.indptr[p + 1] - pairs.indptr[p];
    degree.forEach((d, i) => (this.rows[i] = new PairRow(d)));
    for (let p = 0; p < n; p++) {
      const a = dense[p];
      if (pairs.support[p] !== support[a]) fail(`item ${JSON.stringify(pairs.items[p])} has ${support[a]} users in the action table but ${pairs.support[p]} in the pair sums`);
      this.squares[a] = pairs.squares[p];
      this.support[a] = pairs.support[p];
      for (let q = pairs.indptr[p]; q < pairs.indptr[p + 1]; q++) {
        const b = dense[pairs.indices[q]];
        this.rows[a].add(b, pairs.sums[q], pairs.coCounts[q]);
        this.rows[b].add(a, pairs.sums[q], pairs.coCounts[q]);
      }
    }
  }

  /** Sets u's score of item i under the merge rule and moves the sums by the change. */
  private apply(u: number, i: number, score: number, time: number): void {
    const row = this.actions[u];
    let at = row.find(i);
    let delta = score;
    let fresh = 0;
    if (at < 0) {
      fresh = 1;
      this.squares[i] += score * score;
      this.support[i]++;
      at = row.push(i, score, time);
    } else {
      if (time > row.times[at]) row.times[at] = time;
      const old = row.scores[at];
      if (!(score > old)) return;
      delta = score - old;
      this.squares[i] += score * score - old * old;
      row.scores[at] = score;
    }
    const pairs = this.rows[i];
    for (let q = 0; q < row.length; q++) {
      if (q === at) continue;
      const j = row.items[q];
      const v = delta * row.scores[q];
      pairs.add(j, v, fresh);
      this.rows[j].add(i, v, fresh);
    }
  }

  /** sim_K of item t: its K largest positive cosines, best first (cached until the next ingest). */
  private neighbours(t: number): Neighbours {
    const cached = this.cache[t];
    if (cached) return cached;
    const { keys, sums } = this.rows[t];
    const norm = Math.sqrt(this.squares[t]);
    for (let h = 0; h < keys.length; h++) {
      if (keys[h] === 0) continue;
      const j = keys[h] - 1;
      const v = cosine(sums[h], norm, Math.sqrt(this.squares[j]));
      if (v > 0) this.heap.offer(0, v, j);
    }
    const index = new Int32Array(this.k);
    const value = new Float64Array(this.k);
    const nb = { index, value, length: this.heap.drain(0, index, value, 0) };
    this.cache[t] = nb;
    return nb;
  }

  private userIndex(id: Id): number {
    const before = this.nUsers;
    const u = this.users.index(id);
    if (u === before) this.actions.push(new ActionRow());
    return u;
  }

  private itemIndex(id: Id): number {
    const before = this.nItems;
    const i = this.items.index(id);
    if (i === before) {
      this.rows.push(new PairRow());
      this.squares.push(0);
      this.support.push(0);
    }
    return i;
  }
}

function checkEvent(e: unknown, r: number, fn: string): void {
  if (e == null || typeof e !== 'object') throw new GroveDataError(`${fn}: event ${r} is not an object`);
  const { user, item, score, time } = e as StreamEvent;
  for (const [what, id] of [['user', user], ['item', item]] as const) {
    if (typeof id === 'number' ? !Number.isFinite(id) : typeof id !== 'string') throw new GroveDataError(`${fn}: event ${r} has ${what} id ${String(id)}; ids must be strings or finite numbers`);
  }
  for (const [what, x] of [['score', score], ['time', time]] as const) {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new GroveDataError(`${fn}: event ${r} has ${what} ${String(x)}; ${what}s must be finite numbers`);
  }
  // float32's range, as Interactions stores scores; it also keeps squares and sums finite
  if (Math.abs(score) > F32_MAX) throw new GroveDataError(`${fn}: event ${r} has score ${score}; scores must be within ±${F32_MAX.toPrecision(5)} (float32's range)`);
}

/** Ids ↔ dense indices in order of first appearance. */
class IdMap {
  readonly map = new Map<Id, number>();
  readonly ids: Id[] = [];

  /** The index of `id`, a new one when unseen. */
  index(id: Id): number {
    let i = this.map.get(id);
    if (i === undefined) {
      i = this.ids.length;
      this.map.set(id, i);
      this.ids.push(id);
    }
    return i;
  }
}

/** One user's action table entries, in order of arrival. */
class ActionRow {
  items = new Uint32Array(4);
  scores = new Float64Array(4);
  times = new Float64Array(4);
  length = 0;

  find(item: number): number {
    for (let q = 0; q < this.length; q++) if (this.items[q] === item) return q;
    return -1;
  }

  /** Appends an entry; returns its place. */
  push(item: number, score: number, time: number): number {
    if (this.length === this.items.length) {
      const cap = 2 * this.length;
      this.items = grow(this.items, new Uint32Array(cap));
      this.scores = grow(this.scores, new Float64Array(cap));
      this.times = grow(this.times, new Float64Array(cap));
    }
    this.items[this.length] = item;
    this.scores[this.length] = score;
    this.times[this.length] = time;
    return this.length++;
  }
}

/**
 * One item's pairs: other item → (Σ products, co-occurrences) in an open-addressing table
 * (Fibonacci hashing, linear probing, at most three quarters full). Entries are never removed,
 * so an empty slot's sum is 0 and a new pair starts from 0 + v, as a batch sum does.
 */
class PairRow {
  keys: Int32Array; // other item + 1; 0 = empty
  sums: Float64Array;
  counts: Uint32Array;
  private size = 0;

  /** Room for `pairs` entries without growing. */
  constructor(pairs = 4) {
    const cap = 2 ** Math.ceil(Math.log2(Math.max(8, (4 / 3) * pairs + 1)));
    this.keys = new Int32Array(cap);
    this.sums = new Float64Array(cap);
    this.counts = new Uint32Array(cap);
  }

  add(j: number, v: number, count: number): void {
    let h = this.slot(j + 1);
    if (this.keys[h] === 0) {
      if (4 * (this.size + 1) > 3 * this.keys.length) {
        this.rehash();
        h = this.slot(j + 1);
      }
      this.keys[h] = j + 1;
      this.size++;
    }
    this.sums[h] += v;
    this.counts[h] += count;
  }

  /** Where `key` is, or the empty slot where it would go. */
  private slot(key: number): number {
    const { keys } = this;
    const mask = keys.length - 1;
    let h = Math.imul(key, 0x9e3779b1) >>> Math.clz32(mask);
    while (keys[h] !== 0 && keys[h] !== key) h = (h + 1) & mask;
    return h;
  }

  private rehash(): void {
    const { keys, sums, counts } = this;
    this.keys = new Int32Array(2 * keys.length);
    this.sums = new Float64Array(2 * keys.length);
    this.counts = new Uint32Array(2 * keys.length);
    for (let h = 0; h < keys.length; h++) {
      if (keys[h] === 0) continue;
      const to = this.slot(keys[h]);
      this.keys[to] = keys[h];
      this.sums[to] = sums[h];
      this.counts[to] = counts[h];
    }
  }
}
