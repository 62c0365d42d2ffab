// Forest prediction over flattened trees (SPEC 2): XGBoost's JSON layout, all trees' nodes
// concatenated. Tree t owns nodes [treePtr[t], treePtr[t+1]); child indices are relative to it
// (−1 = leaf); a leaf's value is its split condition. A row goes left when x < condition, and a
// missing (NaN) value goes left iff default_left — XGBoost's rule. Leaf values are added to the
// row's margin of class treeInfo[t] in tree order, rounding to f32 after each add, as XGBoost
// does, so margins come out bit-identical.

@inline function ldi(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}

/**
 * The node (absolute index) where `row` leaves the tree whose root is node `base`. Both children
 * are loaded and one is selected, so the walk has no data-dependent branch to mispredict.
 */
@inline function leafOf(row: usize, base: i32, left: usize, right: usize, splitIndex: usize, cond: usize, defaultLeft: usize): i32 {
  let node = base;
  let l = ldi(left, node);
  while (l >= 0) {
    let x = load<f32>(row + (<usize>ldi(splitIndex, node) << 2));
    let goLeft = select<bool>(load<u8>(defaultLeft + <usize>node) != 0, x < load<f32>(cond + (<usize>node << 2)), x != x);
    node = base + select<i32>(l, ldi(right, node), goLeft);
    l = ldi(left, node);
  }
  return node;
}

/** One step down from `node` (left child `l`), or `node` itself at a leaf (l < 0). */
@inline function step(row: usize, node: i32, l: i32, base: i32, right: usize, splitIndex: usize, cond: usize, defaultLeft: usize): i32 {
  let x = load<f32>(row + (<usize>ldi(splitIndex, node) << 2));
  let goLeft = select<bool>(load<u8>(defaultLeft + <usize>node) != 0, x < load<f32>(cond + (<usize>node << 2)), x != x);
  return select<i32>(node, base + select<i32>(l, ldi(right, node), goLeft), l < 0);
}

@inline function addLeaf(margin: usize, r: i32, nClass: i32, cls: i32, cond: usize, node: i32): void {
  let at = margin + ((<usize>r * <usize>nClass + <usize>cls) << 2);
  store<f32>(at, load<f32>(at) + load<f32>(cond + (<usize>node << 2)));
}

/** Rows per block: a block's margins stay in cache while every tree walks it. */
@inline const BLOCK: i32 = 64;

/**
 * `margin[r·nClass + treeInfo[t]] += leaf(t, row r)` for trees [tFrom, tTo) and rows
 * [rFrom, rTo) of `X` (f32, row-major, m columns).
 */
export function tree_predict_margin(
  X: usize, m: i32, rFrom: i32, rTo: i32, left: usize, right: usize, splitIndex: usize, cond: usize,
  defaultLeft: usize, treePtr: usize, treeInfo: usize, tFrom: i32, tTo: i32, nClass: i32, margin: usize,
): void {
  for (let r0 = rFrom; r0 < rTo; r0 += BLOCK) {
    let r1 = min(r0 + BLOCK, rTo);
    for (let t = tFrom; t < tTo; t++) {
      let base = ldi(treePtr, t);
      let cls = ldi(treeInfo, t);
      // four rows walk together: four independent load chains keep the core busy
      let r = r0;
      for (; r + 4 <= r1; r += 4) {
        let x0 = X + ((<usize>r * <usize>m) << 2);
        let x1 = x0 + (<usize>m << 2);
        let x2 = x1 + (<usize>m << 2);
        let x3 = x2 + (<usize>m << 2);
        let n0 = base;
        let n1 = base;
        let n2 = base;
        let n3 = base;
        while (true) {
          let l0 = ldi(left, n0);
          let l1 = ldi(left, n1);
          let l2 = ldi(left, n2);
          let l3 = ldi(left, n3);
          if ((l0 & l1 & l2 & l3) < 0) break; // all four at leaves
          n0 = step(x0, n0, l0, base, right, splitIndex, cond, defaultLeft);
          n1 = step(x1, n1, l1, base, right, splitIndex, cond, defaultLeft);
          n2 = step(x2, n2, l2, base, right, splitIndex, cond, defaultLeft);
          n3 = step(x3, n3, l3, base, right, splitIndex, cond, defaultLeft);
        }
        addLeaf(margin, r, nClass, cls, cond, n0);
        addLeaf(margin, r + 1, nClass, cls, cond, n1);
        addLeaf(margin, r + 2, nClass, cls, cond, n2);
        addLeaf(margin, r + 3, nClass, cls, cond, n3);
      }
      for (; r < r1; r++) addLeaf(margin, r, nClass, cls, cond, leafOf(X + ((<usize>r * <usize>m) << 2), base, left, right, splitIndex, cond, defaultLeft));
    }
  }
}

/** `out[r·(tTo − tFrom) + (t − tFrom)]` = the leaf (node index within tree t) row r reaches. */
export function tree_predict_leaf(
  X: usize, m: i32, rFrom: i32, rTo: i32, left: usize, right: usize, splitIndex: usize, cond: usize,
  defaultLeft: usize, treePtr: usize, tFrom: i32, tTo: i32, out: usize,
): void {
  let nt = tTo - tFrom;
  for (let r = rFrom; r < rTo; r++) {
    let row = X + ((<usize>r * <usize>m) << 2);
    for (let t = tFrom; t < tTo; t++) {
      let base = ldi(treePtr, t);
      let node = leafOf(row, base, left, right, splitIndex, cond, defaultLeft);
      store<i32>(out + ((<usize>r * <usize>nt + <usize>(t - tFrom)) << 2), node - base);
    }
  }
}
