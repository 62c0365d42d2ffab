// Histogram split search for gradient boosting (XGBoost's `hist` tree method; SPEC 2).
//
// Features are cut into bins (`tree_bin_rows`: one u8 code per value, row-major). A node is a
// range [from, to) of positions, and the row ids (`rows`) are kept in node order. Two layouts:
// - in node order (large data): each row's gradient pair (`gh`: f32 g, h) and bin codes
//   (`codes`, m bytes) are kept contiguous with its id, so building a node's histogram reads
//   memory sequentially instead of gathering rows by index (a cache miss per row once nodes
//   are scattered), and partitioning a node moves each row's codes and pair with it — the
//   notes' cache-aware access, paid for with one copy of the codes;
// - by row id (data that stays in cache): codes and pairs stay where binning and tree_begin put
//   them and are read through `rows`, and partitions move ids only.
// Histograms hold f64 (G, H) pairs per bin — one f64x2 add per (row, feature) — with each
// feature's missing values in one extra bin after its regular ones. The larger child's
// histogram is its parent's minus the smaller child's.

import { bothGains, ldi, pair, score, splitGain, sti } from "./gain";

/**
 * `out[i·m + f]` = the bin of `X[r·m + f]` for i in [from, to), r = `rows[i]` (or i when `rows`
 * is 0) of `X` (f32, row-major, m columns): the number of feature f's cuts
 * `cuts[cutPtr[f] .. cutPtr[f+1])` (ascending) that are ≤ the value, or `cutPtr[f+1] − cutPtr[f]
 * + 1` (the missing bin, after the nCuts + 1 regular ones) for NaN. Codes must fit a byte: the
 * facade keeps nCuts ≤ 254 where values are missing.
 */
export function tree_bin_rows(X: usize, m: i32, rows: usize, from: i32, to: i32, cuts: usize, cutPtr: usize, out: usize): void {
  for (let i = from; i < to; i++) {
    let r = rows != 0 ? ldi(rows, i) : i;
    let row = X + ((<usize>r * <usize>m) << 2);
    let code = out + <usize>i * <usize>m;
    for (let f = 0; f < m; f++) {
      let x = load<f32>(row + (<usize>f << 2));
      let lo = ldi(cutPtr, f);
      let hi = ldi(cutPtr, f + 1);
      let bin: i32;
      if (isNaN(x)) bin = hi - lo + 1;
      else {
        // branchless search for the first cut > x: `base` ends on it
        let base = lo;
        let len = hi - lo;
        while (len > 0) {
          let half = len >> 1;
          let probe = base + half;
          let le = load<f32>(cuts + (<usize>probe << 2)) <= x;
          base = select(probe + 1, base, le);
          len = select(len - half - 1, half, le);
        }
        bin = base - lo;
      }
      store<u8>(code + <usize>f, <u8>bin);
    }
  }
}

/**
 * `codes[i·m ..]` = the codes of row `rows[i]` of `bins`, for i in [0, n): the node-ordered copy
 * of the sampled rows.
 */
export function tree_gather_rows(bins: usize, m: i32, rows: usize, n: i32, codes: usize): void {
  for (let i = 0; i < n; i++) copyRow(codes + <usize>i * <usize>m, bins + <usize>ldi(rows, i) * <usize>m, m);
}

/**
 * `bins[r·m + f]` for every row r and feature f as tree_bin_rows codes them, from the column
 * blocks (tree_column_blocks: `vals`/`rows` by `colPtr`, missing rows by `missPtr`, `total` =
 * n·m): each block walked once beside its cuts, no search per value.
 */
export function tree_bin_blocks(vals: usize, rows: usize, colPtr: usize, missPtr: usize, total: i32, m: i32, cuts: usize, cutPtr: usize, bins: usize): void {
  let stride = <usize>m;
  for (let f = 0; f < m; f++) {
    let lo = ldi(cutPtr, f);
    let nCuts = ldi(cutPtr, f + 1) - lo;
    let c = 0;
    for (let p = ldi(colPtr, f), end = ldi(colPtr, f + 1); p < end; p++) {
      let x = load<f32>(vals + (<usize>p << 2));
      while (c < nCuts && load<f32>(cuts + (<usize>(lo + c) << 2)) <= x) c++;
      store<u8>(bins + <usize>ldi(rows, p) * stride + <usize>f, <u8>c);
    }
    for (let p = total - ldi(missPtr, f + 1), end = total - ldi(missPtr, f); p < end; p++) {
      store<u8>(bins + <usize>ldi(rows, p) * stride + <usize>f, <u8>(nCuts + 1));
    }
  }
}

/** Copies an m-byte row (rows never partly overlap: in-place moves go down by whole rows, or onto themselves). */
@inline function copyRow(dst: usize, src: usize, m: i32): void {
  let o = 0;
  for (; o + 16 <= m; o += 16) v128.store(dst + <usize>o, v128.load(src + <usize>o));
  if (o + 8 <= m) {
    store<u64>(dst + <usize>o, load<u64>(src + <usize>o));
    o += 8;
  }
  if (o + 4 <= m) {
    store<u32>(dst + <usize>o, load<u32>(src + <usize>o));
    o += 4;
  }
  for (; o < m; o++) store<u8>(dst + <usize>o, load<u8>(src + <usize>o));
}

/**
 * Starts a tree on its rows `rows[0 .. n)` (`rows[i] = i` when `all`, else the caller wrote the
 * sampled ids, ascending): sums their pairs `pairs[rows[i]]` (f32 g, h by row id) in position
 * order in f64, as XGBoost sums them, into `sums` (two f64), and when `gh` ≠ 0 gathers them into
 * node order there (`gh[i] = pairs[rows[i]]`); with `gh` = 0 the kernels read them by row id.
 */
export function tree_begin(rows: usize, all: bool, pairs: usize, gh: usize, n: i32, sums: usize): void {
  if (all) for (let i = 0; i < n; i++) sti(rows, i, i);
  let G: f64 = 0;
  let H: f64 = 0;
  for (let i = 0; i < n; i++) {
    let pair = load<u64>(pairs + (<usize>ldi(rows, i) << 3));
    if (gh != 0) store<u64>(gh + (<usize>i << 3), pair);
    G += <f64>reinterpret<f32>(<u32>pair);
    H += <f64>reinterpret<f32>(<u32>(pair >> 32));
  }
  store<f64>(sums, G);
  store<f64>(sums, H, 8);
}

/**
 * Adds the gradient pairs of positions [from, to) (f32 g, h) into `hist` (f64 G, H per bin;
 * feature f's bins start at pair index `histOff[f]`) by their codes: in node order, codes
 * `codes[i·m + f]` and pairs `gh[i]`; or, when `rows` ≠ 0, by row id r = rows[i]: `codes[r·m +
 * f]` and `gh[r]` (data small enough to stay in cache). `hist` is not cleared here.
 */
export function tree_build_histogram(codes: usize, m: i32, rows: usize, gh: usize, from: i32, to: i32, histOff: usize, hist: usize): void {
  let m4 = m & ~3;
  for (let i = from; i < to; i++) {
    let at = <usize>(rows != 0 ? ldi(rows, i) : i);
    let code = codes + at * <usize>m;
    let pair = f64x2.promote_low_f32x4(v128.load64_zero(gh + (at << 3)));
    // four features a step: V8 emits a branch and an interrupt check per loop step, and the
    // constant offsets fold into the loads (about 12 → 8 instructions an add)
    let f = 0;
    for (; f < m4; f += 4) {
      let c = code + <usize>f;
      let o = histOff + (<usize>f << 2);
      addPair(hist, load<i32>(o) + <i32>load<u8>(c), pair);
      addPair(hist, load<i32>(o, 4) + <i32>load<u8>(c, 1), pair);
      addPair(hist, load<i32>(o, 8) + <i32>load<u8>(c, 2), pair);
      addPair(hist, load<i32>(o, 12) + <i32>load<u8>(c, 3), pair);
    }
    for (; f < m; f++) addPair(hist, ldi(histOff, f) + <i32>load<u8>(code + <usize>f), pair);
  }
}

/** Adds `pair` (f64 G, H) into bin `bin` of `hist`. */
@inline function addPair(hist: usize, bin: i32, pair: v128): void {
  let at = hist + (<usize>bin << 4);
  v128.store(at, f64x2.add(v128.load(at), pair));
}

/** `out[i] = a[i] − b[i]` over `pairs` (G, H) pairs; `out` may be `a`. */
export function tree_subtract_histogram(a: usize, b: usize, out: usize, pairs: i32): void {
  for (let i = 0; i < pairs; i++) {
    let at = <usize>i << 4;
    v128.store(out + at, f64x2.sub(v128.load(a + at), v128.load(b + at)));
  }
}

// ---- split evaluation (the score: gain.ts) ----

// The best split of the last bestSplit call.
let bestGain: f64 = 0;
let bestFeature: i32 = -1;
let bestBin: i32 = 0;
let bestDefaultLeft: bool = false;
let bestGL: f64 = 0;
let bestHL: f64 = 0;

/** f64s per node in tree_best_splits' input (histogram address, G, H) and output records. */
const NODE = 3;
const CANDIDATE = 8;
const FLT_MAX: f32 = 3.4028234663852886e38;

/**
 * The best split of each of `count` nodes (`nodes`: NODE f64s each, its histogram's address and
 * totals G, H) over the features f with `masks[i·m + f]` ≠ 0 (u8), into `out` (CANDIDATE f64s per
 * node): gain, feature, bin, default left (0/1), G and H of the left side, the threshold (the
 * cut after the bin, `cuts[cutPtr[f] + bin]`; −FLT_MAX for bin −1), the feature's missing code
 * (nBins[f]); with no split allowed, gain −∞, feature −1 and the rest 0.
 *
 * The split after regular bin b of f (−1 ≤ b < nBins[f]) sends bins ≤ b left, and the missing
 * bin as a group left or right, whichever gains more (ties: right); b = −1 with the missing bin
 * left splits missing from present (its mirror, all present values left and missing right, is
 * the same partition and is not offered: its threshold could not be exact for every float). A
 * side must hold hessian ≥ `minChildWeight`. Gain = score(L) + score(R) − score(parent), as
 * XGBoost's loss_chg (no ½, no γ). `nBins[f]` = regular bins of f (its missing bin follows
 * them). One call per tree level: the nodes' calls from JS cost more than their scans.
 */
export function tree_best_splits(
  nodes: usize, count: i32, m: i32, histOff: usize, nBins: usize, masks: usize, cuts: usize, cutPtr: usize,
  lambda: f64, alpha: f64, minChildWeight: f64, out: usize,
): void {
  for (let i = 0; i < count; i++) {
    let node = nodes + <usize>(i * NODE) * 8;
    bestSplit(<usize>load<f64>(node), m, histOff, nBins, masks + <usize>(i * m), load<f64>(node, 8), load<f64>(node, 16), lambda, alpha, minChildWeight);
    let at = out + <usize>(i * CANDIDATE) * 8;
    let f = bestFeature;
    let found = f >= 0;
    store<f64>(at, bestGain);
    store<f64>(at, <f64>f, 8);
    store<f64>(at, found ? <f64>bestBin : 0, 16);
    store<f64>(at, found && bestDefaultLeft ? 1 : 0, 24);
    store<f64>(at, found ? bestGL : 0, 32);
    store<f64>(at, found ? bestHL : 0, 40);
    store<f64>(at, !found ? 0 : bestBin < 0 ? -FLT_MAX : load<f32>(cuts + (<usize>(ldi(cutPtr, f) + bestBin) << 2)), 48);
    store<f64>(at, found ? <f64>ldi(nBins, f) : 0, 56);
  }
}

function bestSplit(hist: usize, m: i32, histOff: usize, nBins: usize, mask: usize, G: f64, H: f64, lambda: f64, alpha: f64, minChildWeight: f64): void {
  bestGain = -Infinity;
  bestFeature = -1;
  let ps = score(G, H, lambda, alpha);
  let T = pair(G, H);
  let lam = f64x2.splat(lambda);
  let alp = f64x2.splat(alpha);
  let l1 = alpha != 0;
  let minH = f64x2.splat(minChildWeight);
  for (let f = 0; f < m; f++) {
    if (load<u8>(mask + <usize>f) == 0) continue;
    let base = hist + (<usize>ldi(histOff, f) << 4);
    let nb = ldi(nBins, f);
    let M = v128.load(base + (<usize>nb << 4)); // the missing bin's (G, H)
    let L = f64x2.splat(0); // regular bins ≤ b, from b = −1 (none) to nb − 2 (each side must hold rows)
    if (!(f64x2.extract_lane(M, 1) > 0)) {
      for (let b = 0; b < nb - 1; b++) {
        L = f64x2.add(L, v128.load(base + (<usize>b << 4)));
        let gain = splitGain(L, T, ps, lam, alp, l1, minH);
        if (gain > bestGain) record(gain, f, b, false, L);
      }
      continue;
    }
    // missing left alone at b = −1; then each bin's split with the missing bin right (lane 0) and left (lane 1)
    let gain = splitGain(M, T, ps, lam, alp, l1, minH);
    if (gain > bestGain) record(gain, f, -1, true, M);
    for (let b = 0; b < nb - 1; b++) {
      L = f64x2.add(L, v128.load(base + (<usize>b << 4)));
      let L1 = f64x2.add(L, M);
      let gains = bothGains(L, L1, T, ps, lam, alp, l1, minH);
      if (!v128.any_true(f64x2.gt(gains, f64x2.splat(bestGain)))) continue;
      gain = f64x2.extract_lane(gains, 0);
      if (gain > bestGain) record(gain, f, b, false, L);
      gain = f64x2.extract_lane(gains, 1);
      if (gain > bestGain) record(gain, f, b, true, L1);
    }
  }
}

@inline function record(gain: f64, f: i32, b: i32, defaultLeft: bool, L: v128): void {
  bestGain = gain;
  bestFeature = f;
  bestBin = b;
  bestDefaultLeft = defaultLeft;
  bestGL = f64x2.extract_lane(L, 0);
  bestHL = f64x2.extract_lane(L, 1);
}

/**
 * The side of every row of node [from, to) by its code of feature f (≤ `bin` goes left; the
 * missing code `missing` left iff `defaultLeft`), into `decisions[i]` (u8: 1 left, 0 right) by
 * position, without moving anything: codes at `codes[i·m + f]`, or `codes[rows[i]·m + f]` when
 * `rows` ≠ 0. Returns the left count. With several shards the one holding f decides, and every
 * shard then partitions by the decisions (f < 0 below), all at once.
 */
export function tree_decide(codes: usize, m: i32, rows: usize, from: i32, to: i32, f: i32, bin: i32, missing: i32, defaultLeft: bool, decisions: usize): i32 {
  let left = 0;
  for (let i = from; i < to; i++) {
    let code = <i32>load<u8>(codes + <usize>(rows != 0 ? ldi(rows, i) : i) * <usize>m + <usize>f);
    let goLeft = code == missing ? defaultLeft : code <= bin;
    store<u8>(decisions + <usize>i, <u8>goLeft);
    left += <i32>goLeft;
  }
  return left;
}

/**
 * Stable partition of node [from, to): left rows first, in place. Where rows are in node order
 * (`scratchCodes` ≠ 0), each moves its id (`rows`), pair (`gh`) and codes (`codes`, m bytes); the
 * right ones go through `scratchRows/Gh/Codes` (to − from entries). With `scratchCodes` = 0,
 * codes and pairs are by row id (tree_begin with `gh` = 0) and stay put: only the ids move (`gh`
 * and `scratchGh` unused). Returns the left count. Where a row goes:
 * - f ≥ 0: by its code of feature f, ≤ `bin` (the missing code `missing` goes left iff
 *   `defaultLeft`);
 * - f < 0: by `decisions[i]` (u8, by position before the move), as tree_decide recorded it.
 */
export function tree_partition(
  codes: usize, m: i32, rows: usize, gh: usize, from: i32, to: i32, f: i32, bin: i32, missing: i32,
  defaultLeft: bool, decisions: usize, scratchRows: usize, scratchGh: usize, scratchCodes: usize,
): i32 {
  if (f >= 0) {
    // each code's side: bins ≤ `bin` and, when it goes left, the missing code (above them all)
    memory.fill(SIDES, 1, <usize>(bin + 1));
    memory.fill(SIDES + <usize>(bin + 1), 0, <usize>(255 - bin));
    if (defaultLeft) store<u8>(SIDES + <usize>missing, 1);
  }
  let left: i32;
  if (scratchCodes != 0) {
    left = partitionMovingCodes(codes, <usize>m, rows, gh, from, to, f, decisions, scratchRows, scratchGh, scratchCodes);
    memory.copy(gh + (<usize>left << 3), scratchGh, <usize>(to - left) << 3);
  } else if (f >= 0) left = partitionById(codes + <usize>f, <usize>m, false, rows, from, to, scratchRows);
  else left = partitionById(decisions, 1, true, rows, from, to, scratchRows);
  memory.copy(rows + (<usize>left << 2), scratchRows, <usize>(to - left) << 2);
  return left - from;
}

/** The side of each code (u8 1: left) of the split tree_partition is making, filled by it. */
const SIDES = memory.data(256, 16);

/**
 * i32s per split record of tree_partition_splits and tree_split_histograms: from, to, f, bin,
 * missing, defaultLeft (0/1) as tree_partition takes them, the left count, the parent's
 * histogram address and the smaller child's.
 */
const SPLIT = 9;

/**
 * tree_partition of each of `count` split records (`splits`) whose f ≥ −1 (−2: a node another
 * shard partitions), writing each one's left count into it. One call per tree level.
 */
export function tree_partition_splits(
  splits: usize, count: i32, codes: usize, m: i32, rows: usize, gh: usize, decisions: usize, scratchRows: usize, scratchGh: usize, scratchCodes: usize,
): void {
  for (let i = 0; i < count; i++) {
    let s = splits + <usize>(i * SPLIT) * 4;
    let f = load<i32>(s, 8);
    if (f < -1) continue;
    let from = load<i32>(s);
    let to = load<i32>(s, 4);
    store<i32>(s, tree_partition(codes, m, rows, gh, from, to, f, load<i32>(s, 12), load<i32>(s, 16), load<i32>(s, 20) != 0, decisions, scratchRows, scratchGh, scratchCodes), 24);
  }
}

/**
 * The children's histograms of each of `count` partitioned split records: the smaller child's
 * built into its record's address (cleared first), the larger one's left in the parent's as
 * parent − smaller (`pairs` (G, H) pairs per histogram). Codes and rows as tree_build_histogram
 * reads them.
 */
export function tree_split_histograms(splits: usize, count: i32, codes: usize, m: i32, rows: usize, gh: usize, histOff: usize, pairs: i32): void {
  for (let i = 0; i < count; i++) {
    let s = splits + <usize>(i * SPLIT) * 4;
    let from = load<i32>(s);
    let to = load<i32>(s, 4);
    let mid = from + load<i32>(s, 24);
    let parent = <usize>load<u32>(s, 28);
    let small = <usize>load<u32>(s, 32);
    memory.fill(small, 0, <usize>pairs << 4);
    if (mid - from <= to - mid) tree_build_histogram(codes, m, rows, gh, from, mid, histOff, small);
    else tree_build_histogram(codes, m, rows, gh, mid, to, histOff, small);
    tree_subtract_histogram(parent, small, parent, pairs);
  }
}

// The loops of tree_partition, each with as few live values as it can: V8 keeps them in
// registers then, where one loop for every case spilled to the stack on every row. Branch-free:
// each row's id (and pair) is written to both places it may go, and only its side's pointer
// advances (the other write is overwritten later, or lies past the end: the left part only ever
// writes where a row was already read). Each returns where the right part starts.

/**
 * Codes and pairs by row id: moves ids only. Row r = rows[i] goes left iff SIDES[code] ≠ 0 for
 * its code `keys[r·stride]` of the split feature — or, `byPosition`, iff `keys[i]` ≠ 0 (the
 * decisions tree_decide recorded; `stride` unused).
 */
@inline function partitionById(keys: usize, stride: usize, byPosition: bool, rows: usize, from: i32, to: i32, scratchRows: usize): i32 {
  let p = rows + (<usize>from << 2);
  let end = rows + (<usize>to << 2);
  let l = p;
  let s = scratchRows;
  let key = keys + <usize>from;
  while (p < end) {
    let id = load<u32>(p);
    let goLeft: usize = byPosition ? <usize>load<u8>(key++) : <usize>load<u8>(SIDES + <usize>load<u8>(keys + <usize>id * stride));
    store<u32>(l, id);
    store<u32>(s, id);
    l += goLeft << 2;
    s += (goLeft ^ 1) << 2;
    p += 4;
  }
  return <i32>((l - rows) >> 2);
}

/** Rows in node order: ids, pairs and codes move together (codes: one copy each, to the side's place picked arithmetically). */
@inline function partitionMovingCodes(
  codes: usize, stride: usize, rows: usize, gh: usize, from: i32, to: i32, f: i32,
  decisions: usize, scratchRows: usize, scratchGh: usize, scratchCodes: usize,
): i32 {
  let left = from;
  let right = 0;
  let m = <i32>stride;
  for (let i = from; i < to; i++) {
    let row = codes + <usize>i * stride;
    let goLeft = <i32>load<u8>(f >= 0 ? SIDES + <usize>load<u8>(row + <usize>f) : decisions + <usize>i);
    let id = ldi(rows, i);
    sti(rows, left, id);
    sti(scratchRows, right, id);
    let pair = load<u64>(gh + (<usize>i << 3));
    store<u64>(gh + (<usize>left << 3), pair);
    store<u64>(scratchGh + (<usize>right << 3), pair);
    let mask = <usize>(-goLeft);
    copyRow(((codes + <usize>left * stride) & mask) | ((scratchCodes + <usize>right * stride) & ~mask), row, m);
    left += goLeft;
    right += 1 - goLeft;
  }
  memory.copy(codes + <usize>left * stride, scratchCodes, <usize>right * stride);
  return left;
}
