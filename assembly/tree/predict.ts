// Forest prediction over flattened trees (SPEC 2): XGBoost's JSON layout, all trees' nodes
// concatenated. Tree t owns nodes [treePtr[t], treePtr[t+1]); child indices are relative to it
// (−1 = leaf); a leaf's value is its split condition. A row goes left when x < condition, and a
// missing (NaN) value goes left iff default_left — XGBoost's rule. Leaf values are added to the
// row's margin of class treeInfo[t] in tree order, rounding to f32 after each add, as XGBoost
// does, so margins come out bit-identical.

@inline function ldi(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}

/** The node (absolute index) where `row` leaves the tree whose root is node `base`. */
@inline function leafOf(row: usize, base: i32, left: usize, right: usize, splitIndex: usize, cond: usize, defaultLeft: usize): i32 {
  let node = base;
  let l = ldi(left, node);
  while (l >= 0) {
    let x = load<f32>(row + (<usize>ldi(splitIndex, node) << 2));
    let goLeft = isNaN(x) ? load<u8>(defaultLeft + <usize>node) != 0 : x < load<f32>(cond + (<usize>node << 2));
    node = base + (goLeft ? l : ldi(right, node));
    l = ldi(left, node);
  }
  return node;
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
      for (let r = r0; r < r1; r++) {
        let node = leafOf(X + ((<usize>r * <usize>m) << 2), base, left, right, splitIndex, cond, defaultLeft);
        let at = margin + ((<usize>r * <usize>nClass + <usize>cls) << 2);
        store<f32>(at, load<f32>(at) + load<f32>(cond + (<usize>node << 2)));
      }
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
