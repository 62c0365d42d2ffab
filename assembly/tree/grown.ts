import { ldd, ldi, std, sti } from "./gain";

// The nodes of a tree grown in the kernel (exact-tree.ts, hist-tree.ts) and what every split
// strategy does with them once grown, as src/tree/grown-tree.ts does in JavaScript: γ pruning
// (bottom-up, a split whose children are both leaves and whose loss change is below γ becomes a
// leaf), leaf value η · (−T_α(G) / (H + λ)), and the breadth-first layout into XGBoost's arrays.

// Loss changes at or below this are no split (XGBoost's kRtEps).
export const RT_EPS: f64 = 1e-6;

/**
 * A tree being grown on m features, level by level: its nodes, room for `cap` (parent, left,
 * right, feature, default-left, and a range (from, to) and histogram for hist (i32); condition
 * (f32); G, H, gain (f64)), the current level, and the layout.
 */
@unmanaged export class Grown {
  cap: i32;
  count: i32;
  m: i32;
  /** The current level's node count, its depth, the leaves. */
  k: i32;
  depth: i32;
  leaves: i32;
  nodes: usize;
  /** The current and the next level's node ids (i32 × cap each). */
  level: usize;
  next: usize;
  /** Feature masks of the level's nodes (cap × m bytes). */
  mask: usize;
  /** The layout: breadth-first order, each grown node's place in it (−1: pruned), the arrays (see layout). */
  order: usize;
  slot: usize;
  out: usize;
}

@inline function grown(p: usize): Grown {
  return changetype<Grown>(p);
}

/** The node capacity (the layout's arrays have this many entries each). */
export function tree_grown_cap(p: usize): i32 {
  return grown(p).cap;
}

/** Where JavaScript writes the level's feature masks (k × m bytes). */
export function tree_grown_mask(p: usize): usize {
  return grown(p).mask;
}

/** Where layout lays the tree out. */
export function tree_grown_out(p: usize): usize {
  return grown(p).out;
}

// field k of the node arrays: 4-byte fields first, then the f64s
@inline function field4(g: Grown, k: i32): usize { return g.nodes + 4 * <usize>k * <usize>g.cap; }
@inline function field8(g: Grown, k: i32): usize { return g.nodes + (36 + 8 * <usize>k) * <usize>g.cap; }
@inline export function parentOf(g: Grown): usize { return field4(g, 0); }
@inline export function leftOf(g: Grown): usize { return field4(g, 1); }
@inline export function rightOf(g: Grown): usize { return field4(g, 2); }
@inline export function featureOf(g: Grown): usize { return field4(g, 3); }
@inline export function defaultLeftOf(g: Grown): usize { return field4(g, 4); }
@inline export function fromOf(g: Grown): usize { return field4(g, 5); }
@inline export function toOf(g: Grown): usize { return field4(g, 6); }
@inline export function histOf(g: Grown): usize { return field4(g, 7); }
@inline export function conditionOf(g: Grown): usize { return field4(g, 8); }
@inline export function gOf(g: Grown): usize { return field8(g, 0); }
@inline export function hOf(g: Grown): usize { return field8(g, 1); }
@inline export function gainOf(g: Grown): usize { return field8(g, 2); }
const NODE_BYTES: usize = 36 + 24;

/** `ptr` (0: none) moved to a new block of `bytes`, its first `keep` bytes kept. */
export function realloc(ptr: usize, bytes: usize, keep: usize): usize {
  let to = heap.alloc(bytes);
  if (ptr) {
    memory.copy(to, ptr, keep);
    heap.free(ptr);
  }
  return to;
}

/** Room for `cap` nodes: the grown ones and the current level's ids kept. */
export function growNodes(g: Grown, cap: i32): void {
  cap = (cap + 1) & ~1; // even: the f64 fields stay 8-byte aligned
  let old = <usize>g.cap;
  let c = <usize>cap;
  let count = <usize>g.count;
  let nodes = heap.alloc(NODE_BYTES * c);
  if (g.nodes) {
    for (let j: usize = 0; j < 9; j++) memory.copy(nodes + 4 * j * c, g.nodes + 4 * j * old, 4 * count);
    for (let j: usize = 0; j < 3; j++) memory.copy(nodes + (36 + 8 * j) * c, g.nodes + (36 + 8 * j) * old, 8 * count);
    heap.free(g.nodes);
  }
  g.nodes = nodes;
  g.level = realloc(g.level, 4 * c, 4 * <usize>g.k);
  g.next = realloc(g.next, 4 * c, 0);
  g.mask = realloc(g.mask, c * <usize>g.m, 0);
  g.order = realloc(g.order, 4 * c, 0);
  g.slot = realloc(g.slot, 4 * c, 0);
  g.out = realloc(g.out, 29 * c, 0);
  g.cap = cap;
}

export function freeNodes(g: Grown): void {
  heap.free(g.nodes);
  heap.free(g.level);
  heap.free(g.next);
  heap.free(g.mask);
  heap.free(g.order);
  heap.free(g.slot);
  heap.free(g.out);
}

/** Sets node `id`: a leaf under `parent` with totals G, H, rows [from, to) and histogram `hist` (hist's; 0 otherwise). */
export function setNode(g: Grown, id: i32, parent: i32, G: f64, H: f64, from: i32, to: i32, hist: usize): void {
  sti(parentOf(g), id, parent);
  sti(leftOf(g), id, -1);
  sti(rightOf(g), id, -1);
  sti(featureOf(g), id, -1);
  sti(defaultLeftOf(g), id, 0);
  sti(fromOf(g), id, from);
  sti(toOf(g), id, to);
  store<u32>(histOf(g) + (<usize>id << 2), <u32>hist);
  store<f32>(conditionOf(g) + (<usize>id << 2), 0);
  std(gOf(g), id, G);
  std(hOf(g), id, H);
  std(gainOf(g), id, 0);
}

/**
 * Splits node `id` (loss change `gain`, x < `condition` on `feature` goes left, missing by
 * `defaultLeft`) into two new nodes, the left one with totals (GL, HL) and the right one the
 * rest; both keep the parent's rows and histogram until partitioned. Returns the left one's id.
 */
export function splitNode(g: Grown, id: i32, gain: f64, feature: i32, condition: f32, defaultLeft: i32, GL: f64, HL: f64): i32 {
  std(gainOf(g), id, gain);
  sti(featureOf(g), id, feature);
  store<f32>(conditionOf(g) + (<usize>id << 2), condition);
  sti(defaultLeftOf(g), id, defaultLeft);
  let l = g.count;
  g.count = l + 2;
  let from = ldi(fromOf(g), id);
  let to = ldi(toOf(g), id);
  let hist = <usize>load<u32>(histOf(g) + (<usize>id << 2));
  setNode(g, l, id, GL, HL, from, to, hist);
  setNode(g, l + 1, id, ldd(gOf(g), id) - GL, ldd(hOf(g), id) - HL, from, to, hist);
  sti(leftOf(g), id, l);
  sti(rightOf(g), id, l + 1);
  return l;
}

/**
 * Prunes by γ and lays the tree out breadth-first into `g.out` (cap entries each: left_children,
 * right_children, split_indices i32, split_conditions, base_weights, loss_changes, sum_hessian
 * f32, default_left u8); `g.order` / `g.slot` get the order and each grown node's place
 * (−1: pruned). Returns the node count.
 */
export function layout(g: Grown, gamma: f64, lambda: f64, alpha: f64, eta: f64): i32 {
  let left = leftOf(g);
  let right = rightOf(g);
  for (let i = g.count - 1; i >= 0; i--) {
    let l = ldi(left, i);
    if (l < 0 || ldi(left, l) >= 0 || ldi(left, ldi(right, i)) >= 0 || ldd(gainOf(g), i) >= gamma) continue;
    sti(left, i, -1);
    sti(right, i, -1);
  }
  memory.fill(g.slot, 0xff, <usize>g.count << 2);
  store<i32>(g.order, 0);
  let size = 1;
  for (let k = 0; k < size; k++) {
    let id = ldi(g.order, k);
    sti(g.slot, id, k);
    let l = ldi(left, id);
    if (l < 0) continue;
    sti(g.order, size, l);
    sti(g.order, size + 1, ldi(right, id));
    size += 2;
  }
  let c = <usize>g.cap;
  let out = g.out;
  memory.fill(out, 0, 29 * c);
  for (let k = 0; k < size; k++) {
    let id = ldi(g.order, k);
    let G = ldd(gOf(g), id);
    let H = ldd(hOf(g), id);
    let t = G > alpha ? G - alpha : G < -alpha ? G + alpha : 0;
    let w = H > 0 ? -t / (H + lambda) : 0; // XGBoost's CalcWeight
    let at = <usize>k << 2;
    store<f32>(out + 16 * c + at, <f32>w);
    store<f32>(out + 24 * c + at, <f32>H);
    let l = ldi(left, id);
    if (l < 0) {
      store<i32>(out + at, -1);
      store<i32>(out + 4 * c + at, -1);
      store<f32>(out + 12 * c + at, <f32>(eta * w));
    } else {
      store<i32>(out + at, ldi(g.slot, l));
      store<i32>(out + 4 * c + at, ldi(g.slot, ldi(right, id)));
      store<i32>(out + 8 * c + at, ldi(featureOf(g), id));
      store<f32>(out + 12 * c + at, load<f32>(conditionOf(g) + (<usize>id << 2)));
      store<u8>(out + 28 * c + <usize>k, <u8>ldi(defaultLeftOf(g), id));
      store<f32>(out + 20 * c + at, <f32>ldd(gainOf(g), id));
    }
  }
  return size;
}
