import { sortRaw } from "../common/sort";
import { ldi, score } from "./gain";

// Exact greedy split search for gradient boosting (XGBoost's `exact`, its colmaker; SPEC 2).
//
// Each feature is sorted once into a column block (`vals` ascending, with `rows`, missing values
// left out). All nodes of a level are searched together: one scan of a feature's block visits
// every row, looks up the level node the row is in (`rowNode`), and accumulates that node's left
// sums in sorted order; between two distinct values of a node the split at their midpoint is
// evaluated with the node's missing rows sent right and sent left. Each node's non-missing totals
// are its totals minus its missing rows' pairs, from the feature's list of missing rows (kept
// with the block): no scan of the block for them, and a column without missing values has none
// to subtract, so only the missing-right direction is tried there.
// Gains are XGBoost's loss_chg: score(L) + score(R) − score(parent), score = T_α(G)²/(H + λ).

@inline function ldd(base: usize, i: i32): f64 {
  return load<f64>(base + (<usize>i << 3));
}
@inline function std(base: usize, i: i32, v: f64): void {
  store<f64>(base + (<usize>i << 3), v);
}

// per-call parameters, set by tree_exact_level
let parentScore: usize = 0;
let lam: f64 = 0;
let alp: f64 = 0;
let mcw: f64 = 0;

/**
 * Updates, for every level node (`nNodes`; totals `nodeG/nodeH`, f64), its best split over the
 * features f with `mask[node·m + f]` ≠ 0: best gain so far in `bestGain` (f64, caller sets −∞),
 * feature `bestFeature` (i32), threshold `bestThr` (f32; x < thr goes left), `bestLeft` (u8: the
 * missing rows go left), left sums `bestGL/bestHL` (f64). Column f of the block is
 * `vals/rows[colPtr[f] .. colPtr[f+1])`, its missing rows `rows[total − missPtr[f+1] .. total −
 * missPtr[f])` (total = `rowsLen`, see tree_column_blocks); `rowNode[r]` is the row's level node
 * or < 0 (not searched); `gh` f32 (g, h) by row id. Scratch: `scratch` 6 · nNodes f64 + 2 ·
 * nNodes f32 (left sums, non-missing sums, a seen flag, first/last value, the parent's score per
 * node). A strictly larger gain replaces the best, so on ties the earlier feature and the
 * smaller threshold win.
 */
export function tree_exact_level(
  vals: usize, rows: usize, colPtr: usize, missPtr: usize, rowsLen: i32, m: i32, rowNode: usize, gh: usize, nNodes: i32,
  nodeG: usize, nodeH: usize, mask: usize, lambda: f64, alpha: f64, minChildWeight: f64, scratch: usize,
  bestGain: usize, bestFeature: usize, bestThr: usize, bestLeft: usize, bestGL: usize, bestHL: usize,
): void {
  lam = lambda;
  alp = alpha;
  mcw = minChildWeight;
  let gl = scratch;
  let hl = gl + (<usize>nNodes << 3);
  let gnm = hl + (<usize>nNodes << 3);
  let hnm = gnm + (<usize>nNodes << 3);
  let seen = hnm + (<usize>nNodes << 3); // f64 flag per node: 1 once a value was seen
  let first = seen + (<usize>nNodes << 3);
  let last = first + (<usize>nNodes << 2);
  parentScore = last + (<usize>nNodes << 2);
  for (let nd = 0; nd < nNodes; nd++) std(parentScore, nd, score(ldd(nodeG, nd), ldd(nodeH, nd), lambda, alpha));
  for (let f = 0; f < m; f++) {
    let from = ldi(colPtr, f);
    let to = ldi(colPtr, f + 1);
    memory.fill(gl, 0, <usize>nNodes * 16);
    memory.fill(seen, 0, <usize>nNodes * 8);
    // non-missing totals: the node's, less its missing rows'
    memory.copy(gnm, nodeG, <usize>nNodes << 3);
    memory.copy(hnm, nodeH, <usize>nNodes << 3);
    for (let p = rowsLen - ldi(missPtr, f + 1), end = rowsLen - ldi(missPtr, f); p < end; p++) {
      let r = ldi(rows, p);
      let nd = ldi(rowNode, r);
      if (nd < 0 || load<u8>(mask + <usize>nd * <usize>m + <usize>f) == 0) continue;
      let pair = gh + (<usize>r << 3);
      std(gnm, nd, ldd(gnm, nd) - <f64>load<f32>(pair));
      std(hnm, nd, ldd(hnm, nd) - <f64>load<f32>(pair + 4));
    }
    // left sums in sorted order, a split between each two distinct values of a node
    for (let p = from; p < to; p++) {
      let r = ldi(rows, p);
      let nd = ldi(rowNode, r);
      if (nd < 0 || load<u8>(mask + <usize>nd * <usize>m + <usize>f) == 0) continue;
      let v = load<f32>(vals + (<usize>p << 2));
      if (ldd(seen, nd) == 0) {
        std(seen, nd, 1);
        store<f32>(first + (<usize>nd << 2), v);
      } else {
        let prev = load<f32>(last + (<usize>nd << 2));
        if (v != prev) {
          let thr: f32 = (prev + v) * <f32>0.5;
          if (thr <= prev) thr = v; // adjacent floats: x < v still separates them
          evaluate(nd, f, thr, ldd(gl, nd), ldd(hl, nd), ldd(gnm, nd), ldd(hnm, nd), nodeG, nodeH, bestGain, bestFeature, bestThr, bestLeft, bestGL, bestHL);
        }
      }
      store<f32>(last + (<usize>nd << 2), v);
      let pair = gh + (<usize>r << 3);
      std(gl, nd, ldd(gl, nd) + <f64>load<f32>(pair));
      std(hl, nd, ldd(hl, nd) + <f64>load<f32>(pair + 4));
    }
    // the two splits that put the missing rows alone on one side
    for (let nd = 0; nd < nNodes; nd++) {
      if (ldd(seen, nd) == 0) continue;
      let gm = ldd(nodeG, nd) - ldd(gnm, nd);
      let hm = ldd(nodeH, nd) - ldd(hnm, nd);
      if (!(hm > 0)) continue;
      let lo = load<f32>(first + (<usize>nd << 2));
      let hi = load<f32>(last + (<usize>nd << 2));
      // all values left, missing right
      evaluateOne(nd, f, hi + (abs(hi) + <f32>1e-6), false, ldd(gnm, nd), ldd(hnm, nd), nodeG, nodeH, bestGain, bestFeature, bestThr, bestLeft, bestGL, bestHL);
      // missing left, all values right
      evaluateOne(nd, f, lo - (abs(lo) + <f32>1e-6), true, gm, hm, nodeG, nodeH, bestGain, bestFeature, bestThr, bestLeft, bestGL, bestHL);
    }
  }
}

/** Both missing directions of the split at `thr` with non-missing left sums (gl, hl). */
@inline function evaluate(
  nd: i32, f: i32, thr: f32, gl: f64, hl: f64, gnm: f64, hnm: f64, nodeG: usize, nodeH: usize,
  bestGain: usize, bestFeature: usize, bestThr: usize, bestLeft: usize, bestGL: usize, bestHL: usize,
): void {
  let G = ldd(nodeG, nd);
  let H = ldd(nodeH, nd);
  evaluateOne(nd, f, thr, false, gl, hl, nodeG, nodeH, bestGain, bestFeature, bestThr, bestLeft, bestGL, bestHL);
  if (H - hnm > 0) evaluateOne(nd, f, thr, true, gl + (G - gnm), hl + (H - hnm), nodeG, nodeH, bestGain, bestFeature, bestThr, bestLeft, bestGL, bestHL);
}

/** Records the split with left sums (gl, hl) for node `nd` when it beats the node's best. */
@inline function evaluateOne(
  nd: i32, f: i32, thr: f32, missingLeft: bool, gl: f64, hl: f64, nodeG: usize, nodeH: usize,
  bestGain: usize, bestFeature: usize, bestThr: usize, bestLeft: usize, bestGL: usize, bestHL: usize,
): void {
  let G = ldd(nodeG, nd);
  let H = ldd(nodeH, nd);
  let hr = H - hl;
  if (!(hl >= mcw && hr >= mcw)) return;
  let gain = score(gl, hl, lam, alp) + score(G - gl, hr, lam, alp) - ldd(parentScore, nd);
  if (!(gain > ldd(bestGain, nd))) return;
  std(bestGain, nd, gain);
  store<i32>(bestFeature + (<usize>nd << 2), f);
  store<f32>(bestThr + (<usize>nd << 2), thr);
  store<u8>(bestLeft + <usize>nd, missingLeft ? 1 : 0);
  std(bestGL, nd, gl);
  std(bestHL, nd, hl);
}

/**
 * Moves every row of a level node to its child: `split[nd]` < 0 marks a node that stays a leaf
 * (its rows get `rowNode` = −2 − `leafId[nd]`); otherwise a row goes to level node
 * `child[nd]` (left) or `child[nd] + 1` (right) by x < `thr[nd]` on feature `split[nd]` of
 * `X` (f32 row-major, m columns), NaN by `left[nd]`. Rows with `rowNode` < 0 stay.
 */
export function tree_exact_apply(
  X: usize, m: i32, n: i32, rowNode: usize, split: usize, thr: usize, left: usize, child: usize, leafId: usize,
): void {
  for (let r = 0; r < n; r++) {
    let nd = ldi(rowNode, r);
    if (nd < 0) continue;
    let f = ldi(split, nd);
    let next: i32;
    if (f < 0) next = -2 - ldi(leafId, nd);
    else {
      let x = load<f32>(X + ((<usize>r * <usize>m + <usize>f) << 2));
      let goLeft = isNaN(x) ? load<u8>(left + <usize>nd) != 0 : x < load<f32>(thr + (<usize>nd << 2));
      next = ldi(child, nd) + (goLeft ? 0 : 1);
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
