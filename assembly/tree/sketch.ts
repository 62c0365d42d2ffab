// Weighted quantile sketch, built the way XGBoost 1.7 builds its cut points, so that `hist` and
// `approx` split on the same thresholds as XGBoost (Chen & Guestrin 2016, appendix A; XGBoost
// 1.7.4 src/common/quantile.{h,cc}: WQSummary, WXQSummary, QuantileSketchTemplate,
// SortedQuantile, SketchContainerImpl::MakeCuts).
//
// A summary of one feature's multiset of (value x, weight w ≥ 0) is an array of 16-byte entries
// {rmin, rmax, wmin, value}, all f32 (XGBoost's rank type is float; every sum below is rounded to
// f32 in XGBoost's order, which is what makes the cuts bit-identical), values strictly ascending:
//   rmin ≤ Σ w of values < x,   rmax ≥ Σ w of values ≤ x,   0 ≤ wmin ≤ Σ w of values = x.
// - exact: sorted, equal values combined;
// - combine: union of the values, each side's bounds extended to the other's values, then
//   monotonicity re-established (XGBoost's SetCombine + FixError);
// - prune to `maxsize`: the first, the last and the answers to rank queries spaced evenly over
//   [rmax₀, rmin_last] (WQSummary::SetPrune); the `approx` variant first keeps every entry heavier
//   than two query spacings (WXQSummary::SetPrune).
// Streaming (tree_sketch_open/push/finish) is QuantileSketchTemplate: a queue of 2·limit runs of
// equal consecutive values; a full queue is sorted into an exact summary and carried up a binary
// counter of levels, pruned to `limit` entries, with limit from LimitSizeLevel(nMax, eps).
// `approx` (SortedQuantile) walks a column sorted by value instead, keeping the values where the
// cumulative weight (f64) first reaches k·W/maxBin.
// Cut rules (MakeCuts): prune to min(8·maxBin, n) then to maxBin + 1 entries; the cuts are the
// entries 1 … min(size, maxBin) − 1 (the minimum and, when pruned to maxBin + 1, the maximum are
// not thresholds).
// Where this may still differ from XGBoost by a rounding: −0 is stored as +0 (the same split);
// `approx` sums tied values' weights in row order where XGBoost's unstable sort of the column
// decides (f64 sums of f32 weights, exact while a tie's weights lie within about 2^19 of each other).
// Every function writes its result to caller memory and allocates nothing.

import { fail, MAX_BLOCK, STATUS_BAD_ARGUMENT, STATUS_BAD_INPUT, STATUS_TOO_LARGE } from "../common/status";

@inline const ENTRY: usize = 16;
/** XGBoost's WQSketch::kFactor: intermediate summaries keep 8 entries per bin. */
@inline const FACTOR: i32 = 8;

// entry fields
@inline function at(s: usize, i: i32): usize {
  return s + (<usize>i << 4);
}
@inline function rmin(s: usize, i: i32): f32 {
  return load<f32>(at(s, i));
}
@inline function rmax(s: usize, i: i32): f32 {
  return load<f32>(at(s, i), 4);
}
@inline function wmin(s: usize, i: i32): f32 {
  return load<f32>(at(s, i), 8);
}
@inline function value(s: usize, i: i32): f32 {
  return load<f32>(at(s, i), 12);
}
/** rmin of a value just above entry i. */
@inline function rminNext(s: usize, i: i32): f32 {
  return rmin(s, i) + wmin(s, i);
}
/** rmax of a value just below entry i. */
@inline function rmaxPrev(s: usize, i: i32): f32 {
  return rmax(s, i) - wmin(s, i);
}
@inline function put(s: usize, i: i32, lo: f32, hi: f32, w: f32, v: f32): void {
  let e = at(s, i);
  store<f32>(e, lo);
  store<f32>(e, hi, 4);
  store<f32>(e, w, 8);
  store<f32>(e, v, 12);
}
@inline function copyEntry(dst: usize, j: i32, src: usize, i: i32): void {
  v128.store(at(dst, j), v128.load(at(src, i)));
}
@inline function total(s: usize, n: i32): f64 {
  return n > 0 ? <f64>rmax(s, n - 1) : 0;
}

// ---- summary operations ----

/** WQSummary::SetPrune of src (n entries) to at most maxsize (≥ 2) entries into `out`. */
function prune(src: usize, n: i32, maxsize: i32, out: usize): i32 {
  if (n <= maxsize) {
    memory.copy(out, src, <usize>n << 4);
    return n;
  }
  let begin = rmax(src, 0);
  let range = rmin(src, n - 1) - begin;
  let steps = maxsize - 1;
  copyEntry(out, 0, src, 0);
  let size = 1;
  let i = 1;
  let last = 0;
  for (let k = 1; k < steps; k++) {
    let dx2: f32 = 2 * ((<f32>k * range) / <f32>steps + begin);
    while (i < n - 1 && dx2 >= rmax(src, i + 1) + rmin(src, i + 1)) i++;
    if (i == n - 1) break;
    let pick = dx2 < rminNext(src, i) + rmaxPrev(src, i + 1) ? i : i + 1;
    if (pick != last) {
      copyEntry(out, size++, src, pick);
      last = pick;
    }
  }
  if (last != n - 1) copyEntry(out, size++, src, n - 1);
  return size;
}

/** Whether entry i holds more than `chunk` weight of its own (WXQSummary::CheckLarge). */
@inline function large(s: usize, i: i32, chunk: f32): bool {
  return rminNext(s, i) > rmaxPrev(s, i) + chunk;
}

/**
 * WXQSummary::SetPrune: as prune, but entries heavier than 2·range/(maxsize − 2) are all kept
 * and the queries spread over the weight between them.
 */
function pruneLarge(src: usize, n: i32, maxsize: i32, out: usize): i32 {
  if (n <= maxsize) {
    memory.copy(out, src, <usize>n << 4);
    return n;
  }
  let begin = rmax(src, 0);
  let steps = maxsize - 2;
  let range = rmin(src, n - 1) - begin;
  if (range == 0 || maxsize <= 2) {
    copyEntry(out, 0, src, 0);
    copyEntry(out, 1, src, n - 1);
    return 2;
  }
  range = max<f32>(range, 1e-3);
  let chunk: f32 = (2 * range) / <f32>steps;
  let mrange: f32 = 0;
  let nbig = 0;
  let bid = 0;
  for (let i = 1; i < n - 1; i++) {
    if (large(src, i, chunk)) {
      if (bid != i - 1) mrange += rmaxPrev(src, i) - rminNext(src, bid);
      bid = i;
      nbig++;
    }
  }
  if (bid != n - 2) mrange += rmaxPrev(src, n - 1) - rminNext(src, bid);
  // fewer than `steps` large entries: each holds > 2/steps of the range
  steps -= nbig;
  copyEntry(out, 0, src, 0);
  let size = 1;
  let k = 1;
  let last = 0;
  bid = 0;
  for (let end = 1; end < n; end++) {
    if (end != n - 1 && !large(src, end, chunk)) continue;
    if (bid != end - 1) {
      let i = bid;
      let maxdx2: f32 = rmaxPrev(src, end) * 2;
      for (; k < steps; k++) {
        let dx2: f32 = 2 * ((<f32>k * mrange) / <f32>steps + begin);
        if (dx2 >= maxdx2) break;
        while (i < end && dx2 >= rmax(src, i + 1) + rmin(src, i + 1)) i++;
        if (i == end) break;
        let pick = dx2 < rminNext(src, i) + rmaxPrev(src, i + 1) ? i : i + 1;
        if (pick != last) {
          copyEntry(out, size++, src, pick);
          last = pick;
        }
      }
    }
    if (last != end) {
      copyEntry(out, size++, src, end);
      last = end;
    }
    bid = end;
    begin += rminNext(src, bid) - rmaxPrev(src, bid);
  }
  return size;
}

/** WQSummary::SetCombine of a (na entries) and b (nb) into `out` (room for na + nb). */
function combine(a: usize, na: i32, b: usize, nb: i32, out: usize): i32 {
  if (na == 0 || nb == 0) {
    memory.copy(out, na == 0 ? b : a, <usize>(na + nb) << 4);
    return na + nb;
  }
  let i = 0;
  let j = 0;
  let k = 0;
  let aPrev: f32 = 0; // rmin just above a's last entry taken
  let bPrev: f32 = 0;
  while (i < na && j < nb) {
    let va = value(a, i);
    let vb = value(b, j);
    if (va == vb) {
      put(out, k++, rmin(a, i) + rmin(b, j), rmax(a, i) + rmax(b, j), wmin(a, i) + wmin(b, j), va);
      aPrev = rminNext(a, i++);
      bPrev = rminNext(b, j++);
    } else if (va < vb) {
      put(out, k++, rmin(a, i) + bPrev, rmax(a, i) + rmaxPrev(b, j), wmin(a, i), va);
      aPrev = rminNext(a, i++);
    } else {
      put(out, k++, rmin(b, j) + aPrev, rmax(b, j) + rmaxPrev(a, i), wmin(b, j), vb);
      bPrev = rminNext(b, j++);
    }
  }
  let bTop = rmax(b, nb - 1);
  for (; i < na; i++) put(out, k++, rmin(a, i) + bPrev, rmax(a, i) + bTop, wmin(a, i), value(a, i));
  let aTop = rmax(a, na - 1);
  for (; j < nb; j++) put(out, k++, rmin(b, j) + aPrev, rmax(b, j) + aTop, wmin(b, j), value(b, j));
  // FixError: rounding may break monotonicity of rmin and rmax, and rmax ≥ rmin + wmin
  let lo: f32 = 0;
  let hi: f32 = 0;
  for (let e = 0; e < k; e++) {
    let p = at(out, e);
    if (rmin(out, e) < lo) store<f32>(p, lo);
    else lo = rmin(out, e);
    if (rmax(out, e) < hi) store<f32>(p, hi, 4);
    let next = rminNext(out, e);
    if (rmax(out, e) < next) store<f32>(p, next, 4);
    hi = rmax(out, e);
  }
  return k;
}

/**
 * The cuts of a final summary s (n entries) for maxBin bins into `out`, pruned by `pruneFn`'s
 * rule (0: prune, 1: pruneLarge): to min(8·maxBin, n) entries, then maxBin + 1, then entries
 * 1 … min(size, maxBin) − 1. `out` has room for 9·maxBin + 1 entries (scratch); the cuts are
 * written at its start as f32. Returns their count.
 */
function cutsOf(s: usize, n: i32, maxBin: i32, variant: i32, out: usize): i32 {
  let a = out;
  let b = at(out, FACTOR * maxBin);
  let na = variant ? pruneLarge(s, n, FACTOR * maxBin, a) : prune(s, n, FACTOR * maxBin, a);
  let nb = variant ? pruneLarge(a, na, maxBin + 1, b) : prune(a, na, maxBin + 1, b);
  let count = min(nb, maxBin) - 1;
  for (let i = 0; i < count; i++) store<f32>(out + (<usize>i << 2), value(b, i + 1));
  return max(count, 0);
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
@inline function weightOf(key: u64): f32 {
  return reinterpret<f32>(<u32>key);
}
@inline function key(keys: usize, i: i32): u64 {
  return load<u64>(keys + (<usize>i << 3));
}
@inline function setKey(keys: usize, i: i32, k: u64): void {
  store<u64>(keys + (<usize>i << 3), k);
}
@inline function less(a: u64, b: u64): bool {
  return a >> 32 < b >> 32;
}

/** 0, or the failure status for maxBin (argument `at`) or maxBinMissing (`at` + 1) below 1. */
@inline function binArgs(maxBin: i32, maxBinMissing: i32, at: i32): i32 {
  if (maxBin < 1) return fail(STATUS_BAD_ARGUMENT, at, maxBin);
  if (maxBinMissing < 1) return fail(STATUS_BAD_ARGUMENT, at + 1, maxBinMissing);
  return 0;
}

/**
 * A tree's row weights by row id for tree_sketch_block_cuts: `out[r]` (f32, n entries) = the
 * weight of the tree's i-th row r = `rows[i]` (i < ns), −1 for a row not in the tree. The
 * weights are `w[j·wStride]`, j = r when `byRow`, else j = i (by position). Returns 0, or a
 * negative status for a negative or non-finite weight.
 */
export function tree_sketch_row_weights(rows: usize, ns: i32, w: usize, wStride: i32, byRow: bool, n: i32, out: usize): i32 {
  for (let r = 0; r < n; r++) store<f32>(out + (<usize>r << 2), -1);
  for (let i = 0; i < ns; i++) {
    let r = load<i32>(rows + (<usize>i << 2));
    let wt = load<f32>(w + ((<usize>(byRow ? r : i) * <usize>wStride) << 2));
    if (badWeight(wt)) return fail(STATUS_BAD_INPUT, 2, wt);
    store<f32>(out + (<usize>r << 2), wt);
  }
  return 0;
}

/**
 * tree_sketch_sorted_cuts of one column for the rows of a tree, from its block sorted once
 * (tree_column_blocks: values `vals` and row ids `rows` at [from, to), ascending by value, then
 * by row; −0 as +0): the rows with a weight `wById[r]` ≥ 0 (tree_sketch_row_weights), `ns` of
 * them in all. Their keys come out of the block already in the order the radix sort of the
 * tree's rows (ascending ids) would put them, so the cuts are the same bit for bit, without a
 * sort per tree. `keys`: 8·(to − from) bytes.
 */
export function tree_sketch_block_cuts(
  vals: usize, rows: usize, from: i32, to: i32, wById: usize, ns: i32, maxBin: i32, maxBinMissing: i32, keys: usize, out: usize,
): i32 {
  let bad = binArgs(maxBin, maxBinMissing, 7);
  if (bad < 0) return bad;
  let m = 0;
  for (let p = from; p < to; p++) {
    let w = load<f32>(wById + (<usize>load<i32>(rows + (<usize>p << 2)) << 2));
    if (w < 0) continue;
    setKey(keys, m++, keyOf(load<f32>(vals + (<usize>p << 2)), w));
  }
  return sortedCuts(keys, m, m < ns ? maxBinMissing : maxBin, out);
}

// LSD radix sort of the keys by their high 32 bits, DIGIT bits a pass (11-bit digits beat 8-bit
// ones by 10%; the quicksort of common/sort.ts took 70% of the time of a 1M × 28 sketch).
@inline const DIGIT: i32 = 11;
@inline const PASSES: i32 = (32 + DIGIT - 1) / DIGIT;
@inline const BUCKETS: i32 = 1 << DIGIT;
const counts = memory.data(PASSES * BUCKETS * 4);

/** Sorts `m` keys at `keys` stably using `spare` (as large); returns where the sorted keys are. */
function radixSort(keys: usize, spare: usize, m: i32): usize {
  memory.fill(counts, 0, PASSES * BUCKETS * 4);
  for (let i = 0; i < m; i++) {
    let h = <u32>(key(keys, i) >> 32);
    for (let d = 0; d < PASSES; d++) {
      let c = counts + (<usize>(d * BUCKETS) << 2) + (<usize>((h >> (d * DIGIT)) & (BUCKETS - 1)) << 2);
      store<i32>(c, load<i32>(c) + 1);
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
      let k = key(src, i);
      let slot = c + (<usize>(<u32>(k >> shift) & (BUCKETS - 1)) << 2);
      let pos = load<i32>(slot);
      store<i32>(slot, pos + 1);
      setKey(dst, pos, k);
    }
    let t = src;
    src = dst;
    dst = t;
  }
  return src;
}

// std::sort as libstdc++ implements it (introsort: median of three moved to the front,
// unguarded partition, heapsort past depth 2·⌊log₂ n⌋, one insertion sort pass at the end). Equal
// values end in the order it leaves them, and XGBoost sums their f32 weights in that order, so
// weighted sketches sort with it to match XGBoost bit for bit.
@inline const INSERTION: i32 = 16;

function siftDown(keys: usize, hole: i32, len: i32, k: u64): void {
  let top = hole;
  let child = hole;
  while (child < (len - 1) / 2) {
    child = 2 * (child + 1);
    if (less(key(keys, child), key(keys, child - 1))) child--;
    setKey(keys, hole, key(keys, child));
    hole = child;
  }
  if ((len & 1) == 0 && child == (len - 2) / 2) {
    child = 2 * (child + 1);
    setKey(keys, hole, key(keys, child - 1));
    hole = child - 1;
  }
  let parent = (hole - 1) / 2;
  while (hole > top && less(key(keys, parent), k)) {
    setKey(keys, hole, key(keys, parent));
    hole = parent;
    parent = (hole - 1) / 2;
  }
  setKey(keys, hole, k);
}

function heapSort(keys: usize, len: i32): void {
  for (let parent = (len - 2) / 2; parent >= 0; parent--) siftDown(keys, parent, len, key(keys, parent));
  for (let end = len - 1; end > 0; end--) {
    let k = key(keys, end);
    setKey(keys, end, key(keys, 0));
    siftDown(keys, 0, end, k);
  }
}

@inline function swap(keys: usize, i: i32, j: i32): void {
  let t = key(keys, i);
  setKey(keys, i, key(keys, j));
  setKey(keys, j, t);
}

function introsort(keys: usize, first: i32, last: i32, depth: i32): void {
  while (last - first > INSERTION) {
    if (depth == 0) {
      heapSort(keys + (<usize>first << 3), last - first);
      return;
    }
    depth--;
    let a = first + 1;
    let b = first + (last - first) / 2;
    let c = last - 1;
    let ka = key(keys, a);
    let kb = key(keys, b);
    let kc = key(keys, c);
    let median = less(ka, kb) ? (less(kb, kc) ? b : less(ka, kc) ? c : a) : less(ka, kc) ? a : less(kb, kc) ? c : b;
    swap(keys, first, median);
    let pivot = key(keys, first);
    let lo = first + 1;
    let hi = last;
    while (true) {
      while (less(key(keys, lo), pivot)) lo++;
      hi--;
      while (less(pivot, key(keys, hi))) hi--;
      if (lo >= hi) break;
      swap(keys, lo, hi);
      lo++;
    }
    introsort(keys, lo, last, depth);
    last = lo;
  }
}

@inline function insertLinear(keys: usize, i: i32): void {
  let k = key(keys, i);
  let j = i - 1;
  while (less(k, key(keys, j))) {
    setKey(keys, j + 1, key(keys, j));
    j--;
  }
  setKey(keys, j + 1, k);
}

function stdSort(keys: usize, m: i32): void {
  if (m < 2) return;
  introsort(keys, 0, m, 2 * (31 - clz(m)));
  let head = min(m, INSERTION);
  for (let i = 1; i < head; i++) {
    let k = key(keys, i);
    if (less(k, key(keys, 0))) {
      memory.copy(keys + 8, keys, <usize>i << 3);
      setKey(keys, 0, k);
    } else insertLinear(keys, i);
  }
  for (let i = head; i < m; i++) insertLinear(keys, i);
}

/**
 * Sorts `m` keys (`spare` as large) and writes their exact summary to `out`: equal values
 * combined, their weights and the running total summed in f32 in sorted order (Queue::MakeSummary).
 * Weighted keys sort as std::sort does; unit weights sum exactly in any order, so they take the
 * radix sort. Returns the entry count.
 */
function summarise(keys: usize, spare: usize, m: i32, weighted: bool, out: usize): i32 {
  if (weighted) stdSort(keys, m);
  else keys = radixSort(keys, spare, m);
  let k = 0;
  let sum: f32 = 0;
  for (let i = 0; i < m; ) {
    let hi = key(keys, i) >> 32;
    let w = weightOf(key(keys, i++));
    while (i < m && key(keys, i) >> 32 == hi) w += weightOf(key(keys, i++));
    put(out, k++, sum, sum + w, w, valueOf(hi << 32));
    sum += w;
  }
  return k;
}

// the item `item` read last
let itemX: f32 = 0;
let itemW: f32 = 0;
/**
 * Reads item i into itemX / itemW: value `x[row·xStride]` (row = rows ? rows[i] : i) and weight
 * `w ? w[i·wStride] : 1`. Returns false for a NaN value (missing).
 */
@inline function item(x: usize, xStride: i32, rows: usize, i: i32, w: usize, wStride: i32): bool {
  let row = rows ? load<i32>(rows + (<usize>i << 2)) : i;
  itemX = load<f32>(x + ((<usize>row * <usize>xStride) << 2));
  itemW = w ? load<f32>(w + ((<usize>i * <usize>wStride) << 2)) : 1;
  return !isNaN(itemX);
}
@inline function badWeight(wt: f32): bool {
  return !(wt >= 0 && wt < Infinity);
}

/**
 * Exact summary of n items (value `x[row·xStride]` with `row = rows ? rows[i] : i`, weight
 * `w ? w[i·wStride] : 1`; NaN values skipped) into `out` (room for n entries), using `keys`
 * (16·n bytes) as scratch. Returns the entry count or a negative status.
 */
export function tree_sketch_exact(x: usize, xStride: i32, rows: usize, n: i32, w: usize, wStride: i32, keys: usize, out: usize): i32 {
  let m = 0;
  for (let i = 0; i < n; i++) {
    let present = item(x, xStride, rows, i, w, wStride);
    if (badWeight(itemW)) return fail(STATUS_BAD_INPUT, 4, itemW);
    if (present) setKey(keys, m++, keyOf(itemX, itemW));
  }
  return summarise(keys, keys + (<usize>n << 3), m, false, out);
}

/**
 * Adds to `counts[c]` (i32) the number of non-NaN values in column c of the n × m row-major f32
 * block at x: the value counts XGBoost sizes each column's sketch by.
 */
export function tree_sketch_count(x: usize, n: i32, m: i32, counts: usize): void {
  let simd = m & ~3;
  for (let r = 0; r < n; r++) {
    let row = x + ((<usize>r * <usize>m) << 2);
    for (let c = 0; c < simd; c += 4) {
      let v = v128.load(row + (<usize>c << 2));
      let slot = counts + (<usize>c << 2);
      v128.store(slot, i32x4.sub(v128.load(slot), f32x4.eq(v, v))); // a present lane's mask is −1
    }
    for (let c = simd; c < m; c++) {
      let slot = counts + (<usize>c << 2);
      if (!isNaN(load<f32>(row + (<usize>c << 2)))) store<i32>(slot, load<i32>(slot) + 1);
    }
  }
}

/** Summary of the union of summaries a (na entries) and b (nb) into `out` (room for na + nb). */
export function tree_sketch_merge(a: usize, na: i32, b: usize, nb: i32, out: usize): i32 {
  return combine(a, na, b, nb, out);
}

/** At most b + 1 entries of s (n entries) into `out` (b ≥ 1; XGBoost's SetPrune to b + 1). */
export function tree_sketch_prune(s: usize, n: i32, b: i32, out: usize): i32 {
  if (b < 1) return fail(STATUS_BAD_ARGUMENT, 2, b);
  return prune(s, n, b + 1, out);
}

/**
 * Index of the entry answering rank `d` (−1 for an empty summary): the one minimising
 * max(rmax − wmin − d, d − rmin − wmin), at the first entry with rmin + rmax ≥ 2d or the one
 * before.
 */
export function tree_sketch_query(s: usize, n: i32, d: f64): i32 {
  if (n <= 0) return -1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    let mid = (lo + hi) >>> 1;
    if (<f64>rmin(s, mid) + <f64>rmax(s, mid) < 2 * d) lo = mid + 1;
    else hi = mid;
  }
  let before = lo > 0 && 2 * d < <f64>rminNext(s, lo - 1) + <f64>rmaxPrev(s, lo);
  return before ? lo - 1 : lo;
}

/**
 * The `hist` cuts of summary s (n entries) for at most maxBin bins (maxBin ≥ 1) into `out`
 * (f32; `out` has room for 9·maxBin + 1 entries of 16 bytes, used as scratch). Returns the count.
 */
export function tree_sketch_cuts(s: usize, n: i32, maxBin: i32, out: usize): i32 {
  if (maxBin < 1) return fail(STATUS_BAD_ARGUMENT, 2, maxBin);
  return cutsOf(s, n, maxBin, 0, out);
}

// ---- LimitSizeLevel: the fewest levels whose summaries of `limit` entries cover nMax items ----
let planLevels: i32 = 0;
let planLimit: i32 = 0;

/** Fills planLevels / planLimit; false when limit would not fit an i32. */
function plan(nMax: i32, eps: f64): bool {
  let levels = 1;
  let limit: f64 = 0;
  while (true) {
    limit = min(<f64>nMax, Math.ceil(<f64>levels / eps) + 1);
    if (Math.pow(2, levels) * limit >= <f64>nMax) break;
    levels++;
  }
  if (limit > <f64>(1 << 28)) return false;
  planLevels = levels;
  planLimit = <i32>limit;
  return true;
}

// ---- streaming state: a header, the queue's keys and their radix spare, temp (2·limit
// entries), level 0 (limit; scratch) and the levels 1 … L (limit each) ----
@inline const H_LIMIT: usize = 0; // i32 limit
@inline const H_LEVELS: usize = 4; // i32 L
@inline const H_TAIL: usize = 8; // i32 runs in the queue
@inline const H_FLAGS: usize = 12; // i32 bit 0: weighted pushes seen; bit 1: a queue was carried up
@inline const H_PUSHED: usize = 16; // i64 items pushed so far
@inline const H_MAX: usize = 24; // i64 items allowed
@inline const H_EPS: usize = 32; // f64 error bound of the last finished summary
@inline const H_SIZE: usize = 48; // i32[MAX_LEVELS] entries per level, then f64[MAX_LEVELS] bounds
@inline const MAX_LEVELS: i32 = 40;
@inline const H_LEVEL_EPS: usize = H_SIZE + (<usize>MAX_LEVELS << 2);
@inline const HEADER: usize = H_LEVEL_EPS + (<usize>MAX_LEVELS << 3);

/** Levels a binary counter of full queues (2·limit runs, ≥ 1 item each) needs for nMax items. */
@inline function levelsFor(nMax: i32, limit: i32): i32 {
  let flushes = limit > 0 ? nMax / (2 * limit) : 0;
  return min(33 - clz(flushes), MAX_LEVELS - 1);
}

@inline function stateBytes(limit: i32, levels: i32): f64 {
  return <f64>HEADER + 32 * <f64>limit + <f64>ENTRY * <f64>(3 + levels) * <f64>limit;
}

@inline function limitOf(state: usize): i32 {
  return load<i32>(state, H_LIMIT);
}
@inline function queueOf(state: usize): usize {
  return state + HEADER;
}
@inline function spareOf(state: usize): usize {
  return queueOf(state) + (<usize>limitOf(state) << 4);
}
@inline function tempOf(state: usize): usize {
  return queueOf(state) + (<usize>limitOf(state) << 5);
}
@inline function levelOf(state: usize, l: i32): usize {
  return tempOf(state) + <usize>(2 + l) * (<usize>limitOf(state) << 4);
}
@inline function levelSize(state: usize, l: i32): i32 {
  return load<i32>(state + H_SIZE + (<usize>l << 2));
}
@inline function levelEps(state: usize, l: i32): f64 {
  return load<f64>(state + H_LEVEL_EPS + (<usize>l << 3));
}
@inline function setLevel(state: usize, l: i32, n: i32, eps: f64): void {
  store<i32>(state + H_SIZE + (<usize>l << 2), n);
  store<f64>(state + H_LEVEL_EPS + (<usize>l << 3), eps);
}
/** The bound of a combine: the weight-averaged bounds of its inputs. */
@inline function mergedEps(ea: f64, wa: f64, eb: f64, wb: f64): f64 {
  return wa + wb > 0 ? (ea * wa + eb * wb) / (wa + wb) : max(ea, eb);
}
/** The bound after pruning n entries to `limit`: each prune that drops entries adds 1/(limit − 1). */
@inline function prunedEps(eps: f64, n: i32, limit: i32): f64 {
  return n > limit ? eps + 1 / <f64>(limit - 1) : eps;
}

/** Bytes of state for up to nMax items at error eps (0 < eps < 1), or −1 when over one heap block. */
export function tree_sketch_state_bytes(nMax: i32, eps: f64): f64 {
  if (nMax < 0 || !(eps > 0 && eps < 1) || !plan(nMax, eps)) return -1;
  let bytes = stateBytes(planLimit, levelsFor(nMax, planLimit));
  return bytes < <f64>MAX_BLOCK ? bytes : -1;
}

/**
 * Starts an empty sketch in `state` for up to nMax values (missing ones not counted; XGBoost's
 * Init(nMax, eps)); returns the finished summary's capacity in entries (limit).
 */
export function tree_sketch_open(state: usize, nMax: i32, eps: f64): i32 {
  if (nMax < 0) return fail(STATUS_BAD_ARGUMENT, 1, nMax);
  if (!(eps > 0 && eps < 1)) return fail(STATUS_BAD_ARGUMENT, 2, eps);
  if (!plan(nMax, eps)) return fail(STATUS_TOO_LARGE, 0, Math.ceil(1 / eps));
  let levels = levelsFor(nMax, planLimit);
  let bytes = stateBytes(planLimit, levels);
  if (bytes >= <f64>MAX_BLOCK) return fail(STATUS_TOO_LARGE, 0, bytes);
  memory.fill(state, 0, HEADER);
  store<i32>(state, planLimit, H_LIMIT);
  store<i32>(state, levels, H_LEVELS);
  store<i64>(state, nMax, H_MAX);
  return planLimit;
}

/** Sorts the queue into an exact summary in temp; returns its size. */
@inline function queueSummary(state: usize): i32 {
  let weighted = (load<i32>(state, H_FLAGS) & 1) != 0;
  return summarise(queueOf(state), spareOf(state), load<i32>(state, H_TAIL), weighted, tempOf(state));
}

/** PushTemp: carries the queue's summary up the levels. */
function flush(state: usize): i32 {
  let limit = limitOf(state);
  let temp = tempOf(state);
  let level0 = levelOf(state, 0);
  let n = queueSummary(state);
  let eps: f64 = 0;
  store<i32>(state, 0, H_TAIL);
  store<i32>(state, load<i32>(state, H_FLAGS) | 2, H_FLAGS);
  for (let l = 1; l <= load<i32>(state, H_LEVELS); l++) {
    let size = levelSize(state, l);
    let level = levelOf(state, l);
    if (size == 0) {
      setLevel(state, l, prune(temp, n, limit, level), prunedEps(eps, n, limit));
      return 0;
    }
    let n0 = prune(temp, n, limit, level0);
    let e0 = prunedEps(eps, n, limit);
    eps = mergedEps(e0, total(level0, n0), levelEps(state, l), total(level, size));
    n = combine(level0, n0, level, size, temp);
    if (n <= limit) {
      memory.copy(level, temp, <usize>n << 4);
      setLevel(state, l, n, eps);
      return 0;
    }
    setLevel(state, l, 0, 0);
  }
  // only reachable when more than nMax items were pushed, which tree_sketch_push refuses
  return fail(STATUS_TOO_LARGE, 0, <f64>load<i64>(state, H_PUSHED));
}

/**
 * Adds n items: value `x[row·xStride]` (f32) with `row = rows ? rows[i] : i` (i32 row ids), and
 * weight `w ? w[i·wStride] : 1` (f32, by position i, so a node's contiguous hessians pair with its
 * row ids). NaN values are skipped (missing) and so are zero weights; weights must be finite and
 * ≥ 0. Equal consecutive values share one queue slot, as in XGBoost's queue.
 */
export function tree_sketch_push(state: usize, x: usize, xStride: i32, rows: usize, n: i32, w: usize, wStride: i32): i32 {
  if (n < 0) return fail(STATUS_BAD_ARGUMENT, 4, n);
  if (w) store<i32>(state, load<i32>(state, H_FLAGS) | 1, H_FLAGS);
  let queue = queueOf(state);
  let cap = 2 * limitOf(state);
  let tail = load<i32>(state, H_TAIL);
  let pushed = load<i64>(state, H_PUSHED);
  let most = load<i64>(state, H_MAX);
  for (let i = 0; i < n; i++) {
    let present = item(x, xStride, rows, i, w, wStride);
    let status = 0;
    if (badWeight(itemW)) status = fail(STATUS_BAD_INPUT, 5, itemW);
    else if (present && ++pushed > most) status = fail(STATUS_BAD_ARGUMENT, 4, n);
    if (status < 0) {
      store<i32>(state, tail, H_TAIL);
      store<i64>(state, pushed, H_PUSHED);
      return status;
    }
    if (!present || itemW == 0) continue;
    let k = keyOf(itemX, itemW);
    if (tail > 0) {
      let lastKey = key(queue, tail - 1);
      if (lastKey >> 32 == k >> 32) {
        setKey(queue, tail - 1, (lastKey & 0xffffffff00000000) | <u64>reinterpret<u32>(weightOf(lastKey) + itemW));
        continue;
      }
      if (tail == cap) {
        store<i32>(state, tail, H_TAIL);
        let status = flush(state);
        if (status < 0) return status;
        tail = 0;
      }
    }
    setKey(queue, tail++, k);
  }
  store<i32>(state, tail, H_TAIL);
  store<i64>(state, pushed, H_PUSHED);
  return 0;
}

/**
 * Writes the summary of everything pushed so far to `out` (room for the capacity
 * tree_sketch_open returned; XGBoost's GetSummary); returns its entry count. Its error bound is
 * tree_sketch_bound. The queue is consumed: finish once, after the last push.
 */
export function tree_sketch_finish(state: usize, out: usize): i32 {
  let limit = limitOf(state);
  let temp = tempOf(state);
  let level0 = levelOf(state, 0);
  let n = queueSummary(state);
  store<i32>(state, 0, H_TAIL);
  let eps: f64 = 0;
  if (load<i32>(state, H_FLAGS) & 2) {
    let n0 = prune(temp, n, limit, level0);
    eps = prunedEps(0, n, limit);
    for (let l = 1; l <= load<i32>(state, H_LEVELS); l++) {
      let size = levelSize(state, l);
      if (size == 0) continue;
      let level = levelOf(state, l);
      if (n0 == 0) {
        memory.copy(level0, level, <usize>size << 4);
        n0 = size;
        eps = levelEps(state, l);
        continue;
      }
      eps = mergedEps(eps, total(level0, n0), levelEps(state, l), total(level, size));
      let m = combine(level0, n0, level, size, temp);
      n0 = prune(temp, m, limit, level0);
      eps = prunedEps(eps, m, limit);
    }
    memory.copy(out, level0, <usize>n0 << 4);
    n = n0;
  } else {
    eps = prunedEps(0, n, limit);
    n = prune(temp, n, limit, out);
  }
  store<f64>(state, eps, H_EPS);
  return n;
}

/** The error bound ε of the summary the last tree_sketch_finish wrote. */
export function tree_sketch_bound(state: usize): f64 {
  return load<f64>(state, H_EPS);
}

/**
 * `approx` cuts (XGBoost's SortedSketchContainer) of m keys sorted by value: the values whose
 * cumulative weight first reaches k·W/maxBin (k = 0, 1, …; f64 sums as SortedQuantile keeps
 * them) and the maximum, pruned by WXQSummary's rule to the level size of Init(m, 2/maxBin),
 * then cut as tree_sketch_cuts does. `out`: room for 11·maxBin + 3 entries.
 */
function sortedCuts(sorted: usize, m: i32, maxBin: i32, out: usize): i32 {
  if (m == 0) return 0;
  let temp = at(out, 9 * maxBin + 1);
  let level = at(temp, maxBin + 1);
  let sum: f64 = 0;
  for (let i = 0; i < m; i++) sum += <f64>weightOf(key(sorted, i));
  // SortedQuantile::Push / Finalize
  let size = 0;
  let goal: f64 = 0;
  let lo: f64 = 0;
  let wt: f64 = <f64>weightOf(key(sorted, 0));
  let last = key(sorted, 0) >> 32;
  for (let i = 1; i <= m; i++) {
    let k = i < m ? key(sorted, i) : 0;
    if (i < m && k >> 32 == last) {
      wt += <f64>weightOf(k);
      continue;
    }
    let hi = lo + wt;
    if (i == m || (hi >= goal && size != maxBin)) {
      put(temp, size++, <f32>lo, <f32>hi, <f32>wt, valueOf(last << 32));
      goal = size == maxBin ? sum * 2 + <f64>(<f32>1e-5) : <f64>(<f32>((<f64>size * sum) / <f64>maxBin));
    }
    lo = hi;
    wt = <f64>weightOf(k);
    last = k >> 32;
  }
  // PushTemp into a sketch of Init(m, 2/maxBin), whose summary is its one level
  plan(m, 2 / <f64>maxBin);
  let count = pruneLarge(temp, size, planLimit, level);
  return cutsOf(level, count, maxBin, 1, out);
}

/**
 * `approx` cuts of one column: its n items (addressing and checks as tree_sketch_push; zero
 * weights kept) sorted by value, for maxBin bins, or maxBinMissing when an item's value is
 * missing. `keys`: 16·n bytes; `out`: room for 11·max(maxBin, maxBinMissing) + 3 entries
 * (scratch), the cuts written at its start as f32. Returns their count or a negative status.
 */
export function tree_sketch_sorted_cuts(
  x: usize, xStride: i32, rows: usize, n: i32, w: usize, wStride: i32, maxBin: i32, maxBinMissing: i32, keys: usize, out: usize,
): i32 {
  let bad = binArgs(maxBin, maxBinMissing, 6);
  if (bad < 0) return bad;
  let m = 0;
  for (let i = 0; i < n; i++) {
    let present = item(x, xStride, rows, i, w, wStride);
    if (badWeight(itemW)) return fail(STATUS_BAD_INPUT, 4, itemW);
    if (present) setKey(keys, m++, keyOf(itemX, itemW));
  }
  return sortedCuts(radixSort(keys, keys + (<usize>n << 3), m), m, m < n ? maxBinMissing : maxBin, out);
}
