// Apriori (Agrawal & Srikant, "Fast algorithms for mining association rules", VLDB 1994):
// candidate (k+1)-itemsets join two frequent k-itemsets that share their first k-1 items and
// are kept only if every k-subset is frequent; each level is counted in one pass over the data.
//
// Frequent itemsets form a prefix tree stored level after level in parallel i32 arrays; items
// are local ids in ascending support, so the children of a node are sorted and the subsets a
// candidate needs are found by binary search. Level 2 is counted in a triangular array of pair
// counts (in blocks of rows when it is too large). Other levels are counted vertically (bitmap
// counting as in Burdick et al., "MAFIA", ICDE 2001): per chunk of transactions each frequent
// item has a bitmap of the transactions holding it, count(X ∪ {b}) = popcount(bits(X) &
// bits(b)), and bits(X) is kept along the prefix-tree path as its non-zero 128-bit blocks only,
// so candidates sharing X share it and sparse prefixes cost little. Candidates are generated
// and counted in batches; when the bitmaps come in several chunks, each batch is a pass.
//
// The host drives the work in short steps (`fim_apriori_open`, `fim_apriori_next` until each
// level is done, `fim_apriori_close`): besides a place to report progress, short calls let the
// engine's optimising tier take over, which it does between calls, never inside one.

import { sortRaw } from "../common/sort";
import { STATUS_BAD_ARGUMENT, STATUS_BAD_INPUT, fail } from "../common/status";

@external("env", "fim_flush")
declare function hostFlush(bytes: usize): void;

@inline const ROOT: i32 = -1;
@inline const MISSING: i32 = -2;
@inline const BITMAP_BUDGET: u64 = 256 << 20; // bytes of item bitmaps per chunk
@inline const DEFAULT_BATCH: i32 = 1 << 16; // candidates per step (a counting pass when chunked)
@inline const CHUNKED_BATCH: i32 = 1 << 20; // … when each batch costs a pass over several chunks
@inline const PAIR_STEP: i32 = 1 << 14; // transactions per step of pair counting
@inline const MAX_TRIANGLE: f64 = 268435456; // pair-count cells per pass (1 GiB), whatever the caller asks
@inline const LEVEL_UNFINISHED: i32 = -1;

@inline function ld(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}
@inline function st(base: usize, i: i32, v: i32): void {
  store<i32>(base + (<usize>i << 2), v);
}

// ---- state of the open mining call ----
let items: usize = 0;
let offsets: usize = 0;
let nTx: i32 = 0;
let minCount: i32 = 1;
let triCells: f64 = 0;
let m: i32 = 0; // frequent items: local ids 0..m-1 in ascending support
let depth: i32 = 0; // most frequent items in one transaction
let gidOf: usize = 0; // i32[m] global id of each local item
let rankOf: usize = 0; // i32[m] output rank of each local item
let locOf: usize = 0; // i32[nIds] local id or -1
let level: i32 = 0; // the last level mined holds the level-itemsets, nodes [levelLo, levelHi)
let levelLo: i32 = 0;
let levelHi: i32 = 0;
let stepping: bool = false; // the next level is under way
let cursor: i32 = 0; // its next prefix node (join) or transaction (pairs)

// level 2 by pair counts: rows [pairA0, pairA1) of the triangle are being counted in `tri`
let pairA0: i32 = 0;
let pairA1: i32 = 0;
let tri: usize = 0;
let rowOff: usize = 0; // i32[m]: cell of (a, b), pairA0 ≤ a < pairA1, a < b is rowOff[a] + b
let pairSeen: usize = 0; // i32[m]: last transaction that met each item

// prefix tree: nodes 0..m-1 are level 1 (node = local item); deeper levels follow in order,
// each sorted by (parent, item); the children of node x are nodes [first[x], end[x])
let nodeCap: i32 = 0;
let nNodes: i32 = 0;
let ndItem: usize = 0;
let ndParent: usize = 0;
let ndFirst: usize = 0;
let ndEnd: usize = 0;

// scratch indexed by depth
let pathNode: usize = 0; // nodes of the current prefix, root side first
let pathItem: usize = 0;
let pathParent: i32 = MISSING; // the node whose ancestors pathNode/pathItem[0..k-1) hold
let sortedRank: usize = 0; // items of the current prefix by output rank
let sortedGid: usize = 0;
let sortedParent: i32 = MISSING; // the node whose items parentRank/parentGid hold, sorted
let parentRank: usize = 0;
let parentGid: usize = 0;
let depthCap: i32 = 0; // levels the buffers below hold (≥ the level being mined)
let pruneOwner: usize = 0; // pruneOwner[d]: the depth-d node whose subsets row d holds
let pruneRows: usize = 0; // row d (stride k+1 at level k): node of N \ {n_i} for the owner N, i < d-1

// candidate batch: prefix entry e extends node pfxNode[e] with items cand[pfxStart[e] .. pfxStart[e+1])
let batchCap: i32 = 0;
let candItem: usize = 0;
let candCount: usize = 0;
let pfxNode: usize = 0;
let pfxStart: usize = 0;

// vertical counting: item bitmaps of one chunk of transactions, and a stack of compact prefix
// bitmaps (entry d holds bits(path[0..d]) as its non-zero blocks and their block indices)
let chunkBlocks: i32 = 0; // 128-transaction blocks per chunk
let nChunks: i32 = 0;
let builtChunk: i32 = -1;
let bitmaps: usize = 0; // v128[m × chunkBlocks]
let stackData: usize = 0; // v128[(depthCap + 1) × chunkBlocks]
let stackIdx: usize = 0; // i32[(depthCap + 1) × chunkBlocks]
let stackLen: usize = 0; // i32[depthCap + 1]
let stackNode: usize = 0; // i32[depthCap + 1] node whose bits entry d holds

// output: records (u32 len, u32 count, len × u32 ids by ascending output rank)
let outBase: usize = 0;
let outCap: usize = 0;
let outPos: usize = 0;

/**
 * Starts mining the itemsets with support ≥ `minSupport` (absolute) in `nTx` transactions:
 * item ids `items[offsets[t] .. offsets[t+1])`, each < `nIds`; `rank[id]` orders items inside
 * an output record. Counts and emits the 1-itemsets; returns how many (or a negative status).
 * Records go to `out` (`cap` bytes), handed to the host when full and at the end of each call.
 * Tunables: level 2 counts pairs in a triangular array of at most `triangle` cells per pass
 * (< 1: by join and bitmaps like the other levels); `chunkTx` transactions per bitmap chunk
 * (0 = fit a memory budget); `batch` candidates per counting pass (0 = default). The inputs
 * must stay in place until `fim_apriori_close`.
 */
export function fim_apriori_open(
  itemsPtr: usize, offsetsPtr: usize, numTx: i32, nIds: i32, minSupport: i32, rank: usize,
  triangle: f64, chunkTx: i32, batch: i32, out: usize, cap: usize,
): i32 {
  fim_apriori_close();
  if (minSupport < 1) return fail(STATUS_BAD_ARGUMENT, 4, minSupport);
  if (!(triangle >= 0)) return fail(STATUS_BAD_ARGUMENT, 6, triangle);
  if (chunkTx < 0) return fail(STATUS_BAD_ARGUMENT, 7, chunkTx);
  if (batch < 0) return fail(STATUS_BAD_ARGUMENT, 8, batch);
  if (cap < <usize>(nIds + 2) << 2) return fail(STATUS_BAD_ARGUMENT, 10, <f64>cap);
  items = itemsPtr;
  offsets = offsetsPtr;
  nTx = numTx;
  minCount = minSupport;
  triCells = triangle;
  outBase = out;
  outCap = cap;
  outPos = 0;

  // one pass counting each id once per transaction
  let freq = alloc(<usize>nIds << 2);
  locOf = alloc(<usize>nIds << 2);
  let seen = locOf;
  memory.fill(freq, 0, <usize>nIds << 2);
  memory.fill(seen, 0, <usize>nIds << 2);
  for (let t = 0; t < nTx; t++) {
    let end = ld(offsets, t + 1);
    for (let p = ld(offsets, t); p < end; p++) {
      let id = ld(items, p);
      if (<u32>id >= <u32>nIds) {
        heap.free(freq);
        fim_apriori_close();
        return fail(STATUS_BAD_INPUT, 0, <f64><u32>id);
      }
      if (ld(seen, id) != t + 1) {
        st(seen, id, t + 1);
        st(freq, id, ld(freq, id) + 1);
      }
    }
  }
  m = 0;
  for (let id = 0; id < nIds; id++) if (ld(freq, id) >= minCount) m++;
  let keys = alloc(<usize>m << 3);
  let r = 0;
  for (let id = 0; id < nIds; id++) {
    let f = ld(freq, id);
    if (f < minCount) continue;
    store<u64>(keys + (<usize>r << 3), (<u64><u32>f << 32) | <u64><u32>id);
    r++;
  }
  heap.free(freq);
  sortRaw<u64>(keys, m);
  gidOf = alloc(<usize>m << 2);
  rankOf = alloc(<usize>m << 2);
  memory.fill(locOf, 0xff, <usize>nIds << 2);
  growNodes(max(m * 4, 1024));
  for (let l = 0; l < m; l++) {
    let key = load<u64>(keys + (<usize>l << 3));
    let id = <i32>(key & 0xffffffff);
    st(gidOf, l, id);
    st(rankOf, l, ld(rank, id));
    st(locOf, id, l);
    addNode(l, ROOT);
    emit(id, <i32>(key >> 32));
  }
  heap.free(keys);

  // the longest itemset possible: most distinct frequent items in one transaction
  let seenLocal = alloc(<usize>m << 2);
  memory.fill(seenLocal, 0, <usize>m << 2);
  depth = 0;
  for (let t = 0; t < nTx; t++) {
    let n = 0;
    let end = ld(offsets, t + 1);
    for (let p = ld(offsets, t); p < end; p++) {
      let l = ld(locOf, ld(items, p));
      if (l >= 0 && ld(seenLocal, l) != t + 1) {
        st(seenLocal, l, t + 1);
        n++;
      }
    }
    if (n > depth) depth = n;
  }
  heap.free(seenLocal);

  let rows = <usize>depth + 1;
  pathNode = alloc(rows << 2);
  pathItem = alloc(rows << 2);
  sortedRank = alloc(rows << 2);
  sortedGid = alloc(rows << 2);
  parentRank = alloc(rows << 2);
  parentGid = alloc(rows << 2);
  let allBlocks = (nTx + 127) >> 7;
  let blocks = chunkTx > 0
    ? (chunkTx + 127) >> 7
    : <i32>min<u64>(BITMAP_BUDGET / (<u64>max(m, 1) << 4), 0x7fffffff);
  chunkBlocks = max(1, min(blocks, allBlocks));
  nChunks = (allBlocks + chunkBlocks - 1) / chunkBlocks;
  builtChunk = -1;
  batchCap = max(batch > 0 ? batch : nChunks > 1 ? CHUNKED_BATCH : DEFAULT_BATCH, m);
  candItem = alloc(<usize>batchCap << 2);
  candCount = alloc(<usize>batchCap << 2);
  pfxNode = alloc(<usize>batchCap << 2);
  pfxStart = alloc(<usize>(batchCap + 1) << 2);
  level = 1;
  levelLo = 0;
  levelHi = m;
  flush();
  return m;
}

/** Most distinct frequent items in one transaction: no itemset is longer. */
export function fim_apriori_depth(): i32 {
  return depth;
}

/**
 * Mines the next level one step further, emitting what it finds; returns -1 while the level is
 * unfinished (call again), then its number of itemsets.
 */
export function fim_apriori_next(): i32 {
  if (!stepping) {
    if (levelHi - levelLo < 2) return 0;
    stepping = true;
    if (pairLevel()) startPairs();
    else startJoin(level);
  }
  let done = pairLevel() ? pairStep() : joinStep(levelHi, level);
  flush();
  if (!done) return LEVEL_UNFINISHED;
  stepping = false;
  linkChildren(levelLo, levelHi);
  levelLo = levelHi;
  levelHi = nNodes;
  level++;
  return levelHi - levelLo;
}

/** Whether the level under way is level 2 counted by the triangular array. */
@inline function pairLevel(): bool {
  return level == 1 && triCells >= 1;
}

/** Frees the state of the open call (safe to call at any time). */
export function fim_apriori_close(): void {
  locOf = free(locOf);
  gidOf = free(gidOf);
  rankOf = free(rankOf);
  ndItem = free(ndItem);
  ndParent = free(ndParent);
  ndFirst = free(ndFirst);
  ndEnd = free(ndEnd);
  pathNode = free(pathNode);
  pathItem = free(pathItem);
  sortedRank = free(sortedRank);
  sortedGid = free(sortedGid);
  parentRank = free(parentRank);
  parentGid = free(parentGid);
  pruneOwner = free(pruneOwner);
  pruneRows = free(pruneRows);
  candItem = free(candItem);
  candCount = free(candCount);
  pfxNode = free(pfxNode);
  pfxStart = free(pfxStart);
  bitmaps = free(bitmaps);
  stackData = free(stackData);
  stackIdx = free(stackIdx);
  stackLen = free(stackLen);
  stackNode = free(stackNode);
  tri = free(tri);
  rowOff = free(rowOff);
  pairSeen = free(pairSeen);
  nodeCap = nNodes = m = depth = depthCap = level = levelLo = levelHi = 0;
  stepping = false;
}

function alloc(bytes: usize): usize {
  return heap.alloc(max<usize>(bytes, 16));
}

@inline function free(ptr: usize): usize {
  if (ptr) heap.free(ptr);
  return 0;
}

// ---- prefix tree ----

function growNodes(cap: i32): void {
  let bytes = <usize>cap << 2;
  ndItem = ndItem ? heap.realloc(ndItem, bytes) : heap.alloc(bytes);
  ndParent = ndParent ? heap.realloc(ndParent, bytes) : heap.alloc(bytes);
  ndFirst = ndFirst ? heap.realloc(ndFirst, bytes) : heap.alloc(bytes);
  ndEnd = ndEnd ? heap.realloc(ndEnd, bytes) : heap.alloc(bytes);
  nodeCap = cap;
}

@inline function addNode(item: i32, parent: i32): void {
  if (nNodes == nodeCap) growNodes(nodeCap * 2);
  st(ndItem, nNodes, item);
  st(ndParent, nNodes, parent);
  nNodes++;
}

/** Sets the child ranges of nodes [lo, hi) from the level appended after them. */
function linkChildren(lo: i32, hi: i32): void {
  for (let x = lo; x < hi; x++) {
    st(ndFirst, x, hi);
    st(ndEnd, x, hi);
  }
  for (let c = hi; c < nNodes; c++) {
    let p = ld(ndParent, c);
    if (ld(ndEnd, p) == ld(ndFirst, p)) st(ndFirst, p, c);
    st(ndEnd, p, c + 1);
  }
}

/** The child of `node` (ROOT: the root) holding `item`, or MISSING. */
@inline function findChild(node: i32, item: i32): i32 {
  if (node == ROOT) return item;
  if (node == MISSING) return MISSING;
  let a = ld(ndFirst, node);
  let b = ld(ndEnd, node) - 1;
  while (a <= b) {
    let mid = (a + b) >>> 1;
    let v = ld(ndItem, mid);
    if (v < item) a = mid + 1;
    else if (v > item) b = mid - 1;
    else return mid;
  }
  return MISSING;
}

/**
 * Sets pathNode/pathItem[0..k) to the ancestors of the k-itemset node `x`; siblings met in
 * a row share all but the last entry. Returns whether the parent changed.
 */
function enterPrefix(x: i32, k: i32): bool {
  let p = ld(ndParent, x);
  st(pathNode, k - 1, x);
  st(pathItem, k - 1, ld(ndItem, x));
  if (p == pathParent) return false;
  pathParent = p;
  for (let d = k - 2; d >= 0; d--) {
    st(pathNode, d, p);
    st(pathItem, d, ld(ndItem, p));
    p = ld(ndParent, p);
  }
  return true;
}

// ---- level 2 by a triangular array ----

/**
 * Level 2 counts every pair of frequent items in a triangular array, a block of rows at a time:
 * rows [a0, a1) hold at most `triCells` cells (one row at least), so one pass over the data does
 * when the whole triangle fits, and a large sparse item set costs passes, never a candidate per
 * pair. A step counts `PAIR_STEP` transactions, then keeps the block's frequent pairs.
 */
function startPairs(): void {
  rowOff = alloc(<usize>m << 2);
  pairSeen = alloc(<usize>m << 2);
  pairA0 = 0;
  pairA1 = 0;
}

/** One step of pair counting; true when level 2 is complete. */
function pairStep(): bool {
  if (!tri) {
    let limit = min(triCells, MAX_TRIANGLE);
    let cells = 0;
    pairA1 = pairA0;
    while (pairA1 < m - 1 && (pairA1 == pairA0 || <f64>(cells + m - pairA1 - 1) <= limit)) {
      st(rowOff, pairA1, cells - pairA1 - 1);
      cells += m - pairA1 - 1;
      pairA1++;
    }
    tri = alloc(<usize>cells << 2);
    memory.fill(tri, 0, <usize>cells << 2);
    memory.fill(pairSeen, 0, <usize>m << 2);
    cursor = 0;
  }
  let end = min(nTx, cursor + PAIR_STEP);
  for (let t = cursor; t < end; t++) countTransactionPairs(t);
  cursor = end;
  if (cursor < nTx) return false;
  for (let a = pairA0; a < pairA1; a++) keepPairs(a, tri + (<usize>ld(rowOff, a) << 2));
  tri = free(tri);
  pairA0 = pairA1;
  if (pairA0 < m - 1) return false;
  rowOff = free(rowOff);
  pairSeen = free(pairSeen);
  return true;
}

/** Adds transaction t's pairs (a, b), pairA0 ≤ a < pairA1, to the block of the triangle. */
function countTransactionPairs(t: i32): void {
  let buf = candItem; // batchCap ≥ m holds one transaction's distinct frequent items
  let n = 0;
  let end = ld(offsets, t + 1);
  for (let p = ld(offsets, t); p < end; p++) {
    let l = ld(locOf, ld(items, p));
    if (l >= pairA0 && ld(pairSeen, l) != t + 1) {
      st(pairSeen, l, t + 1);
      st(buf, n++, l);
    }
  }
  sortRaw<i32>(buf, n);
  for (let i = 0; i < n - 1; i++) {
    let a = ld(buf, i);
    if (a >= pairA1) break;
    let row = tri + (<usize>ld(rowOff, a) << 2);
    for (let j = i + 1; j < n; j++) {
      let cell = row + (<usize>ld(buf, j) << 2);
      store<i32>(cell, load<i32>(cell) + 1);
    }
  }
}

/** Appends and emits the frequent pairs (a, b) of the triangle row at `row` (cell b). */
function keepPairs(a: i32, row: usize): void {
  st(sortedRank, 0, ld(rankOf, a));
  st(sortedGid, 0, ld(gidOf, a));
  for (let b = a + 1; b < m; b++) {
    let c = load<i32>(row + (<usize>b << 2));
    if (c < minCount) continue;
    addNode(b, a);
    emitExtension(1, b, c);
  }
}

// ---- levels by join, prune and vertical counting ----

/** Prepares the join for the (k+1)-itemsets extending the k-itemset nodes from levelLo. */
function startJoin(k: i32): void {
  if (!bitmaps) bitmaps = alloc(<usize>m * <usize>chunkBlocks << 4);
  if (k > depthCap) {
    // scratch by depth grows with the levels reached, not with the longest transaction
    depthCap = min(max(k, depthCap * 2), depth);
    let rows = <usize>depthCap + 1;
    pruneOwner = free(pruneOwner);
    pruneRows = free(pruneRows);
    stackData = free(stackData);
    stackIdx = free(stackIdx);
    stackLen = free(stackLen);
    stackNode = free(stackNode);
    pruneOwner = alloc(rows << 2);
    pruneRows = alloc(rows * rows << 2);
    stackData = alloc(rows * <usize>chunkBlocks << 4);
    stackIdx = alloc(rows * <usize>chunkBlocks << 2);
    stackLen = alloc(rows << 2);
    stackNode = alloc(rows << 2);
  }
  memory.fill(pruneOwner, 0xff, <usize>(k + 1) << 2); // ROOT owns no row
  sortedParent = MISSING;
  cursor = levelLo;
}

/**
 * One batch: the candidates of the prefixes from `cursor` on, as many as fit, counted and the
 * frequent ones appended as the next level. True when the prefixes up to `hi` are done.
 */
function joinStep(hi: i32, k: i32): bool {
  let x = cursor;
  let nPfx = 0;
  let nCand = 0;
  pathParent = MISSING;
  while (x < hi) {
    let p = ld(ndParent, x);
    let room = (p == ROOT ? m : ld(ndEnd, p)) - x - 1; // later siblings bound the candidates
    if (nCand + room > batchCap) break;
    if (room > 0) {
      let n = candidates(x, k, candItem + (<usize>nCand << 2), room);
      if (n > 0) {
        st(pfxNode, nPfx, x);
        st(pfxStart, nPfx, nCand);
        nPfx++;
        nCand += n;
      }
    }
    x++;
  }
  cursor = x;
  st(pfxStart, nPfx, nCand);
  if (nCand > 0) {
    memory.fill(candCount, 0, <usize>nCand << 2);
    countBatch(k, nPfx);
    keepFrequent(k, nPfx);
  }
  return cursor >= hi;
}

/**
 * Writes to `out` the items b of the candidates X ∪ {b} for the k-itemset node x (X): b is the
 * item of a later sibling (the join) and X \ {x_i} ∪ {b} is frequent for every i < k-1 (the
 * prune; dropping x_{k-1} or b gives the two joined itemsets). Returns how many.
 */
function candidates(x: i32, k: i32, out: usize, room: i32): i32 {
  if (k == 1) {
    memory.copy(out, ndItem + (<usize>(x + 1) << 2), <usize>room << 2);
    return room;
  }
  let stride = <usize>(k + 1) << 2;
  if (enterPrefix(x, k)) {
    // rows of the ancestors; row d of node N follows from its parent's row:
    // N \ {n_i} = child(parent(N) \ {n_i}, item(N)) for i < d-2, and
    // N \ {n_{d-2}} = child(grandparent(N), item(N))
    let d = 2;
    while (d < k && ld(pruneOwner, d) == ld(pathNode, d - 1)) d++;
    for (; d < k; d++) fillPruneRow(d, stride);
  }
  // X's own row, entry by entry, stopping once no candidate is left
  let up = pruneRows + <usize>(k - 1) * stride;
  let a = ld(pathItem, k - 1);
  let n = room;
  let list = ndItem + (<usize>(x + 1) << 2);
  for (let i = 0; i < k - 1 && n > 0; i++) {
    let node = findChild(i < k - 2 ? ld(up, i) : k == 2 ? ROOT : ld(pathNode, k - 3), a);
    if (node == MISSING) return 0;
    n = intersectChildren(list, n, node, a, out);
    list = out;
  }
  return n;
}

/** Row d of the prune table for the depth-d node on the current path (see `candidates`). */
function fillPruneRow(d: i32, stride: usize): void {
  let a = ld(pathItem, d - 1);
  let row = pruneRows + <usize>d * stride;
  let up = row - stride;
  for (let i = 0; i < d - 2; i++) st(row, i, findChild(ld(up, i), a));
  st(row, d - 2, findChild(d == 2 ? ROOT : ld(pathNode, d - 3), a));
  st(pruneOwner, d, ld(pathNode, d - 1));
}

/**
 * Writes to `out` the items of `list[0..n)` that are children of `node` (children ≤ `after`
 * are skipped); `out` may be `list`. Returns how many.
 */
function intersectChildren(list: usize, n: i32, node: i32, after: i32, out: usize): i32 {
  let b = ld(ndEnd, node);
  let lo = ld(ndFirst, node);
  let hi = b;
  while (lo < hi) {
    let mid = (lo + hi) >>> 1;
    if (ld(ndItem, mid) <= after) lo = mid + 1;
    else hi = mid;
  }
  let j = lo;
  let kept = 0;
  let i = 0;
  while (i < n && j < b) {
    let u = ld(list, i);
    let v = ld(ndItem, j);
    if (u < v) i++;
    else if (u > v) j++;
    else {
      st(out, kept++, u);
      i++;
      j++;
    }
  }
  return kept;
}

/**
 * Adds to candCount the count of every candidate of the batch, chunk by chunk. Stack entries
 * 0..k-2 hold the prefix's parent; a prefix with several candidates gets entry k-1 and shares
 * it, one with a single candidate (the common case at deep levels) ANDs both last items at once.
 */
function countBatch(k: i32, nPfx: i32): void {
  for (let c = 0; c < nChunks; c++) {
    if (builtChunk != c) buildBitmaps(c);
    memory.fill(stackNode, 0xff, <usize>k << 2); // ROOT is no prefix node
    pathParent = MISSING;
    for (let e = 0; e < nPfx; e++) countEntry(e, k);
  }
}

/** Adds the counts of prefix entry e's candidates in the current chunk. */
function countEntry(e: i32, k: i32): void {
  let d = k - 1;
  if (enterPrefix(ld(pfxNode, e), k)) {
    d = 0;
    while (d < k - 1 && ld(stackNode, d) == ld(pathNode, d)) d++;
  }
  for (; d < k - 1; d++) {
    pushPrefix(d, ld(pathItem, d));
    st(stackNode, d, ld(pathNode, d));
  }
  let from = ld(pfxStart, e);
  let to = ld(pfxStart, e + 1);
  if (k >= 2 && to - from == 1) {
    st(candCount, from, ld(candCount, from) + countTwo(k - 2, ld(pathItem, k - 1), ld(candItem, from)));
    return;
  }
  if (ld(stackNode, k - 1) != ld(pathNode, k - 1)) {
    pushPrefix(k - 1, ld(pathItem, k - 1));
    st(stackNode, k - 1, ld(pathNode, k - 1));
  }
  countPrefix(k - 1, from, to);
}

/** Item bitmaps of chunk `c` (bit t of item l: transaction c·chunkBlocks·128 + t holds l). */
function buildBitmaps(c: i32): void {
  memory.fill(bitmaps, 0, <usize>m * <usize>chunkBlocks << 4);
  let t0 = c * chunkBlocks * 128;
  let t1 = min(nTx, t0 + chunkBlocks * 128);
  for (let t = t0; t < t1; t++) {
    let bit = t - t0;
    let word = <usize>(bit >> 6) << 3;
    let mask = <u64>1 << <u64>(bit & 63);
    let end = ld(offsets, t + 1);
    for (let p = ld(offsets, t); p < end; p++) {
      let l = ld(locOf, ld(items, p));
      if (l < 0) continue;
      let w = bitmaps + (<usize>l * <usize>chunkBlocks << 4) + word;
      store<u64>(w, load<u64>(w) | mask);
    }
  }
  builtChunk = c;
}

/** Stack entry d = entry d-1 AND the item's bitmap, keeping only non-zero blocks. */
function pushPrefix(d: i32, item: i32): void {
  let bits = bitmaps + (<usize>item * <usize>chunkBlocks << 4);
  let data = stackData + (<usize>d * <usize>chunkBlocks << 4);
  let idx = stackIdx + (<usize>d * <usize>chunkBlocks << 2);
  let n = 0;
  if (d == 0) {
    for (let b = 0; b < chunkBlocks; b++) {
      let v = v128.load(bits + (<usize>b << 4));
      v128.store(data + (<usize>n << 4), v);
      st(idx, n, b);
      n += <i32>v128.any_true(v);
    }
  } else {
    let srcData = data - (<usize>chunkBlocks << 4);
    let srcIdx = idx - (<usize>chunkBlocks << 2);
    let len = ld(stackLen, d - 1);
    for (let j = 0; j < len; j++) {
      let b = ld(srcIdx, j);
      let v = v128.and(v128.load(srcData + (<usize>j << 4)), v128.load(bits + (<usize>b << 4)));
      v128.store(data + (<usize>n << 4), v);
      st(idx, n, b);
      n += <i32>v128.any_true(v);
    }
  }
  st(stackLen, d, n);
}

/** Adds to candCount[from..to) popcount(stack entry d & the bitmap of each candidate item). */
function countPrefix(d: i32, from: i32, to: i32): void {
  let n = ld(stackLen, d);
  if (n == 0) return;
  let data = stackData + (<usize>d * <usize>chunkBlocks << 4);
  let idx = stackIdx + (<usize>d * <usize>chunkBlocks << 2);
  for (let i = from; i < to; i++) {
    let bits = bitmaps + (<usize>ld(candItem, i) * <usize>chunkBlocks << 4);
    let total = i32x4.splat(0);
    let j = 0;
    while (j < n) {
      // byte counters hold at most 8 per block: widen every 31 blocks
      let stop = min(n, j + 31);
      let acc = i8x16.splat(0);
      for (; j < stop; j++) {
        let v = v128.and(v128.load(data + (<usize>j << 4)), v128.load(bits + (<usize>ld(idx, j) << 4)));
        acc = i8x16.add(acc, i8x16.popcnt(v));
      }
      total = i32x4.add(total, i32x4.extadd_pairwise_i16x8_u(i16x8.extadd_pairwise_i8x16_u(acc)));
    }
    st(candCount, i, ld(candCount, i) + sumLanes(total));
  }
}

/** popcount(stack entry d & the bitmaps of items a and b). */
function countTwo(d: i32, a: i32, b: i32): i32 {
  let n = ld(stackLen, d);
  let data = stackData + (<usize>d * <usize>chunkBlocks << 4);
  let idx = stackIdx + (<usize>d * <usize>chunkBlocks << 2);
  let bitsA = bitmaps + (<usize>a * <usize>chunkBlocks << 4);
  let bitsB = bitmaps + (<usize>b * <usize>chunkBlocks << 4);
  let total = i32x4.splat(0);
  let j = 0;
  while (j < n) {
    let stop = min(n, j + 31);
    let acc = i8x16.splat(0);
    for (; j < stop; j++) {
      let at = <usize>ld(idx, j) << 4;
      let v = v128.and(v128.and(v128.load(data + (<usize>j << 4)), v128.load(bitsA + at)), v128.load(bitsB + at));
      acc = i8x16.add(acc, i8x16.popcnt(v));
    }
    total = i32x4.add(total, i32x4.extadd_pairwise_i16x8_u(i16x8.extadd_pairwise_i8x16_u(acc)));
  }
  return sumLanes(total);
}

@inline function sumLanes(v: v128): i32 {
  return i32x4.extract_lane(v, 0) + i32x4.extract_lane(v, 1) + i32x4.extract_lane(v, 2) + i32x4.extract_lane(v, 3);
}

/** Appends the frequent candidates of the batch as the next level and emits them. */
function keepFrequent(k: i32, nPfx: i32): void {
  for (let e = 0; e < nPfx; e++) keepEntry(e, k);
}

function keepEntry(e: i32, k: i32): void {
  let x = ld(pfxNode, e);
  let end = ld(pfxStart, e + 1);
  let sorted = false;
  for (let i = ld(pfxStart, e); i < end; i++) {
    let c = ld(candCount, i);
    if (c < minCount) continue;
    if (!sorted) {
      sortPrefix(x, k);
      sorted = true;
    }
    let b = ld(candItem, i);
    addNode(b, x);
    emitExtension(k, b, c);
  }
}

// ---- output ----

/**
 * sortedRank/sortedGid[0..k) = the items of node x by ascending output rank: its parent's,
 * sorted once for all siblings (parentRank/parentGid), with x's item merged in.
 */
function sortPrefix(x: i32, k: i32): void {
  let p = ld(ndParent, x);
  if (p != sortedParent) {
    sortedParent = p;
    for (let d = k - 2; d >= 0; d--) {
      let l = ld(ndItem, p);
      let r = ld(rankOf, l);
      let j = d + 1;
      while (j < k - 1 && ld(parentRank, j) < r) {
        st(parentRank, j - 1, ld(parentRank, j));
        st(parentGid, j - 1, ld(parentGid, j));
        j++;
      }
      st(parentRank, j - 1, r);
      st(parentGid, j - 1, ld(gidOf, l));
      p = ld(ndParent, p);
    }
  }
  let a = ld(ndItem, x);
  let ra = ld(rankOf, a);
  let j = 0;
  while (j < k - 1 && ld(parentRank, j) < ra) {
    st(sortedRank, j, ld(parentRank, j));
    st(sortedGid, j, ld(parentGid, j));
    j++;
  }
  st(sortedRank, j, ra);
  st(sortedGid, j, ld(gidOf, a));
  for (; j < k - 1; j++) {
    st(sortedRank, j + 1, ld(parentRank, j));
    st(sortedGid, j + 1, ld(parentGid, j));
  }
}

function flush(): void {
  if (outPos > 0) hostFlush(outPos);
  outPos = 0;
}

@inline function reserve(bytes: usize): usize {
  if (outPos + bytes > outCap) flush();
  let p = outBase + outPos;
  outPos += bytes;
  return p;
}

/** Emits the 1-itemset {id}. */
function emit(id: i32, count: i32): void {
  let p = reserve(12);
  store<u32>(p, 1);
  store<u32>(p + 4, count);
  store<i32>(p + 8, id);
}

/** Emits the sorted prefix of k items extended with local item b. */
function emitExtension(k: i32, b: i32, count: i32): void {
  let p = reserve(<usize>(k + 3) << 2);
  store<u32>(p, k + 1);
  store<u32>(p + 4, count);
  let q = p + 8;
  let rb = ld(rankOf, b);
  let j = 0;
  while (j < k && ld(sortedRank, j) < rb) {
    store<i32>(q, ld(sortedGid, j));
    q += 4;
    j++;
  }
  store<i32>(q, ld(gidOf, b));
  q += 4;
  for (; j < k; j++) {
    store<i32>(q, ld(sortedGid, j));
    q += 4;
  }
}
