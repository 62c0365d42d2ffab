import { ldi } from "./gain";
import { tree_exact_apply, tree_exact_level, tree_exact_root, tree_exact_start } from "./exact";
import { boost_add_code_values } from "../boost/margins";

// A whole exact tree grown in the kernel, level by level (the scan kernels are exact.ts'): the
// nodes, the level bookkeeping and the layout into XGBoost's arrays live here, so JavaScript
// calls once per level and runs no loop per node. (V8 compiled those loops on every fit, and on
// small sets compiling them cost more CPU than running them.) The rules are grown-tree.ts':
// depth-wise, a node splits when its best loss change exceeds kRtEps, its depth < maxDepth and
// the tree has fewer than maxLeaves leaves (0: no limit); γ prunes bottom-up; leaf value
// η · (−T_α(G) / (H + λ)); nodes laid out breadth-first.

// Loss changes at or below this are no split (XGBoost's kRtEps).
const RT_EPS: f64 = 1e-6;

/** A tree being grown on m features: room for `cap` nodes, grown as needed. */
@unmanaged class ExactTree {
  cap: i32;
  m: i32;
  /** Nodes grown so far; the current level's node count; its depth; the leaves. */
  count: i32;
  k: i32;
  depth: i32;
  leaves: i32;
  /** Nodes of the level `seg` belongs to, once it is searched (0: `seg` is the current level's). */
  prevK: i32;
  /** Nodes, cap each: parent, left, right, feature, default-left (i32), condition (f32), G, H, gain (f64). */
  nodes: usize;
  /** The current and the next level's node ids (i32 × cap each). */
  level: usize;
  next: usize;
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
  /** Feature masks of the level's nodes (cap × m bytes). */
  mask: usize;
  /** Column segments of the last level searched (m × (prevK + 1), or m × 2 for the root's). */
  seg: usize;
  /** The laid-out tree (see tree_exact_tree_layout), and each grown node's leaf value. */
  out: usize;
  values: usize;
  /** Breadth-first order and each grown node's place in it (−1: pruned). */
  order: usize;
  slot: usize;
}

@inline function tree(t: usize): ExactTree {
  return changetype<ExactTree>(t);
}

// node fields
@inline function parentOf(t: ExactTree): usize { return t.nodes; }
@inline function leftOf(t: ExactTree): usize { return t.nodes + 4 * <usize>t.cap; }
@inline function rightOf(t: ExactTree): usize { return t.nodes + 8 * <usize>t.cap; }
@inline function featureOf(t: ExactTree): usize { return t.nodes + 12 * <usize>t.cap; }
@inline function defaultLeftOf(t: ExactTree): usize { return t.nodes + 16 * <usize>t.cap; }
@inline function conditionOf(t: ExactTree): usize { return t.nodes + 20 * <usize>t.cap; }
@inline function gOf(t: ExactTree): usize { return t.nodes + 24 * <usize>t.cap; }
@inline function hOf(t: ExactTree): usize { return t.nodes + 32 * <usize>t.cap; }
@inline function gainOf(t: ExactTree): usize { return t.nodes + 40 * <usize>t.cap; }

@inline function ldd(base: usize, i: i32): f64 {
  return load<f64>(base + (<usize>i << 3));
}
@inline function std(base: usize, i: i32, v: f64): void {
  store<f64>(base + (<usize>i << 3), v);
}
@inline function sti(base: usize, i: i32, v: i32): void {
  store<i32>(base + (<usize>i << 2), v);
}

/** A new tree state for m features, room for `cap` nodes to begin with (freed by tree_exact_tree_free). */
export function tree_exact_tree_new(cap: i32, m: i32): usize {
  let t = tree(heap.alloc(offsetof<ExactTree>()));
  memory.fill(changetype<usize>(t), 0, offsetof<ExactTree>());
  t.m = m;
  resize(t, max(cap, 2));
  return changetype<usize>(t);
}

/** `ptr` (0: none) moved to a new block of `bytes`, its first `keep` bytes kept. */
function realloc(ptr: usize, bytes: usize, keep: usize): usize {
  let to = heap.alloc(bytes);
  if (ptr) {
    memory.copy(to, ptr, keep);
    heap.free(ptr);
  }
  return to;
}

/**
 * Room for `cap` nodes (at least the current): the grown nodes, the current level's ids and its
 * children (the next partition reads them) are kept; the rest is per level.
 */
function resize(t: ExactTree, cap: i32): void {
  let old = <usize>t.cap;
  let c = <usize>cap;
  let count = <usize>t.count;
  let nodes = heap.alloc(48 * c);
  if (t.nodes) {
    for (let j: usize = 0; j < 6; j++) memory.copy(nodes + 4 * j * c, t.nodes + 4 * j * old, 4 * count);
    for (let j: usize = 0; j < 3; j++) memory.copy(nodes + (24 + 8 * j) * c, t.nodes + (24 + 8 * j) * old, 8 * count);
    heap.free(t.nodes);
  }
  t.nodes = nodes;
  t.level = realloc(t.level, 4 * c, 4 * <usize>t.k);
  t.child = realloc(t.child, 4 * c, 4 * <usize>t.prevK);
  t.next = realloc(t.next, 4 * c, 0);
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
  t.mask = realloc(t.mask, c * <usize>t.m, 0);
  t.out = realloc(t.out, 29 * c, 0);
  t.values = realloc(t.values, 4 * c, 0);
  t.order = realloc(t.order, 4 * c, 0);
  t.slot = realloc(t.slot, 4 * c, 0);
  t.cap = cap;
}

/** The current node capacity (the layout's arrays have this many entries each). */
export function tree_exact_tree_cap(p: usize): i32 {
  return tree(p).cap;
}

export function tree_exact_tree_free(p: usize): void {
  let t = tree(p);
  heap.free(t.nodes);
  heap.free(t.level);
  heap.free(t.next);
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
  heap.free(t.mask);
  heap.free(t.out);
  heap.free(t.values);
  heap.free(t.order);
  heap.free(t.slot);
  if (t.seg) heap.free(t.seg);
  heap.free(p);
}

/** Where JavaScript writes the level's feature masks (k × m bytes) for tree_exact_tree_level. */
export function tree_exact_tree_mask(p: usize): usize {
  return tree(p).mask;
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
  store<i32>(parentOf(t), -1);
  store<i32>(leftOf(t), -1);
  store<i32>(rightOf(t), -1);
  store<i32>(featureOf(t), -1);
  store<i32>(defaultLeftOf(t), 0);
  store<f32>(conditionOf(t), 0);
  store<f64>(gOf(t), load<f64>(t.sums));
  store<f64>(hOf(t), load<f64>(t.sums, 8));
  store<f64>(gainOf(t), 0);
  store<i32>(t.level, 0);
  t.count = 1;
  t.k = 1;
  t.depth = 0;
  t.leaves = 1;
  t.prevK = 0;
  if (t.count + 2 * t.k > t.cap) resize(t, t.count + 2 * t.k);
}

/**
 * Grows the current level: below `maxDepth`, searches its nodes' best splits (tree_exact_level;
 * the masks at tree_exact_tree_mask when `masked`, else `allowed` for every node), splits those
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
    let GL = ldd(t.bestGL, i);
    let HL = ldd(t.bestHL, i);
    std(gainOf(t), id, gain);
    sti(featureOf(t), id, f);
    store<f32>(conditionOf(t) + (<usize>id << 2), thr);
    sti(defaultLeftOf(t), id, missingLeft);
    let l = t.count;
    let r = l + 1;
    t.count = l + 2;
    addNode(t, l, id, GL, HL);
    addNode(t, r, id, ldd(gOf(t), id) - GL, ldd(hOf(t), id) - HL);
    sti(leftOf(t), id, l);
    sti(rightOf(t), id, r);
    sti(t.split, i, f);
    store<f32>(t.thr + (<usize>i << 2), thr);
    store<u8>(t.left + <usize>i, missingLeft);
    sti(t.child, i, nextK);
    sti(t.next, nextK, l);
    sti(t.next, nextK + 1, r);
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

@inline function addNode(t: ExactTree, id: i32, parent: i32, G: f64, H: f64): void {
  sti(parentOf(t), id, parent);
  sti(leftOf(t), id, -1);
  sti(rightOf(t), id, -1);
  sti(featureOf(t), id, -1);
  sti(defaultLeftOf(t), id, 0);
  store<f32>(conditionOf(t) + (<usize>id << 2), 0);
  std(gOf(t), id, G);
  std(hOf(t), id, H);
  std(gainOf(t), id, 0);
}

/**
 * Prunes the grown tree by γ and lays it out breadth-first into the arrays at
 * tree_exact_tree_out (cap entries each: left_children, right_children, split_indices i32,
 * split_conditions, base_weights, loss_changes, sum_hessian f32, default_left u8); returns the
 * node count. Also sets each grown node's leaf value (that of its nearest ancestor kept in the
 * tree) for tree_exact_tree_add_leaf_values.
 */
export function tree_exact_tree_layout(p: usize, gamma: f64, lambda: f64, alpha: f64, eta: f64): i32 {
  let t = tree(p);
  let left = leftOf(t);
  let right = rightOf(t);
  for (let i = t.count - 1; i >= 0; i--) {
    let l = ldi(left, i);
    if (l < 0 || ldi(left, l) >= 0 || ldi(left, ldi(right, i)) >= 0 || ldd(gainOf(t), i) >= gamma) continue;
    sti(left, i, -1);
    sti(right, i, -1);
  }
  memory.fill(t.slot, 0xff, <usize>t.count << 2);
  store<i32>(t.order, 0);
  let size = 1;
  for (let k = 0; k < size; k++) {
    let id = ldi(t.order, k);
    sti(t.slot, id, k);
    let l = ldi(left, id);
    if (l < 0) continue;
    sti(t.order, size, l);
    sti(t.order, size + 1, ldi(right, id));
    size += 2;
  }
  let c = <usize>t.cap;
  let out = t.out;
  memory.fill(out, 0, 29 * c);
  for (let k = 0; k < size; k++) {
    let id = ldi(t.order, k);
    let G = ldd(gOf(t), id);
    let H = ldd(hOf(t), id);
    let tg = G > alpha ? G - alpha : G < -alpha ? G + alpha : 0;
    let w = H > 0 ? -tg / (H + lambda) : 0; // XGBoost's CalcWeight
    let at = <usize>k << 2;
    store<f32>(out + 16 * c + at, <f32>w);
    store<f32>(out + 24 * c + at, <f32>H);
    let l = ldi(left, id);
    if (l < 0) {
      store<i32>(out + at, -1);
      store<i32>(out + 4 * c + at, -1);
      store<f32>(out + 12 * c + at, <f32>(eta * w));
    } else {
      store<i32>(out + at, ldi(t.slot, l));
      store<i32>(out + 4 * c + at, ldi(t.slot, ldi(right, id)));
      store<i32>(out + 8 * c + at, ldi(featureOf(t), id));
      store<f32>(out + 12 * c + at, load<f32>(conditionOf(t) + (<usize>id << 2)));
      store<u8>(out + 28 * c + <usize>k, <u8>ldi(defaultLeftOf(t), id));
      store<f32>(out + 20 * c + at, <f32>ldd(gainOf(t), id));
    }
  }
  // a pruned node's rows belong to the nearest ancestor that kept a place in the tree
  for (let id = 0; id < t.count; id++) {
    let at = id;
    while (ldi(t.slot, at) < 0) at = ldi(parentOf(t), at);
    store<f32>(t.values + (<usize>id << 2), load<f32>(out + 12 * c + (<usize>ldi(t.slot, at) << 2)));
  }
  return size;
}

/** Where tree_exact_tree_layout lays the tree out (see there). */
export function tree_exact_tree_out(p: usize): usize {
  return tree(p).out;
}

/** Adds the last tree's leaf values to the margins of the rows it grew on (boost_add_code_values). */
export function tree_exact_tree_add_leaf_values(p: usize, rowNode: usize, n: i32, margin: usize, groups: i32, cls: i32): void {
  boost_add_code_values(rowNode, n, tree(p).values, margin, groups, cls);
}
