// Forest prediction over packed trees (built by src/boost/predict.ts from XGBoost's arrays).
//
// Values are compared as order-preserving integer keys: a float's bits with the magnitude bits
// of negatives flipped (−0 taken as +0), so x < c iff key(x) < key(c) (the float key of radix
// sorts, as in M. Herf, "Radix Tricks", 2001, kept signed here). Each block of rows is
// first turned into key pairs, row-major, two i32 per feature: the first has NaN as INT_MIN
// (below every split: NaN goes left), the second NaN as INT_MAX (NaN goes right). A node
// addresses the pair member that matches its default_left, so a step is one signed compare.
//
// Node record, 16 bytes at `nodes + 16·i`:
//   i32 left   absolute index of the left child; the right child is left + 1. A leaf points at
//              itself with key INT_MAX, which no row reaches (NaN reads INT_MIN there), so every
//              row of tree t takes exactly depth(t) steps and the walk has no data-dependent branch
//   u32 at     byte offset of the key in a row's pairs: 8·feature (+4 when NaN goes right)
//   i32 key    key(split condition): the row goes right when its key ≥ this
//   f32 leaf   the leaf value (0 at splits)
// Tree record, 16 bytes at `trees + 16·t`: i32 root, i32 depth, i32 class (output group), pad.
// Leaf values are added to a row's margin in tree order, rounding to f32 after each add as
// XGBoost does, so margins come out bit-identical.

/** Rows per block: the block's keys stay in L1 while every tree walks them. */
@inline const BLOCK: i32 = 64;

/** Bytes of scratch the walkers need for rows of `m` features. */
export function tree_predict_scratch_bytes(m: i32): i32 {
  return BLOCK * m * 8;
}

/** Key pairs of `count` floats at `x`, written to `out` (8 bytes per float). */
function keyPairs(x: usize, count: i32, out: usize): void {
  let zero = f32x4.splat(0);
  let nanLeft = i32x4.splat(i32.MIN_VALUE);
  let nanRight = i32x4.splat(i32.MAX_VALUE);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    let v = f32x4.add(v128.load(x + (<usize>i << 2)), zero); // −0 + 0 = +0
    let key = v128.xor(v, i32x4.shr_u(i32x4.shr_s(v, 31), 1));
    let nan = f32x4.ne(v, v);
    let a = v128.bitselect(nanLeft, key, nan);
    let b = v128.bitselect(nanRight, key, nan);
    v128.store(out + (<usize>i << 3), i32x4.shuffle(a, b, 0, 4, 1, 5));
    v128.store(out + (<usize>i << 3), i32x4.shuffle(a, b, 2, 6, 3, 7), 16);
  }
  for (; i < count; i++) {
    let v = load<f32>(x + (<usize>i << 2)) + 0;
    let bits = reinterpret<i32>(v);
    let key = bits ^ (<i32>(<u32>(bits >> 31) >> 1));
    let nan = v != v;
    store<i32>(out + (<usize>i << 3), select<i32>(i32.MIN_VALUE, key, nan));
    store<i32>(out + (<usize>i << 3), select<i32>(i32.MAX_VALUE, key, nan), 4);
  }
}

/** One step down from `node` for the row whose key pairs start at `row`. */
@inline function step(nodes: usize, row: usize, node: i32): i32 {
  let at = nodes + (<usize>node << 4);
  let goRight = load<i32>(row + <usize>load<u32>(at, 4)) >= load<i32>(at, 8);
  return load<i32>(at) + <i32>goRight;
}

@inline function leafValue(nodes: usize, node: i32): f32 {
  return load<f32>(nodes + (<usize>node << 4), 12);
}

@inline function addTo(margin: usize, v: f32): void {
  store<f32>(margin, load<f32>(margin) + v);
}

/**
 * `margin[r·nClass + class(t)] += leaf(t, row r)` for trees [tFrom, tTo) and rows [0, n) of `X`
 * (f32, row-major, m columns); `scratch` holds tree_predict_scratch_bytes(m).
 */
export function tree_predict_margin(X: usize, m: i32, n: i32, nodes: usize, trees: usize, tFrom: i32, tTo: i32, nClass: i32, margin: usize, scratch: usize): void {
  let stride = <usize>m << 3;
  let mstride = <usize>nClass << 2;
  for (let r0 = 0; r0 < n; r0 += BLOCK) {
    let rows = min(BLOCK, n - r0);
    keyPairs(X + ((<usize>r0 * <usize>m) << 2), rows * m, scratch);
    let block = margin + <usize>r0 * mstride;
    for (let t = tFrom; t < tTo; t++) {
      let tree = trees + (<usize>t << 4);
      let root = load<i32>(tree);
      let depth = load<i32>(tree, 4);
      let out = block + (<usize>load<i32>(tree, 8) << 2);
      // eight rows walk together: independent load chains keep the core busy
      let r = 0;
      for (; r + 8 <= rows; r += 8) {
        let x0 = scratch + <usize>r * stride;
        let x1 = x0 + stride;
        let x2 = x1 + stride;
        let x3 = x2 + stride;
        let x4 = x3 + stride;
        let x5 = x4 + stride;
        let x6 = x5 + stride;
        let x7 = x6 + stride;
        let n0 = root, n1 = root, n2 = root, n3 = root, n4 = root, n5 = root, n6 = root, n7 = root;
        for (let d = 0; d < depth; d++) {
          n0 = step(nodes, x0, n0);
          n1 = step(nodes, x1, n1);
          n2 = step(nodes, x2, n2);
          n3 = step(nodes, x3, n3);
          n4 = step(nodes, x4, n4);
          n5 = step(nodes, x5, n5);
          n6 = step(nodes, x6, n6);
          n7 = step(nodes, x7, n7);
        }
        let o = out + <usize>r * mstride;
        addTo(o, leafValue(nodes, n0));
        addTo(o + mstride, leafValue(nodes, n1));
        addTo(o + 2 * mstride, leafValue(nodes, n2));
        addTo(o + 3 * mstride, leafValue(nodes, n3));
        addTo(o + 4 * mstride, leafValue(nodes, n4));
        addTo(o + 5 * mstride, leafValue(nodes, n5));
        addTo(o + 6 * mstride, leafValue(nodes, n6));
        addTo(o + 7 * mstride, leafValue(nodes, n7));
      }
      for (; r < rows; r++) {
        let row = scratch + <usize>r * stride;
        let node = root;
        for (let d = 0; d < depth; d++) node = step(nodes, row, node);
        addTo(out + <usize>r * mstride, leafValue(nodes, node));
      }
    }
  }
}

/**
 * `out[r·nt + t]` = the node (absolute index) row r reaches in tree t, for trees [0, nt);
 * `scratch` as for tree_predict_margin.
 */
export function tree_predict_leaf(X: usize, m: i32, n: i32, nodes: usize, trees: usize, nt: i32, out: usize, scratch: usize): void {
  let stride = <usize>m << 3;
  for (let r0 = 0; r0 < n; r0 += BLOCK) {
    let rows = min(BLOCK, n - r0);
    keyPairs(X + ((<usize>r0 * <usize>m) << 2), rows * m, scratch);
    for (let r = 0; r < rows; r++) {
      let row = scratch + <usize>r * stride;
      let o = out + ((<usize>(r0 + r) * <usize>nt) << 2);
      for (let t = 0; t < nt; t++) {
        let tree = trees + (<usize>t << 4);
        let node = load<i32>(tree);
        let depth = load<i32>(tree, 4);
        for (let d = 0; d < depth; d++) node = step(nodes, row, node);
        store<i32>(o + (<usize>t << 2), node);
      }
    }
  }
}

/** XGBoost's float32 sigmoid, 1/(1 + expf(min(−m, 88.7))); the clamp keeps tiny probabilities positive. */
@inline function sigmoid(m: f32): f32 {
  return <f32>1 / (Mathf.exp(min<f32>(-m, 88.7)) + <f32>1);
}

/**
 * Probabilities from the margins of n rows (f32, k per row), XGBoost 1.7's float32 formulas:
 * k = 1 (binary:logistic) writes [1 − p, p] per row with p = sigmoid(margin); k ≥ 2 writes the
 * row's softmax, expf(m − max) over their float64 sum rounded to float32.
 */
export function tree_predict_proba(margin: usize, n: i32, k: i32, out: usize): void {
  if (k == 1) {
    for (let r = 0; r < n; r++) {
      let p = sigmoid(load<f32>(margin + (<usize>r << 2)));
      store<f32>(out + (<usize>r << 3), <f32>1 - p);
      store<f32>(out + (<usize>r << 3), p, 4);
    }
    return;
  }
  for (let r = 0; r < n; r++) {
    let row = margin + ((<usize>r * <usize>k) << 2);
    let o = out + ((<usize>r * <usize>k) << 2);
    let top = load<f32>(row);
    for (let c = 1; c < k; c++) top = max(top, load<f32>(row + (<usize>c << 2)));
    let sum: f64 = 0;
    for (let c = 0; c < k; c++) {
      let e = Mathf.exp(load<f32>(row + (<usize>c << 2)) - top);
      store<f32>(o + (<usize>c << 2), e);
      sum += e;
    }
    let total = <f32>sum;
    for (let c = 0; c < k; c++) store<f32>(o + (<usize>c << 2), load<f32>(o + (<usize>c << 2)) / total);
  }
}
