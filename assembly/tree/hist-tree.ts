import { ldd, ldi, std, sti } from "./gain";
import { Grown, RT_EPS, freeNodes, fromOf, gOf, growNodes, hOf, histOf, layout, leftOf, realloc, setNode, splitNode, toOf } from "./grown";
import { tree_best_splits, tree_partition_splits, tree_split_histograms } from "./histogram";
import { boost_add_leaf_values } from "../boost/margins";

// A whole hist (or global approx) tree grown in the kernel, level by level, for one shard holding
// every feature (src/tree/hist-shard.ts begins the tree: its rows, cuts, codes and the root's
// histogram). Each level: tree_best_splits of its nodes, the split rules, tree_partition_splits
// and tree_split_histograms, as HistogramGrower and HistShard do it in JavaScript for several
// shards; JavaScript calls once per level and runs no loop per node (V8 compiled those on every
// fit, and on small sets compiling them cost more CPU than running them).

const NODE = 3; // f64s per node of tree_best_splits' table: histogram address, G, H
const CANDIDATE = 8; // f64s per node of its answer: gain, feature, bin, default left, G_L, H_L, threshold, missing code
const SPLIT = 9; // i32s per split record of tree_partition_splits / tree_split_histograms

/** A tree being grown on m features (its nodes: Grown, with their ranges and histograms). */
@unmanaged class HistTree extends Grown {
  /** Per level node (cap each): tree_best_splits' table and answers, the split records and their nodes. */
  table: usize;
  best: usize;
  splits: usize;
  splitIds: usize;
  /** The children's histogram blocks of this tree (one per level), freed once it is laid out. */
  hists: usize;
  nHists: i32;
  capHists: i32;
  /** The laid-out leaves' ranges of positions (i32 pairs) and values, and their count. */
  ranges: usize;
  values: usize;
  nLeaves: i32;
}

@inline function tree(t: usize): HistTree {
  return changetype<HistTree>(t);
}

/** A new tree state for m features, room for `cap` nodes to begin with (freed by tree_hist_tree_free). */
export function tree_hist_tree_new(cap: i32, m: i32): usize {
  let t = tree(heap.alloc(offsetof<HistTree>()));
  memory.fill(changetype<usize>(t), 0, offsetof<HistTree>());
  t.m = m;
  resize(t, max(cap, 2));
  return changetype<usize>(t);
}

/** Room for `cap` nodes: the grown nodes and the current level's ids are kept; the rest is per level. */
function resize(t: HistTree, cap: i32): void {
  growNodes(t, cap);
  let c = <usize>t.cap;
  t.table = realloc(t.table, 8 * NODE * c, 0);
  t.best = realloc(t.best, 8 * CANDIDATE * c, 0);
  t.splits = realloc(t.splits, 4 * SPLIT * c, 0);
  t.splitIds = realloc(t.splitIds, 4 * c, 0);
  t.ranges = realloc(t.ranges, 8 * c, 0);
  t.values = realloc(t.values, 4 * c, 0);
}

function freeHists(t: HistTree): void {
  for (let i = 0; i < t.nHists; i++) heap.free(load<usize>(t.hists + (<usize>i << 2)));
  t.nHists = 0;
}

export function tree_hist_tree_free(p: usize): void {
  let t = tree(p);
  freeHists(t);
  if (t.hists) heap.free(t.hists);
  freeNodes(t);
  heap.free(t.table);
  heap.free(t.best);
  heap.free(t.splits);
  heap.free(t.splitIds);
  heap.free(t.ranges);
  heap.free(t.values);
  heap.free(p);
}

/** Starts a tree: the root (node 0) holds positions [0, ns) with totals G, H and histogram `rootHist`. */
export function tree_hist_tree_begin(p: usize, G: f64, H: f64, ns: i32, rootHist: usize): void {
  let t = tree(p);
  freeHists(t);
  t.count = 1;
  setNode(t, 0, -1, G, H, 0, ns, rootHist);
  t.k = 1;
  t.depth = 0;
  t.leaves = 1;
  if (t.count + 2 * t.k > t.cap) resize(t, t.count + 2 * t.k);
  store<i32>(t.level, 0);
}

/**
 * Grows the current level: the best split of each node (over the masks at tree_grown_mask
 * when `masked`, else `allowed` for every node), the splits that qualify (loss change > kRtEps,
 * fewer than maxLeaves leaves), their partitions, and, when the children are above maxDepth,
 * their histograms (the smaller child built, the larger = parent − smaller). Returns the next
 * level's node count (0: the tree is grown). Codes, rows and scratch as HistShard passes them.
 */
export function tree_hist_tree_level(
  p: usize, masked: bool, allowed: usize, maxDepth: i32, maxLeaves: i32, lambda: f64, alpha: f64, minChildWeight: f64,
  codes: usize, rows: usize, histRows: usize, gh: usize, histOff: usize, nBins: usize, cuts: usize, cutPtr: usize, histBytes: i32,
  decisions: usize, scratchRows: usize, scratchGh: usize, scratchCodes: usize,
): i32 {
  let t = tree(p);
  let k = t.k;
  let m = t.m;
  for (let i = 0; i < k; i++) {
    let id = ldi(t.level, i);
    std(t.table, NODE * i, <f64>load<u32>(histOf(t) + (<usize>id << 2)));
    std(t.table, NODE * i + 1, ldd(gOf(t), id));
    std(t.table, NODE * i + 2, ldd(hOf(t), id));
    if (!masked) memory.copy(t.mask + <usize>i * <usize>m, allowed, <usize>m);
  }
  tree_best_splits(t.table, k, m, histOff, nBins, t.mask, cuts, cutPtr, lambda, alpha, minChildWeight, t.best);
  let count = 0;
  for (let i = 0; i < k; i++) {
    if (maxLeaves > 0 && t.leaves >= maxLeaves) break;
    let c = t.best + <usize>(CANDIDATE * i) * 8;
    let gain = load<f64>(c);
    if (!(gain > RT_EPS)) continue;
    let id = ldi(t.level, i);
    let f = <i32>load<f64>(c, 8);
    let defaultLeft = load<f64>(c, 24) != 0 ? 1 : 0;
    let l = splitNode(t, id, gain, f, <f32>load<f64>(c, 48), defaultLeft, load<f64>(c, 32), load<f64>(c, 40));
    let s = t.splits + <usize>(SPLIT * count) * 4;
    store<i32>(s, ldi(fromOf(t), id));
    store<i32>(s, ldi(toOf(t), id), 4);
    store<i32>(s, f, 8);
    store<i32>(s, <i32>load<f64>(c, 16), 12);
    store<i32>(s, <i32>load<f64>(c, 56), 16);
    store<i32>(s, defaultLeft, 20);
    sti(t.splitIds, count, id);
    sti(t.next, 2 * count, l);
    sti(t.next, 2 * count + 1, l + 1);
    count++;
    t.leaves++;
  }
  t.depth++;
  t.k = 0;
  if (count == 0) return 0;
  tree_partition_splits(t.splits, count, codes, m, rows, gh, decisions, scratchRows, scratchGh, scratchCodes);
  let children = t.depth < maxDepth;
  let block: usize = 0;
  if (children) {
    block = heap.alloc(<usize>count * <usize>histBytes);
    if (t.nHists == t.capHists) {
      t.capHists = max(8, 2 * t.capHists);
      t.hists = realloc(t.hists, <usize>t.capHists << 2, <usize>t.nHists << 2);
    }
    store<usize>(t.hists + (<usize>t.nHists << 2), block);
    t.nHists++;
  }
  for (let i = 0; i < count; i++) {
    let s = t.splits + <usize>(SPLIT * i) * 4;
    let id = ldi(t.splitIds, i);
    let l = ldi(leftOf(t), id);
    let from = load<i32>(s);
    let to = load<i32>(s, 4);
    let left = load<i32>(s, 24);
    sti(toOf(t), l, from + left);
    sti(fromOf(t), l + 1, from + left);
    if (!children) continue;
    let parent = load<u32>(histOf(t) + (<usize>id << 2));
    let small = <u32>(block + <usize>i * <usize>histBytes);
    store<u32>(s, parent, 28);
    store<u32>(s, small, 32);
    let smallLeft = left <= to - from - left;
    store<u32>(histOf(t) + (<usize>l << 2), smallLeft ? small : parent);
    store<u32>(histOf(t) + (<usize>(l + 1) << 2), smallLeft ? parent : small);
  }
  if (!children) return 0;
  tree_split_histograms(t.splits, count, codes, m, histRows, gh, histOff, histBytes >> 4);
  let swap = t.level;
  t.level = t.next;
  t.next = swap;
  t.k = 2 * count;
  // room for the next level to split every node
  if (t.count + 2 * t.k > t.cap) resize(t, max(2 * t.cap, t.count + 2 * t.k));
  return t.k;
}

/**
 * Prunes the grown tree by γ and lays it out (grown.ts' layout: the arrays at tree_grown_out);
 * returns the node count. Frees the tree's histograms and notes each laid-out leaf's range of
 * positions and value for tree_hist_tree_add_leaf_values.
 */
export function tree_hist_tree_layout(p: usize, gamma: f64, lambda: f64, alpha: f64, eta: f64): i32 {
  let t = tree(p);
  freeHists(t);
  let size = layout(t, gamma, lambda, alpha, eta);
  let c = <usize>t.cap;
  let leaves = 0;
  for (let k = 0; k < size; k++) {
    if (load<i32>(t.out + (<usize>k << 2)) >= 0) continue;
    let id = ldi(t.order, k);
    sti(t.ranges, 2 * leaves, ldi(fromOf(t), id));
    sti(t.ranges, 2 * leaves + 1, ldi(toOf(t), id));
    store<f32>(t.values + (<usize>leaves << 2), load<f32>(t.out + 12 * c + (<usize>k << 2)));
    leaves++;
  }
  t.nLeaves = leaves;
  return size;
}

/** Adds the last tree's leaf values to the margins of its rows (`rows`: the positions' row ids; boost_add_leaf_values). */
export function tree_hist_tree_add_leaf_values(p: usize, rows: usize, margin: usize, groups: i32, cls: i32): void {
  let t = tree(p);
  boost_add_leaf_values(rows, t.ranges, t.values, t.nLeaves, margin, groups, cls);
}
