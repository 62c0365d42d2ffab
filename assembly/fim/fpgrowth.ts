// FP-growth (Han, Pei & Yin, "Mining frequent patterns without candidate generation", SIGMOD
// 2000) over trees of fixed-size node records in a LIFO arena.
//
// Conditional trees keep their parent's item order, so a conditional tree is a contraction of
// the union U of the ancestors of the item's nodes: U is collected once per projection (each
// node visited once, ancestors before descendants), counts are pushed up U in reverse, and the
// new tree is built top-down with one hash probe per node of U (after Borgelt, "An
// Implementation of the FP-growth Algorithm", OSDM 2005, which also projects by copying paths).
// On sparse data the first level reads conditional pattern bases from the recoded transactions
// instead of an initial tree (`mineSparse`). Output goes to a caller buffer that is handed to
// the host (`fim_flush`) whenever it fills.

import { arenaAlloc, arenaClose, arenaMark, arenaOpen, arenaRelease } from "../common/arena";
import { commonPrefixI32 } from "../common/simd";
import { sortRaw } from "../common/sort";
import { MAX_BLOCK, STATUS_BAD_ARGUMENT, STATUS_BAD_INPUT, STATUS_OK, STATUS_TOO_LARGE, fail } from "../common/status";

@external("env", "fim_flush")
declare function hostFlush(bytes: usize): void;

@external("env", "fim_progress")
declare function hostProgress(done: i32, total: i32): void;

/** Output record layouts. */
@inline const OUT_RECORDS: i32 = 0; // u32 len, u32 count, len × u32 item ids (ascending output rank)
@inline const OUT_SPMF: i32 = 1; // "a b c #SUP: n\n" with the caller's label bytes
@inline const RECORD_EXTRA: usize = 24; // record header, or "#SUP: " + 10 digits + newline
@inline const SUP_TAG: u64 = 0x203a50555323; // "#SUP: " little-endian
@inline const ARG_NODES: i32 = 12; // failure detail: FP-tree nodes

// One tree: node 0 is the root; local items 0..m-1 increase along every root-to-leaf path.
// Nodes are 24-byte records so that a walk up a path touches one cache line per node; the
// last two fields are scratch for projecting this tree.
@unmanaged class Tree {
  n: i32; // nodes in use, root included
  m: i32; // local items
  nodes: usize; // NODE_BYTES × capacity
  head: usize; // i32[m] first node of each item
  support: usize; // i32[m] support of each item in this tree
  gid: usize; // i32[m] global item id of each local item
}

@inline const NODE_BYTES: usize = 24;
@inline const ITEM: usize = 0;
@inline const COUNT: usize = 4;
@inline const PARENT: usize = 8;
@inline const NEXT: usize = 12; // node link: next node of the same item (0 ends)
// While a projection collects its nodes: the projection's (positive) epoch. Once they are
// collected: ~(the node's copy in the conditional tree), negative so it never equals an epoch.
@inline const MARK: usize = 16;
@inline const ACC: usize = 20; // count passing through this node in that projection

@inline function ld(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}
@inline function st(base: usize, i: i32, v: i32): void {
  store<i32>(base + (<usize>i << 2), v);
}
@inline function nodeAt(t: Tree, i: i32): usize {
  return t.nodes + <usize>i * NODE_BYTES;
}
@inline function field(t: Tree, i: i32, f: usize): i32 {
  return load<i32>(nodeAt(t, i) + f);
}
@inline function setField(t: Tree, i: i32, f: usize, v: i32): void {
  store<i32>(nodeAt(t, i) + f, v);
}

// ---- per-call state (set by fim_fpgrowth) ----
let minCount: i32 = 1;
let maxLen: i32 = 0x7fffffff;
let outMode: i32 = OUT_RECORDS;
let outBase: usize = 0;
let outCap: usize = 0;
let outPos: usize = 0;
let outRank: usize = 0; // i32[V] output order of each global id
let labelOff: usize = 0; // u32[V+1]
let labelBytes: usize = 0;
let packed: usize = 0; // u64[V]: label + blank as little-endian bytes when ≤ 8 bytes, else 0
let recordMax: usize = 0; // bytes one item of a record can take
let emitted: u64 = 0;

// projection scratch: U (nodes of the tree being projected) and one path
let union: usize = 0;
let climb: usize = 0;
let epoch: i32 = 0;
// scratch indexed by local item
let condCount: usize = 0;
let newRank: usize = 0;
let distinct: usize = 0;
// first levels with fewer frequent occurrences than this share of nTx × m run sparse
let densityThreshold: f64 = 0.05;
// items of the current prefix, sorted by output rank (one entry per recursion depth)
let prefix: usize = 0;

/** Tuning and test hook: the density below which the first level reads transactions. */
export function fim_set_density_threshold(share: f64): void {
  densityThreshold = share;
}

/** Itemsets written by the last successful `fim_fpgrowth`. */
export function fim_emitted(): f64 {
  return <f64>emitted;
}

/**
 * Mines every itemset with support ≥ `minSupport` (absolute) and at most `maxItems` items
 * (0 = no limit) from `nTx` transactions: item ids `items[offsets[t] .. offsets[t+1])`, each
 * < `nIds`. `rank[id]` orders items inside an output record; `mode` picks the record layout
 * (SPMF text needs `labOff`/`labBytes`). `items` and `offsets` are overwritten (recoded in
 * place). Returns a status; the count is `fim_emitted()`.
 */
export function fim_fpgrowth(
  items: usize, offsets: usize, nTx: i32, nIds: i32, minSupport: i32, maxItems: i32,
  rank: usize, mode: i32, labOff: usize, labBytes: usize, out: usize, cap: usize,
): i32 {
  if (minSupport < 1) return fail(STATUS_BAD_ARGUMENT, 4, minSupport);
  if (maxItems < 0) return fail(STATUS_BAD_ARGUMENT, 5, maxItems);
  minCount = minSupport;
  maxLen = maxItems == 0 ? 0x7fffffff : maxItems;
  outMode = mode;
  outBase = out;
  outCap = cap;
  outPos = 0;
  outRank = rank;
  labelOff = labOff;
  labelBytes = labBytes;
  emitted = 0;
  recordMax = 8; // one u64 store per short label
  if (mode == OUT_SPMF) {
    for (let id = 0; id < nIds; id++) {
      let len = <usize>(ld(labOff, id + 1) - ld(labOff, id)) + 1;
      if (len > recordMax) recordMax = len;
    }
  }
  if (cap < recordMax * 64 + RECORD_EXTRA) return fail(STATUS_BAD_ARGUMENT, 11, <f64>cap);

  let total = <usize>ld(offsets, nTx) - <usize>ld(offsets, 0);
  arenaOpen(min<usize>(total << 4, 1 << 26) + 4096);
  if (mode == OUT_SPMF) packLabels(nIds);
  let status = run(items, offsets, nTx, nIds);
  arenaClose();
  if (status == STATUS_OK && outPos > 0) hostFlush(outPos);
  return status;
}

function run(items: usize, offsets: usize, nTx: i32, nIds: i32): i32 {
  // 1. count each id once per transaction
  let seen = arenaAlloc(<usize>nIds << 2);
  let freq = arenaAlloc(<usize>nIds << 2);
  memory.fill(seen, 0, <usize>nIds << 2);
  memory.fill(freq, 0, <usize>nIds << 2);
  for (let t = 0; t < nTx; t++) {
    let end = ld(offsets, t + 1);
    for (let p = ld(offsets, t); p < end; p++) {
      let id = ld(items, p);
      if (<u32>id >= <u32>nIds) return fail(STATUS_BAD_INPUT, 0, <f64><u32>id);
      if (ld(seen, id) != t + 1) {
        st(seen, id, t + 1);
        st(freq, id, ld(freq, id) + 1);
      }
    }
  }

  // 2. header order: descending support, ties by id
  let m = 0;
  for (let id = 0; id < nIds; id++) if (ld(freq, id) >= minCount) m++;
  if (m == 0) return STATUS_OK;
  let keys = arenaAlloc(<usize>m << 3);
  let k = 0;
  for (let id = 0; id < nIds; id++) {
    let f = ld(freq, id);
    if (f < minCount) continue;
    store<u64>(keys + (<usize>k << 3), (<u64><u32>(~f) << 32) | <u64><u32>id);
    k++;
  }
  sortRaw<u64>(keys, m);
  let localOf = freq; // reuse: id → local item or -1
  memory.fill(localOf, 0xff, <usize>nIds << 2);
  memory.fill(seen, 0, <usize>nIds << 2);

  // 3. each transaction as its distinct frequent items in header order, recoded in place
  // (the write position never passes the read position; the caller's copy is scratch)
  let tx = items;
  let txStart = offsets;
  for (let r = 0; r < m; r++) {
    let key = load<u64>(keys + (<usize>r << 3));
    st(localOf, <i32>(key & 0xffffffff), r);
  }
  let used = 0;
  let longest = 0;
  for (let t = 0; t < nTx; t++) {
    let from = used;
    let begin = ld(offsets, t);
    let end = ld(offsets, t + 1);
    st(txStart, t, from);
    for (let p = begin; p < end; p++) {
      let id = ld(items, p);
      let r = ld(localOf, id);
      if (r >= 0 && ld(seen, id) != t + 1) {
        st(seen, id, t + 1);
        st(tx, used, r);
        used++;
      }
    }
    sortRaw<i32>(tx + (<usize>from << 2), used - from);
    if (used - from > longest) longest = used - from;
  }
  st(txStart, nTx, used);

  // 4. scratch shared by every projection
  climb = arenaAlloc(<usize>(longest + 1) << 2);
  epoch = 0;
  condCount = arenaAlloc(<usize>m << 2);
  memory.fill(condCount, 0, <usize>m << 2);
  newRank = arenaAlloc(<usize>m << 2);
  memory.fill(newRank, 0xff, <usize>m << 2);
  distinct = arenaAlloc(<usize>m << 2);
  prefix = arenaAlloc(<usize>(longest + 1) << 2);
  let gid = arenaAlloc(<usize>m << 2);
  let support = arenaAlloc(<usize>m << 2);
  for (let r = 0; r < m; r++) {
    let key = load<u64>(keys + (<usize>r << 3));
    st(gid, r, <i32>(key & 0xffffffff));
    st(support, r, ~<i32>(key >> 32));
  }
  if (<f64>used < densityThreshold * <f64>nTx * <f64>m) {
    union = arenaAlloc(<usize>(used + 1) << 2); // conditional trees hold ≤ used nodes
    mineSparse(tx, txStart, nTx, m, gid, support, used);
    return STATUS_OK;
  }

  // 5. the initial tree: inserting transactions in lexicographic order means each one shares
  // its prefix with the one before, and nodes come out numbered in depth-first preorder
  let order = arenaAlloc(<usize>nTx << 2);
  for (let t = 0; t < nTx; t++) st(order, t, t);
  sortTransactions(order, nTx, tx, txStart);
  // each transaction adds the nodes past its common prefix with the one before
  let nodes: i64 = 1;
  for (let o = 0; o < nTx; o++) {
    let t = ld(order, o);
    let a = ld(txStart, t);
    let len = ld(txStart, t + 1) - a;
    if (o == 0) {
      nodes += len;
      continue;
    }
    let b = ld(txStart, ld(order, o - 1));
    let lenB = ld(txStart, ld(order, o - 1) + 1) - b;
    nodes += len - commonPrefixI32(tx + (<usize>a << 2), tx + (<usize>b << 2), min(len, lenB));
  }
  if (<u64>nodes * <u64>NODE_BYTES >= MAX_BLOCK) return fail(STATUS_TOO_LARGE, ARG_NODES, <f64>nodes);
  let tree = newTree(<i32>nodes, m);
  memory.copy(tree.gid, gid, <usize>m << 2);
  memory.copy(tree.support, support, <usize>m << 2);
  let path = arenaAlloc(<usize>(longest + 1) << 2);
  let prev = -1;
  for (let o = 0; o < nTx; o++) {
    let t = ld(order, o);
    let a = ld(txStart, t);
    let len = ld(txStart, t + 1) - a;
    let shared = 0;
    if (prev >= 0) {
      let b = ld(txStart, prev);
      let lenB = ld(txStart, prev + 1) - b;
      shared = commonPrefixI32(tx + (<usize>a << 2), tx + (<usize>b << 2), min(len, lenB));
    }
    let node = shared == 0 ? 0 : ld(path, shared - 1);
    for (let i = 0; i < len; i++) {
      if (i >= shared) node = addNode(tree, node, ld(tx, a + i));
      else node = ld(path, i);
      setField(tree, node, COUNT, field(tree, node, COUNT) + 1);
      st(path, i, node);
    }
    prev = t;
  }
  union = arenaAlloc(<usize>tree.n << 2); // no conditional tree is larger than the first

  if (isPath(tree)) enumeratePath(tree, 1, 0);
  else mine(tree, 0, true);
  return STATUS_OK;
}

/**
 * The first level for sparse data (few items per transaction among many frequent ones): an
 * initial tree would share little, and projecting it is one cache miss per ancestor. Here each
 * item's conditional pattern base is read from the prefixes of the recoded transactions that
 * hold it (sequential scans, through per-item transaction lists) and its conditional FP-tree
 * is built from them directly; deeper levels are ordinary FP-growth.
 */
function mineSparse(tx: usize, txStart: usize, nTx: i32, m: i32, gid: usize, support: usize, used: i32): void {
  let tidStart = arenaAlloc(<usize>(m + 1) << 2);
  let fill = arenaAlloc(<usize>m << 2);
  let tids = arenaAlloc(<usize>used << 2);
  let total = 0;
  for (let r = 0; r < m; r++) {
    st(tidStart, r, total);
    st(fill, r, total);
    total += ld(support, r);
  }
  st(tidStart, m, total);
  for (let t = 0; t < nTx; t++) {
    let end = ld(txStart, t + 1);
    for (let p = ld(txStart, t); p < end; p++) {
      let r = ld(tx, p);
      let f = ld(fill, r);
      st(tids, f, t);
      st(fill, r, f + 1);
    }
  }

  for (let j = m - 1; j >= 0; j--) {
    hostProgress(m - 1 - j, m);
    let g = ld(gid, j);
    emit(0, g, ld(support, j));
    if (1 >= maxLen || j == 0) continue;
    // conditional supports over the items preceding j in each transaction holding it
    let nd = 0;
    let scanned = 0;
    let qEnd = ld(tidStart, j + 1);
    for (let q = ld(tidStart, j); q < qEnd; q++) {
      let t = ld(tids, q);
      for (let p = ld(txStart, t); ; p++) {
        let k = ld(tx, p);
        if (k == j) break;
        let c = ld(condCount, k);
        if (c == 0) {
          st(distinct, nd, k);
          nd++;
        }
        st(condCount, k, c + 1);
        scanned++;
      }
    }
    let mark = arenaMark();
    let c = conditionalTree(gid, nd, scanned + 1);
    if (c.m > 0) {
      let tableMark = arenaMark();
      let table = newTable(scanned + 1);
      let mask = tableMask(scanned + 1);
      for (let q = ld(tidStart, j); q < qEnd; q++) {
        let t = ld(tids, q);
        let node = 0;
        for (let p = ld(txStart, t); ; p++) {
          let k = ld(tx, p);
          if (k == j) break;
          let r = ld(newRank, k);
          if (r < 0) continue;
          node = childOf(c, table, mask, node, r);
          setField(c, node, COUNT, field(c, node, COUNT) + 1);
        }
      }
      arenaRelease(tableMark);
      clearRanks(c.m);
      pushPrefix(0, g);
      if (isPath(c)) enumeratePath(c, 1, 1);
      else mine(c, 1, false);
      popPrefix(1, g);
    }
    arenaRelease(mark);
  }
  hostProgress(m, m);
}

/** Sorts transaction indices by their item sequences (a proper prefix sorts first). */
function sortTransactions(order: usize, n: i32, tx: usize, start: usize): void {
  while (n > 16) {
    let pivot = ld(order, n >> 1);
    let i = 0;
    let j = n - 1;
    while (i <= j) {
      while (compareTx(ld(order, i), pivot, tx, start) < 0) i++;
      while (compareTx(ld(order, j), pivot, tx, start) > 0) j--;
      if (i <= j) {
        let t = ld(order, i);
        st(order, i, ld(order, j));
        st(order, j, t);
        i++;
        j--;
      }
    }
    if (j + 1 < n - i) {
      sortTransactions(order, j + 1, tx, start);
      order += <usize>i << 2;
      n -= i;
    } else {
      sortTransactions(order + (<usize>i << 2), n - i, tx, start);
      n = j + 1;
    }
  }
  for (let i = 1; i < n; i++) {
    let v = ld(order, i);
    let j = i - 1;
    while (j >= 0 && compareTx(ld(order, j), v, tx, start) > 0) {
      st(order, j + 1, ld(order, j));
      j--;
    }
    st(order, j + 1, v);
  }
}

@inline function compareTx(a: i32, b: i32, tx: usize, start: usize): i32 {
  let pa = ld(start, a);
  let pb = ld(start, b);
  let la = ld(start, a + 1) - pa;
  let lb = ld(start, b + 1) - pb;
  let i = commonPrefixI32(tx + (<usize>pa << 2), tx + (<usize>pb << 2), min(la, lb));
  return i < min(la, lb) ? ld(tx, pa + i) - ld(tx, pb + i) : la - lb;
}

function newTree(cap: i32, m: i32): Tree {
  let t = changetype<Tree>(arenaAlloc(offsetof<Tree>()));
  t.n = 1;
  t.m = m;
  t.nodes = arenaAlloc(<usize>cap * NODE_BYTES);
  t.head = arenaAlloc(<usize>m << 2);
  t.support = arenaAlloc(<usize>m << 2);
  t.gid = arenaAlloc(<usize>m << 2);
  memory.fill(t.head, 0, <usize>m << 2);
  setField(t, 0, ITEM, -1);
  setField(t, 0, COUNT, 0);
  setField(t, 0, PARENT, 0);
  setField(t, 0, MARK, 0);
  return t;
}

/** Appends a child of `parent` holding `item`, count 0, at the head of the item's node links. */
function addNode(t: Tree, parent: i32, item: i32): i32 {
  let n = t.n++;
  let p = nodeAt(t, n);
  store<i32>(p + ITEM, item);
  store<i32>(p + COUNT, 0);
  store<i32>(p + PARENT, parent);
  store<i32>(p + NEXT, ld(t.head, item));
  store<i32>(p + MARK, 0);
  st(t.head, item, n);
  return n;
}

// Open-addressing table of node indices keyed by (parent, item); 0 marks an empty slot.
@inline function tableMask(nodes: i32): u32 {
  return (<u32>1 << (32 - clz<u32>(<u32>nodes << 1))) - 1;
}

function newTable(nodes: i32): usize {
  let bytes = <usize>(tableMask(nodes) + 1) << 2;
  let p = arenaAlloc(bytes);
  memory.fill(p, 0, bytes);
  return p;
}

/** The child of `parent` holding `item`, created with count 0 if absent. */
function childOf(t: Tree, table: usize, mask: u32, parent: i32, item: i32): i32 {
  let h = (<u32>parent * 0x9e3779b1) ^ (<u32>item * 0x85ebca6b);
  h = (h ^ (h >> 15)) & mask;
  while (true) {
    let s = ld(table, h);
    if (s == 0) break;
    if (field(t, s, PARENT) == parent && field(t, s, ITEM) == item) return s;
    h = (h + 1) & mask;
  }
  let n = addNode(t, parent, item);
  st(table, h, n);
  return n;
}

/** True when the tree is one chain (node i's parent is node i-1). */
function isPath(t: Tree): bool {
  if (t.n - 1 != t.m) return false;
  for (let i = 1; i < t.n; i++) if (field(t, i, PARENT) != i - 1) return false;
  return true;
}

function mine(t: Tree, depth: i32, top: bool): void {
  for (let j = t.m - 1; j >= 0; j--) {
    if (top) hostProgress(t.m - 1 - j, t.m);
    let g = ld(t.gid, j);
    emit(depth, g, ld(t.support, j));
    if (depth + 1 >= maxLen || j == 0) continue;
    let mark = arenaMark();
    let cond = project(t, j);
    if (cond.m > 0) {
      pushPrefix(depth, g);
      if (isPath(cond)) enumeratePath(cond, 1, depth + 1);
      else mine(cond, depth + 1, false);
      popPrefix(depth + 1, g);
    }
    arenaRelease(mark);
  }
  if (top) hostProgress(t.m, t.m);
}

/** Every subset of the chain below node `from`, each extended from the prefix at `depth`. */
function enumeratePath(t: Tree, from: i32, depth: i32): void {
  for (let i = from; i < t.n; i++) {
    let g = ld(t.gid, field(t, i, ITEM));
    emit(depth, g, field(t, i, COUNT));
    if (depth + 1 < maxLen && i + 1 < t.n) {
      pushPrefix(depth, g);
      enumeratePath(t, i + 1, depth + 1);
      popPrefix(depth + 1, g);
    }
  }
}

/** The conditional tree of local item `j` of `t`, allocated in the arena. */
function project(t: Tree, j: i32): Tree {
  let e = ++epoch;
  // U: ancestors of j's nodes, ancestors listed before descendants; ACC: count passing through
  let nu = 0;
  for (let x = ld(t.head, j); x != 0; x = field(t, x, NEXT)) {
    let p = field(t, x, PARENT);
    if (p == 0) continue;
    if (field(t, p, MARK) != e) {
      let nc = 0;
      let q = p;
      while (q != 0) {
        let qa = nodeAt(t, q);
        if (load<i32>(qa + MARK) == e) break;
        store<i32>(qa + MARK, e);
        store<i32>(qa + ACC, 0);
        st(climb, nc, q);
        nc++;
        q = load<i32>(qa + PARENT);
      }
      while (nc > 0) {
        nc--;
        st(union, nu, ld(climb, nc));
        nu++;
      }
    }
    setField(t, p, ACC, field(t, p, ACC) + field(t, x, COUNT));
  }
  // children before parents: a node's ACC is final when reached, so its item's conditional
  // support is summed in the same pass
  let nd = 0;
  for (let i = nu - 1; i >= 0; i--) {
    let ua = nodeAt(t, ld(union, i));
    let a = load<i32>(ua + ACC);
    let p = load<i32>(ua + PARENT);
    if (p != 0) setField(t, p, ACC, field(t, p, ACC) + a);
    let k = load<i32>(ua + ITEM);
    let c = ld(condCount, k);
    if (c == 0) {
      st(distinct, nd, k);
      nd++;
    }
    st(condCount, k, c + a);
  }
  let c = conditionalTree(t.gid, nd, nu + 1);
  if (c.m == 0) return c;

  let mark = arenaMark();
  let table = newTable(nu + 1);
  let mask = tableMask(nu + 1);
  setField(t, 0, MARK, ~0);
  for (let i = 0; i < nu; i++) {
    let ua = nodeAt(t, ld(union, i));
    let above = ~field(t, load<i32>(ua + PARENT), MARK);
    let r = ld(newRank, load<i32>(ua + ITEM));
    if (r >= 0) {
      let n = childOf(c, table, mask, above, r);
      setField(c, n, COUNT, field(c, n, COUNT) + load<i32>(ua + ACC));
      store<i32>(ua + MARK, ~n);
    } else {
      store<i32>(ua + MARK, ~above);
    }
  }
  arenaRelease(mark);
  clearRanks(c.m);
  return c;
}

/**
 * A conditional tree of room `capacity` over the `nd` items in `distinct` whose `condCount`
 * reaches the threshold, in ascending (parent) order, with `newRank` mapping them to its local
 * items. Resets `condCount`; `clearRanks` resets `newRank` once the tree is filled.
 */
function conditionalTree(parentGid: usize, nd: i32, capacity: i32): Tree {
  let mNew = 0;
  for (let i = 0; i < nd; i++) {
    let k = ld(distinct, i);
    if (ld(condCount, k) >= minCount) {
      st(distinct, mNew, k);
      mNew++;
    } else {
      st(condCount, k, 0);
    }
  }
  sortRaw<i32>(distinct, mNew);
  let c = newTree(mNew > 0 ? capacity : 1, mNew);
  for (let r = 0; r < mNew; r++) {
    let k = ld(distinct, r);
    st(newRank, k, r);
    st(c.gid, r, ld(parentGid, k));
    st(c.support, r, ld(condCount, k));
    st(condCount, k, 0);
  }
  return c;
}

/** Undoes `conditionalTree`'s `newRank` entries (its items are still first in `distinct`). */
function clearRanks(mNew: i32): void {
  for (let r = 0; r < mNew; r++) st(newRank, ld(distinct, r), -1);
}

// ---- output ----

/** Inserts `g` into the `len` sorted prefix items. */
function pushPrefix(len: i32, g: i32): void {
  let rg = ld(outRank, g);
  let i = len;
  while (i > 0 && ld(outRank, ld(prefix, i - 1)) > rg) {
    st(prefix, i, ld(prefix, i - 1));
    i--;
  }
  st(prefix, i, g);
}

/** Removes `g` from the `len` sorted prefix items. */
function popPrefix(len: i32, g: i32): void {
  let i = 0;
  while (ld(prefix, i) != g) i++;
  for (; i < len - 1; i++) st(prefix, i, ld(prefix, i + 1));
}

/** Writes prefix[depth] ∪ {g} with its support. */
function emit(depth: i32, g: i32, support: i32): void {
  emitted++;
  let need = recordMax * <usize>(depth + 1) + RECORD_EXTRA;
  if (outPos + need > outCap) {
    hostFlush(outPos);
    outPos = 0;
  }
  let src = prefix;
  let rg = ld(outRank, g);
  let w = outBase + outPos;
  if (outMode == OUT_RECORDS) {
    store<u32>(w, depth + 1);
    store<u32>(w, support, 4);
    w += 8;
    let placed = false;
    for (let i = 0; i < depth; i++) {
      let v = ld(src, i);
      if (!placed && ld(outRank, v) > rg) {
        store<u32>(w, g);
        w += 4;
        placed = true;
      }
      store<u32>(w, v);
      w += 4;
    }
    if (!placed) {
      store<u32>(w, g);
      w += 4;
    }
  } else {
    let placed = false;
    for (let i = 0; i < depth; i++) {
      let v = ld(src, i);
      if (!placed && ld(outRank, v) > rg) {
        w = writeLabel(w, g);
        placed = true;
      }
      w = writeLabel(w, v);
    }
    if (!placed) w = writeLabel(w, g);
    store<u64>(w, SUP_TAG);
    w = writeUint(w + 6, <u32>support);
    store<u8>(w, 0x0a);
    w += 1;
  }
  outPos = w - outBase;
}

/** Short labels (with their trailing blank) as one u64 each, so writing one is a single store. */
function packLabels(nIds: i32): void {
  packed = arenaAlloc(<usize>nIds << 3);
  for (let id = 0; id < nIds; id++) {
    let a = ld(labelOff, id);
    let len = ld(labelOff, id + 1) - a;
    let v: u64 = 0;
    if (len < 8) {
      for (let i = len - 1; i >= 0; i--) v = (v << 8) | <u64>load<u8>(labelBytes + <usize>(a + i));
      v |= <u64>0x20 << (<u64>len << 3);
    }
    store<u64>(packed + (<usize>id << 3), v);
  }
}

@inline function writeLabel(w: usize, g: i32): usize {
  let v = load<u64>(packed + (<usize>g << 3));
  if (v != 0) {
    store<u64>(w, v);
    return w + 8 - (<usize>clz<u64>(v) >> 3);
  }
  let a = load<u32>(labelOff + (<usize>g << 2));
  let b = load<u32>(labelOff + (<usize>(g + 1) << 2));
  memory.copy(w, labelBytes + a, b - a);
  w += b - a;
  store<u8>(w, 0x20);
  return w + 1;
}

function writeUint(w: usize, v: u32): usize {
  let digits: usize = 1;
  for (let x = v; x >= 10; x /= 10) digits++;
  let end = w + digits;
  let p = end;
  do {
    store<u8>(--p, 0x30 + <u8>(v % 10));
    v /= 10;
  } while (v > 0);
  return end;
}
