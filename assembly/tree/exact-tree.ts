import { ldd, ldi, std, sti } from "./gain";
import { Grown, RT_EPS, freeNodes, growNodes, layout, parentOf, realloc, setNode, splitNode, gOf, hOf } from "./grown";
import { tree_exact_apply, tree_exact_level, tree_exact_root, tree_exact_start } from "./exact";
import { boost_add_code_values } from "../boost/margins";

// A whole exact tree grown in the kernel, level by level (the scan kernels are exact.ts', the
// nodes and their layout grown.ts'), so JavaScript calls once per level and runs no loop per
// node. (V8 compiled those loops on every fit, and on small sets compiling them cost more CPU
// than running them.) Depth-wise, as grown-tree.ts: a node splits when its best loss change
// exceeds kRtEps, its depth < maxDepth and the tree has fewer than maxLeaves leaves (0: no limit).

/** A tree being grown on m features (its nodes: Grown), with the level's working arrays. */
@unmanaged class ExactTree extends Grown {
  /** Nodes of the level `seg` belongs to, once it is searched (0: `seg` is the current level's). */
  prevK: i32;
  /** Per level node (cap each): totals, best split (tree_exact_level's outputs), and the apply arrays. */
  levelG: usize;
  levelH: usize;
  sums: usize;
  bestGain: usize;
  bestGL: usize;
  bestHL: usize;
  bestFeature: usize;
  bestThr: usize;
  bestLeft: usize;
  split: usize;
  thr: usize;
  left: usize;
  child: usize;
  leafId: usize;
  /** Column segments of the last level searched (m × (prevK + 1), or m × 2 for the root's). */
  seg: usize;
  /** Each grown node's leaf value (its nearest kept ancestor's in the layout). */
  values: usize;
}

@inline function tree(t: usize): ExactTree {
  return changetype<ExactTree>(t);
}

/** A new tree state for m features, room for `cap` nodes to begin with (freed by tree_exact_tree_free). */
export function tree_exact_tree_new(cap: i32, m: i32): usize {
  let t = tree(heap.alloc(offsetof<ExactTree>()));
  memory.fill(changetype<usize>(t), 0, offsetof<ExactTree>());
  t.m = m;
  resize(t, max(cap, 2));
  return changetype<usize>(t);
}

/**
 * Room for `cap` nodes (at least the current): the grown nodes, the current level's ids and its
 * children (the next partition reads them) are kept; the rest is per level.
 */
function resize(t: ExactTree, cap: i32): void {
  growNodes(t, cap);
  let c = <usize>t.cap;
  t.child = realloc(t.child, 4 * c, 4 * <usize>t.prevK);
  t.levelG = realloc(t.levelG, 8 * c, 0);
  t.levelH = realloc(t.levelH, 8 * c, 0);
  t.sums = realloc(t.sums, 24 * c, 0);
  t.bestGain = realloc(t.bestGain, 8 * c, 0);
  t.bestGL = realloc(t.bestGL, 8 * c, 0);
  t.bestHL = realloc(t.bestHL, 8 * c, 0);
  t.bestFeature = realloc(t.bestFeature, 4 * c, 0);
  t.bestThr = realloc(t.bestThr, 4 * c, 0);
  t.bestLeft = realloc(t.bestLeft, c, 0);
  t.split = realloc(t.split, 4 * c, 0);
  t.thr = realloc(t.thr, 4 * c, 0);
  t.left = realloc(t.left, c, 0);
  t.leafId = realloc(t.leafId, 4 * c, 0);
  t.values = realloc(t.values, 4 * c, 0);
}

export function tree_exact_tree_free(p: usize): void {
  let t = tree(p);
  freeNodes(t);
  heap.free(t.levelG);
  heap.free(t.levelH);
  heap.free(t.sums);
  heap.free(t.bestGain);
  heap.free(t.bestGL);
  heap.free(t.bestHL);
  heap.free(t.bestFeature);
  heap.free(t.bestThr);
  heap.free(t.bestLeft);
  heap.free(t.split);
  heap.free(t.thr);
  heap.free(t.left);
  heap.free(t.child);
  heap.free(t.leafId);
  heap.free(t.values);
  if (t.seg) heap.free(t.seg);
  heap.free(p);
}

/**
 * Starts a tree on the `count` sampled rows `sample` (u32 ids < n): tree_exact_start, then the
 * root's segments (tree_exact_root) of the `allowed` features; the root is node 0.
 */
export function tree_exact_tree_begin(
  p: usize, sample: usize, count: i32, n: i32, gh: usize, rowNode: usize, vals: usize, rows: usize, colPtr: usize, allowed: usize, work: usize,
): void {
  let t = tree(p);
  tree_exact_start(sample, count, n, gh, rowNode, t.sums);
  if (t.seg) heap.free(t.seg);
  t.seg = heap.alloc(8 * <usize>t.m);
  tree_exact_root(vals, rows, colPtr, t.m, rowNode, gh, allowed, work, t.seg);
  t.count = 1;
  setNode(t, 0, -1, load<f64>(t.sums), load<f64>(t.sums, 8), 0, 0, 0);
  store<i32>(t.level, 0);
  t.k = 1;
  t.depth = 0;
  t.leaves = 1;
  t.prevK = 0;
  if (t.count + 2 * t.k > t.cap) resize(t, t.count + 2 * t.k);
}

/**
 * Grows the current level: below `maxDepth`, searches its nodes' best splits (tree_exact_level;
 * the masks at tree_grown_mask when `masked`, else `allowed` for every node), splits those
 * that qualify, and moves every row to its child or leaf (tree_exact_apply). Returns the next
 * level's node count (0: the tree is grown). Blocks as in ExactGrower (src/tree/exact-grower.ts).
 */
export function tree_exact_tree_level(
  p: usize, masked: bool, allowed: usize, maxDepth: i32, maxLeaves: i32, lambda: f64, alpha: f64, minChildWeight: f64,
  X: usize, n: i32, rows: usize, missPtr: usize, rowNode: usize, side: usize, gh: usize, work: usize, scratch: usize,
): i32 {
  let t = tree(p);
  let k = t.k;
  let m = t.m;
  let search = t.depth < maxDepth;
  if (search) {
    // this level's segments: split from the last level's, or the root's as they are
    let seg = t.prevK > 0 ? heap.alloc(4 * <usize>m * <usize>(k + 1)) : t.seg;
    for (let i = 0; i < k; i++) {
      let id = ldi(t.level, i);
      std(t.levelG, i, ldd(gOf(t), id));
      std(t.levelH, i, ldd(hOf(t), id));
      std(t.bestGain, i, -Infinity);
      if (!masked) memory.copy(t.mask + <usize>i * <usize>m, allowed, <usize>m);
    }
    tree_exact_level(
      work, seg, t.seg, t.prevK, t.child, side, scratch, rows, n * m, missPtr, m, rowNode, gh, k, t.levelG, t.levelH, t.mask,
      lambda, alpha, minChildWeight, t.sums, t.bestGain, t.bestFeature, t.bestThr, t.bestLeft, t.bestGL, t.bestHL,
    );
    if (seg != t.seg) {
      heap.free(t.seg);
      t.seg = seg;
    }
  }
  let nextK = 0;
  for (let i = 0; i < k; i++) {
    let id = ldi(t.level, i);
    sti(t.split, i, -1);
    sti(t.child, i, -1);
    sti(t.leafId, i, id);
    let gain = ldd(t.bestGain, i);
    if (!search || !(gain > RT_EPS) || (maxLeaves > 0 && t.leaves >= maxLeaves)) continue;
    let f = ldi(t.bestFeature, i);
    let thr = load<f32>(t.bestThr + (<usize>i << 2));
    let missingLeft = load<u8>(t.bestLeft + <usize>i);
    let l = splitNode(t, id, gain, f, thr, missingLeft, ldd(t.bestGL, i), ldd(t.bestHL, i));
    sti(t.split, i, f);
    store<f32>(t.thr + (<usize>i << 2), thr);
    store<u8>(t.left + <usize>i, missingLeft);
    sti(t.child, i, nextK);
    sti(t.next, nextK, l);
    sti(t.next, nextK + 1, l + 1);
    nextK += 2;
    t.leaves++;
  }
  tree_exact_apply(X, m, n, rowNode, t.split, t.thr, t.left, t.child, t.leafId, side);
  // the segments now belong to a searched level, which t.child splits
  if (search) t.prevK = k;
  let swap = t.level;
  t.level = t.next;
  t.next = swap;
  t.k = nextK;
  t.depth++;
  // room for the next level to split every node
  if (t.count + 2 * nextK > t.cap) resize(t, max(2 * t.cap, t.count + 2 * nextK));
  return nextK;
}

/**
 * Prunes the grown tree by γ and lays it out (grown.ts' layout: the arrays at tree_grown_out);
 * returns the node count. Also sets each grown node's leaf value (that of its nearest ancestor
 * kept in the tree) for tree_exact_tree_add_leaf_values.
 */
export function tree_exact_tree_layout(p: usize, gamma: f64, lambda: f64, alpha: f64, eta: f64): i32 {
  let t = tree(p);
  let size = layout(t, gamma, lambda, alpha, eta);
  let conditions = t.out + 12 * <usize>t.cap;
  // a pruned node's rows belong to the nearest ancestor that kept a place in the tree
  for (let id = 0; id < t.count; id++) {
    let at = id;
    while (ldi(t.slot, at) < 0) at = ldi(parentOf(t), at);
    store<f32>(t.values + (<usize>id << 2), load<f32>(conditions + (<usize>ldi(t.slot, at) << 2)));
  }
  return size;
}

/** Adds the last tree's leaf values to the margins of the rows it grew on (boost_add_code_values). */
export function tree_exact_tree_add_leaf_values(p: usize, rowNode: usize, n: i32, margin: usize, groups: i32, cls: i32): void {
  boost_add_code_values(rowNode, n, tree(p).values, margin, groups, cls);
}
