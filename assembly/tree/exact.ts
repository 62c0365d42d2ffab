import { sortRaw } from "../common/sort";
import { bothGains, ldd, ldi, pair, score, splitGain, std, sti } from "./gain";

// Exact greedy split search for gradient boosting (XGBoost's `exact`, its colmaker; SPEC 2).
//
// Each feature is sorted once into a column block (`vals` ascending, with `rows`, missing values
// left out, and the list of its missing rows). A tree works on a copy of the blocks grouped by
// node (`work`: 16-byte entries, value f32, row i32, g f32, h f32, moved as one v128): within
// each column every node of the level has a segment of its own, in sorted order, with its rows'
// gradient pairs beside the values. A node's scan is then sequential with its sums in registers;
// between two distinct values the split at their midpoint is evaluated with the node's missing
// rows sent right and sent left. Before a column is scanned its segments of the last level are
// split stably into the children's, the rows of nodes that became leaves dropped. A node's
// non-missing totals are its totals minus its missing rows' pairs, from the feature's list of
// missing rows: a column without missing values has none, so only missing-right is tried there.
// Gains are XGBoost's loss_chg: score(L) + score(R) − score(parent), score = T_α(G)²/(H + λ).

@inline function ldf(base: usize, i: i32): f32 {
  return load<f32>(base + (<usize>i << 2));
}

@inline function entry(base: usize, i: i32): usize {
  return base + (<usize>i << 4);
}

/**
 * Puts the `count` sampled rows `sample` (u32 ids < n) in the root (`rowNode` 0, every other row
 * −1) and writes their totals G, H (f64, summed in sample order, of `gh`'s f32 pairs) to `sums`.
 */
export function tree_exact_start(sample: usize, count: i32, n: i32, gh: usize, rowNode: usize, sums: usize): void {
  memory.fill(rowNode, 0xff, <usize>n << 2);
  let G: f64 = 0;
  let H: f64 = 0;
  for (let i = 0; i < count; i++) {
    let r = load<u32>(sample + (<usize>i << 2));
    store<i32>(rowNode + (<usize>r << 2), 0);
    G += <f64>load<f32>(gh + (<usize>r << 3));
    H += <f64>load<f32>(gh + (<usize>r << 3) + 4);
  }
  store<f64>(sums, G);
  store<f64>(sums, H, 8);
}

/**
 * The root's segments: column f's entries (16 bytes: value, row, g, h) of the rows with
 * `rowNode[r]` ≥ 0, in sorted order, fill `work[seg[2f] .. seg[2f + 1])` from `colPtr[f]`, g and
 * h from `gh` (f32 pairs by row); a feature with `allowed[f]` = 0 gets an empty segment.
 */
export function tree_exact_root(vals: usize, rows: usize, colPtr: usize, m: i32, rowNode: usize, gh: usize, allowed: usize, work: usize, seg: usize): void {
  for (let f = 0; f < m; f++) {
    let from = ldi(colPtr, f);
    let to = load<u8>(allowed + <usize>f) != 0 ? ldi(colPtr, f + 1) : from;
    let w = from;
    for (let p = from; p < to; p++) {
      let r = ldi(rows, p);
      let e = entry(work, w);
      store<f32>(e, ldf(vals, p));
      store<i32>(e, r, 4);
      store<u64>(e, load<u64>(gh + (<usize>r << 3)), 8);
      w += <i32>(ldi(rowNode, r) >= 0); // written in any case, kept if the row is in the tree
    }
    sti(seg, 2 * f, from);
    sti(seg, 2 * f + 1, w);
  }
}

/**
 * Splits column f's segments of the last level (`prevSeg`, prevK nodes) into this level's (`seg`,
 * k nodes): a node j with `child[j]` ≥ 0 sends its rows with `side` 0 to child[j] and those with
 * 1 to child[j] + 1, both stably; the rows of a node with `child[j]` < 0 (a leaf
 * now) are dropped. In place, through `scratch` (as many entries as a segment's).
 */
function partitionColumn(f: i32, work: usize, side: usize, prevSeg: usize, prevK: i32, child: usize, seg: usize, k: i32, scratch: usize): void {
  let prevF = prevSeg + ((<usize>f * <usize>(prevK + 1)) << 2);
  let segF = seg + ((<usize>f * <usize>(k + 1)) << 2);
  let w = ldi(prevF, 0);
  for (let j = 0; j < prevK; j++) {
    let c = ldi(child, j);
    if (c < 0) continue;
    sti(segF, c, w);
    let right = 0;
    for (let p = ldi(prevF, j), end = ldi(prevF, j + 1); p < end; p++) {
      // written to both places it may go, the cursors moved by the side (no branch on it)
      let e = v128.load(entry(work, p));
      let isLeft = 1 - <i32>load<u8>(side + <usize>i32x4.extract_lane(e, 1));
      v128.store(entry(work, w), e);
      v128.store(entry(scratch, right), e);
      w += isLeft;
      right += 1 - isLeft;
    }
    sti(segF, c + 1, w);
    memory.copy(entry(work, w), scratch, <usize>right << 4);
    w += right;
  }
  sti(segF, k, w);
}

// the split a node's scan found last (its gain is the scan's local `best`)
let foundThr: f32 = 0;
let foundLeft = false;
let foundGL: f64 = 0;
let foundHL: f64 = 0;

/**
 * Updates, for every level node (`nNodes`; totals `nodeG/nodeH`, f64), its best split over the
 * features f with `mask[node·m + f]` ≠ 0: best gain so far in `bestGain` (f64, caller sets −∞),
 * feature `bestFeature` (i32), threshold `bestThr` (f32; x < thr goes left), `bestLeft` (u8: the
 * missing rows go left), left sums `bestGL/bestHL` (f64). The nodes' segments are `seg`
 * (tree_exact_root); with prevK > 0 they are first made from the last level's (`prevSeg`,
 * `child`, `side`; `scratch` 16 bytes per row: see partitionColumn). Column f's missing rows are
 * `rows[total − missPtr[f+1] .. total − missPtr[f])` (tree_column_blocks), `rowNode[r]` a row's
 * level node or < 0, `gh` f32 (g, h) by row. Scratch: `sums` 3 · nNodes f64. A strictly larger
 * gain replaces the best, so on ties the earlier feature and the smaller threshold win.
 */
export function tree_exact_level(
  work: usize, seg: usize, prevSeg: usize, prevK: i32, child: usize, side: usize, scratch: usize, rows: usize, total: i32, missPtr: usize, m: i32, rowNode: usize, gh: usize, nNodes: i32, nodeG: usize, nodeH: usize, mask: usize,
  lambda: f64, alpha: f64, minChildWeight: f64, sums: usize,
  bestGain: usize, bestFeature: usize, bestThr: usize, bestLeft: usize, bestGL: usize, bestHL: usize,
): void {
  let gnm = sums;
  let hnm = gnm + (<usize>nNodes << 3);
  let parentScore = hnm + (<usize>nNodes << 3);
  for (let nd = 0; nd < nNodes; nd++) std(parentScore, nd, score(ldd(nodeG, nd), ldd(nodeH, nd), lambda, alpha));
  for (let f = 0; f < m; f++) {
    if (prevK > 0) partitionColumn(f, work, side, prevSeg, prevK, child, seg, nNodes, scratch);
    let segF = seg + ((<usize>f * <usize>(nNodes + 1)) << 2);
    if (ldi(segF, 0) == ldi(segF, nNodes)) continue;
    // non-missing totals: the node's, less its missing rows'
    memory.copy(gnm, nodeG, <usize>nNodes << 3);
    memory.copy(hnm, nodeH, <usize>nNodes << 3);
    for (let p = total - ldi(missPtr, f + 1), end = total - ldi(missPtr, f); p < end; p++) {
      let r = ldi(rows, p);
      let nd = ldi(rowNode, r);
      if (nd < 0) continue;
      let pair = gh + (<usize>r << 3);
      std(gnm, nd, ldd(gnm, nd) - <f64>load<f32>(pair));
      std(hnm, nd, ldd(hnm, nd) - <f64>load<f32>(pair + 4));
    }
    for (let nd = 0; nd < nNodes; nd++) {
      let from = ldi(segF, nd);
      let to = ldi(segF, nd + 1);
      if (from == to || load<u8>(mask + <usize>nd * <usize>m + <usize>f) == 0) continue;
      let best = ldd(bestGain, nd);
      let gain = scanNode(work, from, to, ldd(nodeG, nd), ldd(nodeH, nd), ldd(gnm, nd), ldd(hnm, nd), ldd(parentScore, nd), best, lambda, alpha, minChildWeight);
      if (!(gain > best)) continue;
      std(bestGain, nd, gain);
      store<i32>(bestFeature + (<usize>nd << 2), f);
      store<f32>(bestThr + (<usize>nd << 2), foundThr);
      store<u8>(bestLeft + <usize>nd, foundLeft ? 1 : 0);
      std(bestGL, nd, foundGL);
      std(bestHL, nd, foundHL);
    }
  }
}

/** Adds the entry's (g, h) (f32, at bytes 8 and 12) to the sums (f64x2). */
@inline function addPair(sums: v128, e: usize): v128 {
  return f64x2.add(sums, f64x2.promote_low_f32x4(v128.load64_zero(e, 8)));
}

@inline function found(thr: f32, left: bool, L: v128): void {
  foundThr = thr;
  foundLeft = left;
  foundGL = f64x2.extract_lane(L, 0);
  foundHL = f64x2.extract_lane(L, 1);
}

/** The threshold between neighbouring distinct values a < b: their midpoint, or b for adjacent floats (x < b still separates them). */
@inline function midpoint(a: f32, b: f32): f32 {
  let thr: f32 = (a + b) * <f32>0.5;
  return thr <= a ? b : thr;
}

/**
 * Scans one node's segment `[from, to)` of `work` (its entries: value, row, g, h; node totals G,
 * H, non-missing gnm, hnm, score ps): returns the best gain above `best` (its split in found*),
 * or `best`. The left sums are one f64x2 (G_L, H_L). With missing rows both their sides are
 * scored at once, lane 0 with them right and lane 1 with them left, each lane as splitGain would.
 */
function scanNode(work: usize, from: i32, to: i32, G: f64, H: f64, gnm: f64, hnm: f64, ps: f64, best: f64, lambda: f64, alpha: f64, mcw: f64): f64 {
  let lam = f64x2.splat(lambda);
  let alp = f64x2.splat(alpha);
  let l1 = alpha != 0;
  let minH = f64x2.splat(mcw);
  let T = pair(G, H);
  let M = pair(G - gnm, H - hnm); // the missing rows' sums
  let sums = f64x2.splat(0);
  let prev = load<f32>(entry(work, from));
  if (!(f64x2.extract_lane(M, 1) > 0)) {
    for (let p = from; p < to; p++) {
      let e = entry(work, p);
      let v = load<f32>(e);
      if (v != prev) {
        let gain = splitGain(sums, T, ps, lam, alp, l1, minH);
        if (gain > best) {
          best = gain;
          found(midpoint(prev, v), false, sums);
        }
      }
      sums = addPair(sums, e);
      prev = v;
    }
    return best;
  }
  for (let p = from; p < to; p++) {
    let e = entry(work, p);
    let v = load<f32>(e);
    if (v != prev) {
      let L1 = f64x2.add(sums, M);
      let gains = bothGains(sums, L1, T, ps, lam, alp, l1, minH);
      if (v128.any_true(f64x2.gt(gains, f64x2.splat(best)))) {
        let gain = f64x2.extract_lane(gains, 0);
        if (gain > best) {
          best = gain;
          found(midpoint(prev, v), false, sums);
        }
        gain = f64x2.extract_lane(gains, 1);
        if (gain > best) {
          best = gain;
          found(midpoint(prev, v), true, L1);
        }
      }
    }
    sums = addPair(sums, e);
    prev = v;
  }
  // the two splits that put the missing rows alone on one side
  let lo = load<f32>(entry(work, from));
  let hi = load<f32>(entry(work, to - 1));
  let gain = splitGain(pair(gnm, hnm), T, ps, lam, alp, l1, minH); // all values left, missing right
  if (gain > best) {
    best = gain;
    found(hi + (abs(hi) + <f32>1e-6), false, pair(gnm, hnm));
  }
  gain = splitGain(M, T, ps, lam, alp, l1, minH); // missing left, all values right
  if (gain > best) {
    best = gain;
    found(lo - (abs(lo) + <f32>1e-6), true, M);
  }
  return best;
}

/**
 * Moves every row of a level node to its child: `split[nd]` < 0 marks a node that stays a leaf
 * (its rows get `rowNode` = −2 − `leafId[nd]`); otherwise a row goes to level node
 * `child[nd]` (left) or `child[nd] + 1` (right) by x < `thr[nd]` on feature `split[nd]` of
 * `X` (f32 row-major, m columns), NaN by `left[nd]`, and `side[r]` (u8) says which: 0 left,
 * 1 right (a byte per row: what the next level's partitionColumn reads, from a small array).
 * Rows with `rowNode` < 0 stay.
 */
export function tree_exact_apply(
  X: usize, m: i32, n: i32, rowNode: usize, split: usize, thr: usize, left: usize, child: usize, leafId: usize, side: usize,
): void {
  for (let r = 0; r < n; r++) {
    let nd = ldi(rowNode, r);
    if (nd < 0) continue;
    let f = ldi(split, nd);
    let next: i32;
    if (f < 0) next = -2 - ldi(leafId, nd);
    else {
      let x = load<f32>(X + ((<usize>r * <usize>m + <usize>f) << 2));
      let right = <i32>!(isNaN(x) ? load<u8>(left + <usize>nd) != 0 : x < load<f32>(thr + (<usize>nd << 2)));
      store<u8>(side + <usize>r, right);
      next = ldi(child, nd) + right;
    }
    store<i32>(rowNode + (<usize>r << 2), next);
  }
}

/**
 * Column blocks: for each feature f, its non-missing values of `X` (f32 row-major n × m)
 * ascending in `outVals[colPtr[f] ..]` with their row ids in `outRows` (equal values, −0 and +0
 * alike, by row);
 * `colPtr` gets m + 1 entries. The rows missing f, ascending, fill `outRows` from its end (n · m
 * entries in all): f's are `outRows[n·m − missPtr[f+1] .. n·m − missPtr[f])`, `missPtr` m + 1
 * running counts. Scratch: `keys` 8 · n bytes.
 */
export function tree_column_blocks(X: usize, n: i32, m: i32, keys: usize, outVals: usize, outRows: usize, colPtr: usize, missPtr: usize): void {
  let at = 0;
  let missing = 0;
  let total = n * m;
  store<i32>(colPtr, 0);
  store<i32>(missPtr, 0);
  for (let f = 0; f < m; f++) {
    let count = 0;
    // rows downwards: the missing ones land in the tail in ascending order (the keys hold the
    // row, so their order here does not matter)
    for (let r = n - 1; r >= 0; r--) {
      let x = load<f32>(X + ((<usize>r * <usize>m + <usize>f) << 2));
      if (isNaN(x)) {
        missing++;
        store<i32>(outRows + (<usize>(total - missing) << 2), r);
        continue;
      }
      // order-preserving bits of the float in the high word (−0 as +0: one value, its rows in
      // order, as the approx sketch reads them), the row in the low word
      let bits = x == 0 ? 0 : reinterpret<u32>(x);
      let key = (bits & 0x80000000) != 0 ? ~bits : bits | 0x80000000;
      store<u64>(keys + (<usize>count << 3), (<u64>key << 32) | <u64>r);
      count++;
    }
    sortRaw<u64>(keys, count);
    for (let i = 0; i < count; i++) {
      let k = load<u64>(keys + (<usize>i << 3));
      store<i32>(outRows + (<usize>(at + i) << 2), <i32>(k & 0xffffffff));
      store<f32>(outVals + (<usize>(at + i) << 2), load<f32>(X + ((<usize>(<i32>(k & 0xffffffff)) * <usize>m + <usize>f) << 2)));
    }
    at += count;
    store<i32>(colPtr + (<usize>(f + 1) << 2), at);
    store<i32>(missPtr + (<usize>(f + 1) << 2), missing);
  }
}
