// Weighted quantile sketch (XGBoost's approximate split proposal; Chen & Guestrin 2016, appendix A).
//
// A summary of one feature's multiset of (value x, weight w ≥ 0) is an array of entries with
// strictly ascending f32 values and f64 rank bounds, 32 bytes each:
//   rmin ≤ Σ w of values < x,   rmax ≥ Σ w of values ≤ x,   0 ≤ wmin ≤ Σ w of values = x.
// The first entry is the minimum, the last the maximum, and W = rmax of the last entry. With
// A_i = rmin_i + wmin_i (≤ the rank ≤ x_i) and B_i = rmax_i − wmin_i (≥ the rank < x_i), both
// non-decreasing, a summary is ε-approximate when every entry has rmax − rmin − wmin ≤ εW and
// every neighbouring pair B_{i+1} − A_i ≤ εW (the paper's condition r⁺ − r⁻ − w ≤ εω for every y).
// - exact: sorted block, equal values combined (ε = 0);
// - merge: union of the values, each side's bounds extended to the other's values (ε ≤ the
//   weight-averaged ε of the inputs);
// - prune to b: the first, the last and the answer to each rank query d = kW/b, 0 < k < b
//   (≤ b + 1 entries, ε grows by 1/b);
// - query d: the entry minimising max(B_i − d, d − A_i) — the crossing of a non-decreasing and a
//   non-increasing sequence, found at the first entry with rmin + rmax ≥ 2d or the one before; its
//   value v has rank(< v) ≤ d + εW/2 and rank(≤ v) ≥ d − εW/2 for d in [εW/2, W − εW/2].
// Streaming (tree_sketch_open/push/finish) keeps one block of sort keys and a binary counter of
// pruned summaries (GK-style levels): a full block becomes an exact summary pruned to b, then
// merges upward, pruned after each merge, so level l holds ε ≤ (l + 1)/b and the finished summary
// ε ≤ (levels + 1)/b; `b` is chosen from the caller's ε and the maximum count. All memory is the
// caller's state block, sized by tree_sketch_state_bytes.

import { fail, MAX_BLOCK, STATUS_BAD_ARGUMENT, STATUS_BAD_INPUT, STATUS_TOO_LARGE } from "../common/status";

/**
 * Raw values per block, as a multiple of the pruned summary size b: larger blocks mean fewer
 * merges for more state memory (featureCuts on 1M × 28 at eps 1/256: CPU 0.77 s at 8, 0.62 s at
 * 16, 0.59 s at 32; kernel memory 34, 36, 44 MB).
 */
@inline const BLOCK_FACTOR: i32 = 16;
@inline const MAX_LEVELS: i32 = 40;
@inline const ENTRY: usize = 32;

// entry fields
@inline function rmin(s: usize, i: i32): f64 {
  return load<f64>(s + <usize>i * ENTRY);
}
@inline function rmax(s: usize, i: i32): f64 {
  return load<f64>(s + <usize>i * ENTRY, 8);
}
@inline function wmin(s: usize, i: i32): f64 {
  return load<f64>(s + <usize>i * ENTRY, 16);
}
@inline function value(s: usize, i: i32): f32 {
  return load<f32>(s + <usize>i * ENTRY, 24);
}
@inline function put(s: usize, i: i32, lo: f64, hi: f64, w: f64, v: f32): void {
  let e = s + <usize>i * ENTRY;
  store<f64>(e, lo);
  store<f64>(e, hi, 8);
  store<f64>(e, w, 16);
  store<f32>(e, v, 24);
  store<f32>(e, 0, 28);
}
/** One entry, as two v128 moves (a memory.copy call per entry costs more than the copy). */
@inline function copyEntry(dst: usize, j: i32, src: usize, i: i32): void {
  let from = src + <usize>i * ENTRY;
  let to = dst + <usize>j * ENTRY;
  v128.store(to, v128.load(from));
  v128.store(to, v128.load(from, 16), 16);
}
@inline function total(s: usize, n: i32): f64 {
  return n > 0 ? rmax(s, n - 1) : 0;
}

// ---- sort keys: order-preserving f32 bits in the high half, the f32 weight's bits in the low ----
@inline function keyOf(x: f32, w: f32): u64 {
  if (x == 0) x = 0; // −0 and +0 are one value
  let bits = reinterpret<u32>(x);
  let ordered = bits & 0x80000000 ? ~bits : bits | 0x80000000;
  return (<u64>ordered << 32) | <u64>reinterpret<u32>(w);
}
@inline function valueOf(key: u64): f32 {
  let ordered = <u32>(key >> 32);
  return reinterpret<f32>(ordered & 0x80000000 ? ordered ^ 0x80000000 : ~ordered);
}

/**
 * Writes keys for items [from, to): value `x[row·xStride]` with `row = rows ? rows[i] : i`,
 * weight `w ? w[i·wStride] : 1`; NaN values are skipped. Returns the number written, or
 * STATUS_BAD_INPUT for a negative, infinite or NaN weight (reported as argument `wArg`).
 * Contiguous values and weights go four at a time (15% less time for the exact summary of a
 * contiguous block than one at a time); a group holding a NaN or a bad weight goes one by one.
 */
function gather(x: usize, xStride: i32, rows: usize, from: i32, to: i32, w: usize, wStride: i32, keys: usize, wArg: i32): i32 {
  let simd = !rows && xStride == 1 && (!w || wStride == 1);
  let one = f32x4.splat(1);
  let zero = f32x4.splat(0);
  let inf = f32x4.splat(Infinity);
  let sign = i32x4.splat(0x80000000);
  let m = 0;
  let scalarTo = from; // items before this go one by one
  let i = from;
  while (i < to) {
    if (simd && i >= scalarTo && i + 4 <= to) {
      let v = v128.load(x + (<usize>i << 2));
      let wt = w ? v128.load(w + (<usize>i << 2)) : one;
      let ok = v128.and(v128.and(f32x4.ge(wt, zero), f32x4.lt(wt, inf)), f32x4.eq(v, v));
      if (i32x4.all_true(ok)) {
        v = v128.bitselect(zero, v, f32x4.eq(v, zero)); // −0 → +0
        let ordered = v128.xor(v, v128.or(i32x4.shr_s(v, 31), sign)); // as keyOf
        let at = keys + (<usize>m << 3);
        v128.store(at, i32x4.shuffle(wt, ordered, 0, 4, 1, 5));
        v128.store(at, i32x4.shuffle(wt, ordered, 2, 6, 3, 7), 16);
        m += 4;
        i += 4;
        continue;
      }
      scalarTo = i + 4;
    }
    let row = rows ? load<i32>(rows + (<usize>i << 2)) : i;
    let v = load<f32>(x + ((<usize>row * <usize>xStride) << 2));
    let wt: f32 = w ? load<f32>(w + ((<usize>i * <usize>wStride) << 2)) : 1;
    if (!(wt >= 0 && wt < Infinity)) return fail(STATUS_BAD_INPUT, wArg, wt);
    if (!isNaN(v)) {
      store<u64>(keys + (<usize>m << 3), keyOf(v, wt));
      m++;
    }
    i++;
  }
  return m;
}

// LSD radix sort of the keys by their high 32 bits, DIGIT bits a pass. It replaces the
// quicksort of common/sort.ts here: with it sorting took 70% of featureCuts on 1M × 28 values,
// and the whole call 2.25 s instead of 1.24 s (11-bit digits beat 8-bit ones by 10%).
@inline const DIGIT: i32 = 11;
@inline const PASSES: i32 = (32 + DIGIT - 1) / DIGIT;
@inline const BUCKETS: i32 = 1 << DIGIT;
const counts = memory.data(PASSES * BUCKETS * 4);

/** Sorts `m` keys at `keys` using `spare` (as large); returns where the sorted keys are. */
function radixSort(keys: usize, spare: usize, m: i32): usize {
  memory.fill(counts, 0, PASSES * BUCKETS * 4);
  for (let i = 0; i < m; i++) {
    let h = <u32>(load<u64>(keys + (<usize>i << 3)) >> 32);
    for (let d = 0; d < PASSES; d++) {
      let at = counts + (<usize>(d * BUCKETS) << 2) + (<usize>((h >> (d * DIGIT)) & (BUCKETS - 1)) << 2);
      store<i32>(at, load<i32>(at) + 1);
    }
  }
  let src = keys;
  let dst = spare;
  for (let d = 0; d < PASSES; d++) {
    let c = counts + (<usize>(d * BUCKETS) << 2);
    // a digit every key shares leaves the order as it is
    let skip = false;
    let sum = 0;
    for (let b = 0; b < BUCKETS; b++) {
      let n = load<i32>(c + (<usize>b << 2));
      if (n == m) skip = true;
      store<i32>(c + (<usize>b << 2), sum);
      sum += n;
    }
    if (skip) continue;
    let shift = <u64>(32 + d * DIGIT);
    for (let i = 0; i < m; i++) {
      let key = load<u64>(src + (<usize>i << 3));
      let at = c + (<usize>(<u32>(key >> shift) & (BUCKETS - 1)) << 2);
      let pos = load<i32>(at);
      store<i32>(at, pos + 1);
      store<u64>(dst + (<usize>pos << 3), key);
    }
    let t = src;
    src = dst;
    dst = t;
  }
  return src;
}

/** The weight in a sort key's low half. */
@inline function weightOf(keys: usize, i: i32): f64 {
  return <f64>reinterpret<f32>(<u32>load<u64>(keys + (<usize>i << 3)));
}
@inline function highOf(keys: usize, i: i32): u64 {
  return load<u64>(keys + (<usize>i << 3)) >> 32;
}

/** Whether the last summarise dropped entries (its data had more than b + 1 values). */
let dropped = false;

/**
 * Sorts `m` keys (with `spare` room for as many) and writes their summary pruned to b to `out`:
 * the exact summary when it has at most b + 1 entries, else the entries tree_sketch_prune would
 * keep of it, picked on the fly instead of writing the whole exact summary first.
 */
function summarise(keys: usize, spare: usize, m: i32, b: i32, out: usize): i32 {
  keys = radixSort(keys, spare, m);
  // the total weight, summed in the order of the second pass so W is that pass's last rmax
  let w: f64 = 0;
  let distinct = 0;
  for (let i = 0; i < m; ) {
    let hi = highOf(keys, i);
    let sum: f64 = 0;
    do sum += weightOf(keys, i++);
    while (i < m && highOf(keys, i) == hi);
    w += sum;
    distinct++;
  }
  dropped = distinct - 1 > b;
  let k = 0;
  let r: f64 = 0;
  let idx = 0; // of the current distinct value
  let last = 0; // latest index kept
  let q = 1; // next rank query k·W/b
  let prevR: f64 = 0;
  let prevSum: f64 = 0;
  let prevV: f32 = 0;
  for (let i = 0; i < m; idx++) {
    let hi = highOf(keys, i);
    let sum: f64 = 0;
    do sum += weightOf(keys, i++);
    while (i < m && highOf(keys, i) == hi);
    let v = valueOf(hi << 32);
    if (!dropped || idx == 0) put(out, k++, r, r + sum, sum, v);
    else {
      // the queries whose crossing (tree_sketch_prune) is this entry: all the rest at the last
      let end = i >= m;
      let top = r + sum;
      while (q < b) {
        let twoD = (2 * w * <f64>q) / <f64>b;
        if (!end && r + top < twoD) break;
        let c = twoD < prevR + prevSum + top - sum ? idx - 1 : idx;
        if (c > last) {
          if (c == idx) put(out, k++, r, top, sum, v);
          else put(out, k++, prevR, prevR + prevSum, prevSum, prevV);
          last = c;
        }
        q++;
      }
      if (end && last < idx) put(out, k++, r, top, sum, v);
    }
    prevR = r;
    prevSum = sum;
    prevV = v;
    r += sum;
  }
  return k;
}

/**
 * Exact summary of n items (addressing as in tree_sketch_push) into `out` (room for n entries),
 * using `keys` (16·n bytes) as scratch. Returns the entry count or a negative status.
 */
export function tree_sketch_exact(x: usize, xStride: i32, rows: usize, n: i32, w: usize, wStride: i32, keys: usize, out: usize): i32 {
  let m = gather(x, xStride, rows, 0, n, w, wStride, keys, 4);
  return m < 0 ? m : summarise(keys, keys + (<usize>n << 3), m, i32.MAX_VALUE, out);
}

/** Summary of the union of summaries a (na entries) and b (nb) into `out` (room for na + nb). */
export function tree_sketch_merge(a: usize, na: i32, b: usize, nb: i32, out: usize): i32 {
  let wa = total(a, na);
  let wb = total(b, nb);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < na || j < nb) {
    let takeA = j >= nb || (i < na && value(a, i) <= value(b, j));
    let takeB = i >= na || (j < nb && value(b, j) <= value(a, i));
    if (takeA && takeB) {
      put(out, k, rmin(a, i) + rmin(b, j), rmax(a, i) + rmax(b, j), wmin(a, i) + wmin(b, j), value(a, i));
      i++;
      j++;
    } else if (takeA) {
      // b's bounds at a value strictly between its entries j − 1 and j
      let lo = j > 0 ? rmin(b, j - 1) + wmin(b, j - 1) : 0;
      let hi = j < nb ? rmax(b, j) - wmin(b, j) : wb;
      put(out, k, rmin(a, i) + lo, rmax(a, i) + hi, wmin(a, i), value(a, i));
      i++;
    } else {
      let lo = i > 0 ? rmin(a, i - 1) + wmin(a, i - 1) : 0;
      let hi = i < na ? rmax(a, i) - wmin(a, i) : wa;
      put(out, k, rmin(b, j) + lo, rmax(b, j) + hi, wmin(b, j), value(b, j));
      j++;
    }
    k++;
  }
  return k;
}

// ---- rank queries; a sweep over increasing d reuses the position of the previous answer ----

/** The first entry at or after `p` with rmin + rmax ≥ 2d (n − 1 when none). */
@inline function crossing(s: usize, n: i32, p: i32, twoD: f64): i32 {
  while (p < n - 1 && rmin(s, p) + rmax(s, p) < twoD) p++;
  return p;
}
/** The query answer given the crossing p: p − 1 when its distance d − A is the smaller one. */
@inline function answer(s: usize, p: i32, twoD: f64): i32 {
  return p > 0 && twoD < rmin(s, p - 1) + wmin(s, p - 1) + rmax(s, p) - wmin(s, p) ? p - 1 : p;
}

/** Index of the entry answering rank `d` (−1 for an empty summary). */
export function tree_sketch_query(s: usize, n: i32, d: f64): i32 {
  if (n <= 0) return -1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    let mid = (lo + hi) >>> 1;
    if (rmin(s, mid) + rmax(s, mid) < 2 * d) lo = mid + 1;
    else hi = mid;
  }
  return answer(s, lo, 2 * d);
}

/** At most b + 1 entries of s (n entries) into `out` (b ≥ 1): first, last and the k·W/b answers. */
export function tree_sketch_prune(s: usize, n: i32, b: i32, out: usize): i32 {
  if (b < 1) return fail(STATUS_BAD_ARGUMENT, 2, b);
  if (n <= b + 1) {
    memory.copy(out, s, <usize>n * ENTRY);
    return n;
  }
  let w = total(s, n);
  copyEntry(out, 0, s, 0);
  let k = 1;
  let last = 0;
  let p = 0;
  for (let q = 1; q < b; q++) {
    let twoD = (2 * w * <f64>q) / <f64>b;
    p = crossing(s, n, p, twoD);
    let c = answer(s, p, twoD);
    if (c > last) {
      copyEntry(out, k++, s, c);
      last = c;
    }
  }
  if (last < n - 1) copyEntry(out, k++, s, n - 1);
  return k;
}

/**
 * Split thresholds for at most `maxBin` bins into `out` (f32, room for maxBin − 1): every value
 * but the minimum when there are at most maxBin, else the distinct answers to ranks k·W/maxBin,
 * 0 < k < maxBin, except the minimum. Returns their count.
 */
export function tree_sketch_cuts(s: usize, n: i32, maxBin: i32, out: usize): i32 {
  if (maxBin < 1) return fail(STATUS_BAD_ARGUMENT, 2, maxBin);
  let w = total(s, n);
  if (n <= maxBin && w > 0) {
    for (let i = 1; i < n; i++) store<f32>(out + (<usize>(i - 1) << 2), value(s, i));
    return n - 1;
  }
  let k = 0;
  let last = 0;
  let p = 0;
  for (let q = 1; q < maxBin && n > 1; q++) {
    let twoD = (2 * w * <f64>q) / <f64>maxBin;
    p = crossing(s, n, p, twoD);
    let c = answer(s, p, twoD);
    if (c > last) {
      store<f32>(out + (<usize>k << 2), value(s, c));
      k++;
      last = c;
    }
  }
  return k;
}

// ---- streaming state: a header, the block's keys and their radix spare, a merge output
// (2b + 2 entries), the carry (b + 1) and the levels (b + 1 each) ----
@inline const H_B: usize = 0; // i32 b: summaries are pruned to b + 1 entries
@inline const H_BLOCK: usize = 4; // i32 keys per block
@inline const H_LEVELS: usize = 8; // i32 number of levels
@inline const H_FILL: usize = 12; // i32 keys in the current block
@inline const H_PUSHED: usize = 16; // i64 items pushed so far
@inline const H_MAX: usize = 24; // i64 items allowed
@inline const H_EPS: usize = 32; // f64 error bound of the last finished summary
@inline const H_SIZE: usize = 48; // i32[MAX_LEVELS] entries per level, then f64[MAX_LEVELS] bounds
@inline const H_LEVEL_EPS: usize = H_SIZE + (<usize>MAX_LEVELS << 2);
@inline const HEADER: usize = H_LEVEL_EPS + (<usize>MAX_LEVELS << 3);

// plan for (nMax, eps), filled by plan() when its state fits one heap block
let planB: i32 = 0;
let planBlock: i32 = 0;
let planLevels: i32 = 0;

/**
 * The fewest levels L whose b = ⌈(L + 1)/eps⌉ and blocks of BLOCK_FACTOR·b keys cover nMax items
 * (2^L − 1 blocks); b and the block are capped by nMax (then nothing is ever pruned). Returns the
 * state's size in bytes.
 */
function plan(nMax: i32, eps: f64): f64 {
  let n = max(nMax, 1);
  let levels = 1;
  let b: f64 = 0;
  while (true) {
    b = Math.ceil(<f64>(levels + 1) / eps);
    let blocks = Math.ceil(<f64>n / (b * BLOCK_FACTOR));
    if (blocks <= Math.pow(2, levels) - 1 || levels == MAX_LEVELS) break;
    levels++;
  }
  b = min(b, <f64>n);
  let block = Math.ceil(min(b * BLOCK_FACTOR, <f64>n) / 2) * 2; // even: what follows stays 16-byte aligned
  let bytes = <f64>HEADER + 16 * block + <f64>ENTRY * (<f64>(levels + 3) * (b + 1));
  if (bytes < <f64>MAX_BLOCK) {
    planB = <i32>b;
    planBlock = <i32>block;
    planLevels = levels;
  }
  return bytes;
}

@inline function keysOf(state: usize): usize {
  return state + HEADER;
}
@inline function spareOf(state: usize): usize {
  return keysOf(state) + (<usize>load<i32>(state, H_BLOCK) << 3);
}
@inline function tmpOf(state: usize): usize {
  return keysOf(state) + (<usize>load<i32>(state, H_BLOCK) << 4);
}
@inline function carryOf(state: usize): usize {
  return tmpOf(state) + <usize>(2 * load<i32>(state, H_B) + 2) * ENTRY;
}
@inline function levelOf(state: usize, l: i32): usize {
  let size = <usize>(load<i32>(state, H_B) + 1) * ENTRY;
  return carryOf(state) + size + <usize>l * size;
}
@inline function levelSize(state: usize, l: i32): i32 {
  return load<i32>(state + H_SIZE + (<usize>l << 2));
}
@inline function setLevel(state: usize, l: i32, n: i32, eps: f64): void {
  store<i32>(state + H_SIZE + (<usize>l << 2), n);
  store<f64>(state + H_LEVEL_EPS + (<usize>l << 3), eps);
}
@inline function levelEps(state: usize, l: i32): f64 {
  return load<f64>(state + H_LEVEL_EPS + (<usize>l << 3));
}
/** The bound of a merge: the weight-averaged bounds of its inputs. */
@inline function mergedEps(ea: f64, wa: f64, eb: f64, wb: f64): f64 {
  return wa + wb > 0 ? (ea * wa + eb * wb) / (wa + wb) : max(ea, eb);
}

/** Bytes of state for up to nMax items at error eps (0 < eps < 1), or −1 when over one heap block. */
export function tree_sketch_state_bytes(nMax: i32, eps: f64): f64 {
  if (nMax < 0 || !(eps > 0 && eps < 1)) return -1;
  let bytes = plan(nMax, eps);
  return bytes < <f64>MAX_BLOCK ? bytes : -1;
}

/** Starts an empty sketch in `state`; returns the finished summary's capacity (b + 1 entries). */
export function tree_sketch_open(state: usize, nMax: i32, eps: f64): i32 {
  if (nMax < 0) return fail(STATUS_BAD_ARGUMENT, 1, nMax);
  if (!(eps > 0 && eps < 1)) return fail(STATUS_BAD_ARGUMENT, 2, eps);
  let bytes = plan(nMax, eps);
  if (bytes >= <f64>MAX_BLOCK) return fail(STATUS_TOO_LARGE, 0, bytes);
  memory.fill(state, 0, HEADER);
  store<i32>(state, planB, H_B);
  store<i32>(state, planBlock, H_BLOCK);
  store<i32>(state, planLevels, H_LEVELS);
  store<i64>(state, nMax, H_MAX);
  return planB + 1;
}

/** Turns the block's keys into a summary (pruned to b) and carries it up the levels. */
function flush(state: usize): i32 {
  let b = load<i32>(state, H_B);
  let tmp = tmpOf(state);
  let carry = carryOf(state);
  let n = summarise(keysOf(state), spareOf(state), load<i32>(state, H_FILL), b, carry);
  let eps: f64 = dropped ? 1 / <f64>b : 0;
  store<i32>(state, 0, H_FILL);
  let levels = load<i32>(state, H_LEVELS);
  for (let l = 0; l < levels; l++) {
    let size = levelSize(state, l);
    let level = levelOf(state, l);
    if (size == 0) {
      memory.copy(level, carry, <usize>n * ENTRY);
      setLevel(state, l, n, eps);
      return 0;
    }
    let m = tree_sketch_merge(level, size, carry, n, tmp);
    eps = mergedEps(levelEps(state, l), total(level, size), eps, total(carry, n));
    n = tree_sketch_prune(tmp, m, b, carry);
    if (m > b + 1) eps += 1 / <f64>b;
    setLevel(state, l, 0, 0);
  }
  // only reachable when more than nMax items were pushed, which tree_sketch_push refuses
  return fail(STATUS_TOO_LARGE, 0, <f64>load<i64>(state, H_PUSHED));
}

/**
 * Adds n items: value `x[row·xStride]` (f32) with `row = rows ? rows[i] : i` (i32 row ids), and
 * weight `w ? w[i·wStride] : 1` (f32, by position i, so a node's contiguous hessians pair with its
 * row ids). NaN values are skipped (missing); weights must be finite and ≥ 0.
 */
export function tree_sketch_push(state: usize, x: usize, xStride: i32, rows: usize, n: i32, w: usize, wStride: i32): i32 {
  let pushed = load<i64>(state, H_PUSHED) + n;
  if (n < 0 || pushed > load<i64>(state, H_MAX)) return fail(STATUS_BAD_ARGUMENT, 4, n);
  store<i64>(state, pushed, H_PUSHED);
  let block = load<i32>(state, H_BLOCK);
  let i = 0;
  while (i < n) {
    let fill = load<i32>(state, H_FILL);
    let to = min(n, i + block - fill);
    let m = gather(x, xStride, rows, i, to, w, wStride, keysOf(state) + (<usize>fill << 3), 5);
    if (m < 0) return m;
    store<i32>(state, fill + m, H_FILL);
    if (fill + m == block) {
      let status = flush(state);
      if (status < 0) return status;
    }
    i = to;
  }
  return 0;
}

/**
 * Writes the summary of everything pushed so far to `out` (room for the capacity
 * tree_sketch_open returned); returns its entry count. Its error bound is tree_sketch_bound.
 */
export function tree_sketch_finish(state: usize, out: usize): i32 {
  if (load<i32>(state, H_FILL) > 0) {
    let status = flush(state);
    if (status < 0) return status;
  }
  let b = load<i32>(state, H_B);
  let tmp = tmpOf(state);
  let carry = carryOf(state);
  let acc: usize = 0;
  let n = 0;
  let eps: f64 = 0;
  for (let l = 0; l < load<i32>(state, H_LEVELS); l++) {
    let size = levelSize(state, l);
    if (size == 0) continue;
    let level = levelOf(state, l);
    if (!acc) {
      acc = level;
      n = size;
      eps = levelEps(state, l);
      continue;
    }
    let m = tree_sketch_merge(acc, n, level, size, tmp);
    eps = mergedEps(eps, total(acc, n), levelEps(state, l), total(level, size));
    n = tree_sketch_prune(tmp, m, b, carry);
    if (m > b + 1) eps += 1 / <f64>b;
    acc = carry;
  }
  if (n > 0) memory.copy(out, acc, <usize>n * ENTRY);
  store<f64>(state, eps, H_EPS);
  return n;
}

/** The error bound ε of the summary the last tree_sketch_finish wrote. */
export function tree_sketch_bound(state: usize): f64 {
  return load<f64>(state, H_EPS);
}
