// Apriori (Agrawal & Srikant, "Fast algorithms for mining association rules", VLDB 1994):
// candidate (k+1)-itemsets join two frequent k-itemsets that share their first k-1 items and
// are kept only if every k-subset is frequent; each level is counted in one pass over the data.
//
// Frequent itemsets form a prefix tree stored level after level in parallel i32 arrays; items
// are local ids in ascending support, so the children of a node are sorted and the subsets a
// candidate must have are found by binary search. Level 2 is counted in a triangular array of
// pair counts when it fits. Other levels are counted vertically (bitmap counting as in Burdick
// et al., "MAFIA", ICDE 2001): per chunk of transactions every frequent item has a bitmap of the
// transactions holding it, count(X ∪ {b}) = popcount(bits(X) & bits(b)), and bits(X) is kept
// along the prefix-tree path as its non-zero 128-bit blocks only, so candidates sharing X share
// it and sparse prefixes cost little. When the candidates of a level exceed the batch capacity
// they are generated and counted in batches (one pass per batch).

import { sortRaw } from "../common/sort";
import { STATUS_BAD_ARGUMENT, STATUS_BAD_INPUT, STATUS_OK, fail } from "../common/status";

@external("env", "fim_flush")
declare function hostFlush(bytes: usize): void;

@external("env", "fim_progress")
declare function hostProgress(done: i32, total: i32): void;

@inline const ROOT: i32 = -1;
@inline const MISSING: i32 = -2;
@inline const BITMAP_BUDGET: u64 = 256 << 20; // bytes of item bitmaps per chunk
@inline const DEFAULT_BATCH: i32 = 1 << 20; // candidates per batch

@inline function ld(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}
@inline function st(base: usize, i: i32, v: i32): void {
  store<i32>(base + (<usize>i << 2), v);
}

// ---- per-call state ----
let minCount: i32 = 1;
let m: i32 = 0; // frequent items: local ids 0..m-1 in ascending support
let gidOf: usize = 0; // i32[m] global id of each local item
let rankOf: usize = 0; // i32[m] output rank of each local item
let locOf: usize = 0; // i32[nIds] local id or -1

// prefix tree: nodes 0..m-1 are level 1 (node = local item); deeper levels follow in order,
// each sorted by (parent, item); the children of node x are nodes [first[x], end[x])
let nodeCap: i32 = 0;
let nNodes: i32 = 0;
let ndItem: usize = 0;
let ndCount: usize = 0;
let ndParent: usize = 0;
let ndFirst: usize = 0;
let ndEnd: usize = 0;

// path of the current prefix (depth ≤ m): its nodes, items, and items sorted by output rank
let pathNode: usize = 0;
let pathItem: usize = 0;
let sortedRank: usize = 0;
let sortedGid: usize = 0;
let pruneNode: usize = 0; // i32[m] see loadPruneNodes

// candidate batch: prefix entry e extends node pfxNode[e] with items cand[pfxStart[e] .. pfxStart[e+1])
let batchCap: i32 = 0;
let candItem: usize = 0;
let candCount: usize = 0;
let pfxNode: usize = 0;
let pfxStart: usize = 0;

// vertical counting: item bitmaps of one chunk of transactions, and a stack of compact prefix
// bitmaps (depth d holds bits(path[0..d]) as blocks with their block index)
let chunkBlocks: i32 = 0; // 128-transaction blocks per chunk
let nChunks: i32 = 0;
let builtChunk: i32 = -1;
let bitmaps: usize = 0; // v128[m × chunkBlocks]
let stackCap: i32 = 0;
let stackData: usize = 0; // v128[stackCap × chunkBlocks]
let stackIdx: usize = 0; // i32[stackCap × chunkBlocks]
let stackLen: usize = 0; // i32[stackCap]
let stackNode: usize = 0; // i32[stackCap] node whose bits depth d holds (MISSING: none)

// output: records (u32 len, u32 count, len × u32 ids by ascending output rank)
let outBase: usize = 0;
let outCap: usize = 0;
let outPos: usize = 0;

/**
 * Mines every itemset with support ≥ `minSupport` (absolute) and at most `maxItems` items
 * (0 = no limit) from `nTx` transactions: item ids `items[offsets[t] .. offsets[t+1])`, each
 * < `nIds`; `rank[id]` orders items inside an output record. Records go to `out` (`cap` bytes,
 * handed to the host whenever full). Tunables: level 2 uses the triangular array when it has at
 * most `triCells` cells; `chunkTx` transactions per bitmap chunk (0 = fit a memory budget);
 * `batch` candidates per counting pass (0 = default). Returns a status.
 */
export function fim_apriori(
  items: usize, offsets: usize, nTx: i32, nIds: i32, minSupport: i32, maxItems: i32,
  rank: usize, triCells: f64, chunkTx: i32, batch: i32, out: usize, cap: usize,
): i32 {
  if (minSupport < 1) return fail(STATUS_BAD_ARGUMENT, 4, minSupport);
  if (maxItems < 0) return fail(STATUS_BAD_ARGUMENT, 5, maxItems);
  if (!(triCells >= 0)) return fail(STATUS_BAD_ARGUMENT, 7, triCells);
  if (chunkTx < 0) return fail(STATUS_BAD_ARGUMENT, 8, chunkTx);
  if (batch < 0) return fail(STATUS_BAD_ARGUMENT, 9, batch);
  if (cap < <usize>(nIds + 2) << 2) return fail(STATUS_BAD_ARGUMENT, 11, <f64>cap);
  minCount = minSupport;
  outBase = out;
  outCap = cap;
  outPos = 0;
  let status = run(items, offsets, nTx, nIds, maxItems == 0 ? 0x7fffffff : maxItems, rank, triCells, chunkTx, batch);
  release();
  if (status == STATUS_OK && outPos > 0) hostFlush(outPos);
  return status;
}

function run(
  items: usize, offsets: usize, nTx: i32, nIds: i32, maxLen: i32,
  rank: usize, triCells: f64, chunkTx: i32, batch: i32,
): i32 {
  // level 1: one pass counting each id once per transaction
  let freq = alloc(<usize>nIds << 2);
  locOf = alloc(<usize>nIds << 2);
  let seen = locOf;
  memory.fill(freq, 0, <usize>nIds << 2);
  memory.fill(seen, 0, <usize>nIds << 2);
  let longest = 0;
  for (let t = 0; t < nTx; t++) {
    let end = ld(offsets, t + 1);
    let distinct = 0;
    for (let p = ld(offsets, t); p < end; p++) {
      let id = ld(items, p);
      if (<u32>id >= <u32>nIds) {
        heap.free(freq);
        return fail(STATUS_BAD_INPUT, 0, <f64><u32>id);
      }
      if (ld(seen, id) != t + 1) {
        st(seen, id, t + 1);
        st(freq, id, ld(freq, id) + 1);
        distinct++;
      }
    }
    if (distinct > longest) longest = distinct;
  }
  let total = min(longest, maxLen);
  m = 0;
  for (let id = 0; id < nIds; id++) if (ld(freq, id) >= minCount) m++;
  if (m == 0) {
    heap.free(freq);
    if (total > 0) hostProgress(total, total);
    return STATUS_OK;
  }
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
    addNode(l, ROOT, <i32>(key >> 32));
  }
  heap.free(keys);
  pathNode = alloc(<usize>(m + 1) << 2);
  pathItem = alloc(<usize>(m + 1) << 2);
  sortedRank = alloc(<usize>(m + 1) << 2);
  sortedGid = alloc(<usize>(m + 1) << 2);
  pruneNode = alloc(<usize>(m + 1) << 2);
  for (let l = 0; l < m; l++) {
    st(sortedGid, 0, ld(gidOf, l));
    emit(1, ld(ndCount, l), sortedGid);
  }
  hostProgress(1, total);

  // candidates and chunks
  batchCap = max(batch == 0 ? DEFAULT_BATCH : batch, m);
  candItem = alloc(<usize>batchCap << 2);
  candCount = alloc(<usize>batchCap << 2);
  pfxNode = alloc(<usize>batchCap << 2);
  pfxStart = alloc(<usize>(batchCap + 1) << 2);
  let allBlocks = (nTx + 127) >> 7;
  let blocks = chunkTx > 0 ? (chunkTx + 127) >> 7 : <i32>min<u64>(BITMAP_BUDGET / (<u64>m << 4), 0x7fffffff);
  chunkBlocks = max(1, min(blocks, allBlocks));
  nChunks = (allBlocks + chunkBlocks - 1) / chunkBlocks;
  builtChunk = -1;

  // level 2, then levels 3…: nodes [lo, hi) are the frequent k-itemsets
  let lo = 0;
  let hi = m;
  let k = 1;
  while (k < maxLen && hi - lo >= 2) {
    if (k == 1 && <f64>m * <f64>(m - 1) / 2 <= triCells) countPairs(items, offsets, nTx);
    else nextLevel(items, offsets, nTx, lo, hi, k);
    linkChildren(lo, hi);
    lo = hi;
    hi = nNodes;
    k++;
    hostProgress(min(k, total), total);
  }
  if (k < total) hostProgress(total, total);
  return STATUS_OK;
}

function alloc(bytes: usize): usize {
  return heap.alloc(max<usize>(bytes, 16));
}

@inline function free(ptr: usize): usize {
  if (ptr) heap.free(ptr);
  return 0;
}

/** Frees every block of the call. */
function release(): void {
  locOf = free(locOf);
  gidOf = free(gidOf);
  rankOf = free(rankOf);
  ndItem = free(ndItem);
  ndCount = free(ndCount);
  ndParent = free(ndParent);
  ndFirst = free(ndFirst);
  ndEnd = free(ndEnd);
  pathNode = free(pathNode);
  pathItem = free(pathItem);
  sortedRank = free(sortedRank);
  sortedGid = free(sortedGid);
  pruneNode = free(pruneNode);
  candItem = free(candItem);
  candCount = free(candCount);
  pfxNode = free(pfxNode);
  pfxStart = free(pfxStart);
  bitmaps = free(bitmaps);
  stackData = free(stackData);
  stackIdx = free(stackIdx);
  stackLen = free(stackLen);
  stackNode = free(stackNode);
  nodeCap = nNodes = stackCap = 0;
}

// ---- prefix tree ----

function growNodes(cap: i32): void {
  let bytes = <usize>cap << 2;
  ndItem = ndItem ? heap.realloc(ndItem, bytes) : heap.alloc(bytes);
  ndCount = ndCount ? heap.realloc(ndCount, bytes) : heap.alloc(bytes);
  ndParent = ndParent ? heap.realloc(ndParent, bytes) : heap.alloc(bytes);
  ndFirst = ndFirst ? heap.realloc(ndFirst, bytes) : heap.alloc(bytes);
  ndEnd = ndEnd ? heap.realloc(ndEnd, bytes) : heap.alloc(bytes);
  nodeCap = cap;
}

@inline function addNode(item: i32, parent: i32, count: i32): void {
  if (nNodes == nodeCap) growNodes(nodeCap * 2);
  st(ndItem, nNodes, item);
  st(ndParent, nNodes, parent);
  st(ndCount, nNodes, count);
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

/** The child of `node` (ROOT for the root) holding `item`, or MISSING. */
@inline function findChild(node: i32, item: i32): i32 {
  if (node == ROOT) return item;
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

/** Fills pathNode/pathItem[0..k) with the ancestors of the k-itemset node `x`. */
function loadPath(x: i32, k: i32): void {
  for (let d = k - 1; d >= 0; d--) {
    st(pathNode, d, x);
    st(pathItem, d, ld(ndItem, x));
    x = ld(ndParent, x);
  }
}

// ---- level 2 by a triangular array ----

function countPairs(items: usize, offsets: usize, nTx: i32): void {
  let rowOff = alloc(<usize>m << 2); // cell of (a, b), a < b: rowOff[a] + b
  let cells = 0;
  for (let a = 0; a < m; a++) {
    st(rowOff, a, cells - a - 1);
    cells += m - a - 1;
  }
  let tri = alloc(<usize>cells << 2);
  memory.fill(tri, 0, <usize>cells << 2);
  let buf = candItem; // batchCap ≥ m holds one transaction's distinct frequent items
  let seen = alloc(<usize>m << 2);
  memory.fill(seen, 0, <usize>m << 2);
  for (let t = 0; t < nTx; t++) {
    let n = 0;
    let end = ld(offsets, t + 1);
    for (let p = ld(offsets, t); p < end; p++) {
      let l = ld(locOf, ld(items, p));
      if (l >= 0 && ld(seen, l) != t + 1) {
        st(seen, l, t + 1);
        st(buf, n++, l);
      }
    }
    sortRaw<i32>(buf, n);
    for (let i = 0; i < n - 1; i++) {
      let row = tri + (<usize>ld(rowOff, ld(buf, i)) << 2);
      for (let j = i + 1; j < n; j++) {
        let cell = row + (<usize>ld(buf, j) << 2);
        store<i32>(cell, load<i32>(cell) + 1);
      }
    }
  }
  for (let a = 0; a < m - 1; a++) {
    let row = ld(rowOff, a);
    st(sortedRank, 0, ld(rankOf, a));
    st(sortedGid, 0, ld(gidOf, a));
    for (let b = a + 1; b < m; b++) {
      let c = ld(tri, row + b);
      if (c < minCount) continue;
      addNode(b, a, c);
      emitExtension(1, b, c);
    }
  }
  heap.free(seen);
  heap.free(tri);
  heap.free(rowOff);
}

// ---- levels by join, prune and vertical counting ----

/** Appends the frequent (k+1)-itemsets extending the k-itemset nodes [lo, hi). */
function nextLevel(items: usize, offsets: usize, nTx: i32, lo: i32, hi: i32, k: i32): void {
  ensureStack(k);
  let parent = MISSING;
  let pruneOk = false;
  let x = lo;
  while (x < hi) {
    // one batch: the candidates of consecutive prefixes, as many as fit
    let nPfx = 0;
    let nCand = 0;
    while (x < hi) {
      let p = ld(ndParent, x);
      let room = (p == ROOT ? m : ld(ndEnd, p)) - x - 1; // later siblings bound the candidates
      if (nCand + room > batchCap) break;
      if (p != parent) {
        parent = p;
        pruneOk = loadPruneNodes(p, k);
      }
      if (room > 0 && pruneOk) {
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
    st(pfxStart, nPfx, nCand);
    if (nCand == 0) continue;
    memory.fill(candCount, 0, <usize>nCand << 2);
    countBatch(items, offsets, nTx, k, nPfx);
    keepFrequent(k, nPfx);
  }
}

/**
 * For the parent P = {p_0 … p_{k-2}} of level-k nodes: pruneNode[i] = the node of P \ {p_i}
 * (ROOT when k = 2), shared by every child of P. False if one is missing.
 */
function loadPruneNodes(p: i32, k: i32): bool {
  if (k == 1) return true;
  loadPath(p, k - 1);
  for (let i = 0; i < k - 1; i++) {
    let node = i == 0 ? ROOT : ld(pathNode, i - 1);
    for (let j = i + 1; j < k - 1 && node != MISSING; j++) node = findChild(node, ld(pathItem, j));
    if (node == MISSING) return false;
    st(pruneNode, i, node);
  }
  return true;
}

/**
 * Writes to `out` the items b of the candidates X ∪ {b} for the k-itemset node x = P ∪ {a}:
 * b is the item of a later sibling (the join) and P \ {p_i} ∪ {a, b} is frequent for every
 * i < k-1 (the prune; dropping a or b gives the two joined itemsets). Returns how many.
 */
function candidates(x: i32, k: i32, out: usize, room: i32): i32 {
  for (let j = 0; j < room; j++) st(out, j, ld(ndItem, x + 1 + j));
  let n = room;
  let a = ld(ndItem, x);
  for (let i = 0; i < k - 1 && n > 0; i++) {
    let node = findChild(ld(pruneNode, i), a);
    if (node == MISSING) return 0;
    n = intersectChildren(out, n, node, a);
  }
  return n;
}

/** Keeps the items of `list[0..n)` that are children of `node`; children ≤ `after` are skipped. */
function intersectChildren(list: usize, n: i32, node: i32, after: i32): i32 {
  let a = ld(ndFirst, node);
  let b = ld(ndEnd, node);
  let lo = a;
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
      st(list, kept++, u);
      i++;
      j++;
    }
  }
  return kept;
}

function ensureStack(k: i32): void {
  if (k <= stackCap) return;
  stackData = free(stackData);
  stackIdx = free(stackIdx);
  stackLen = free(stackLen);
  stackNode = free(stackNode);
  stackCap = max(k, stackCap * 2);
  stackData = alloc(<usize>stackCap * <usize>chunkBlocks << 4);
  stackIdx = alloc(<usize>stackCap * <usize>chunkBlocks << 2);
  stackLen = alloc(<usize>stackCap << 2);
  stackNode = alloc(<usize>stackCap << 2);
  if (!bitmaps) bitmaps = alloc(<usize>m * <usize>chunkBlocks << 4);
}

/** Adds to candCount the count of every candidate of the batch, chunk by chunk. */
function countBatch(items: usize, offsets: usize, nTx: i32, k: i32, nPfx: i32): void {
  for (let c = 0; c < nChunks; c++) {
    if (builtChunk != c) buildBitmaps(items, offsets, nTx, c);
    memory.fill(stackNode, 0xff, <usize>k << 2); // -1 (ROOT) is no prefix node
    for (let e = 0; e < nPfx; e++) {
      let x = ld(pfxNode, e);
      loadPath(x, k);
      let d = 0;
      while (d < k && ld(stackNode, d) == ld(pathNode, d)) d++;
      for (; d < k; d++) {
        pushPrefix(d, ld(pathItem, d));
        st(stackNode, d, ld(pathNode, d));
      }
      countPrefix(k - 1, ld(pfxStart, e), ld(pfxStart, e + 1));
    }
  }
}

// Hot loops live in functions called once per prefix, not once per batch: engines compile a
// running function's first tier for its whole call, so a long call would never be optimised.

/** Adds to candCount[from..to) popcount(bits at stack depth d & bits of each candidate item). */
export let statCand: f64 = 0; export let statCandBlocks: f64 = 0; export let statPush: f64 = 0; export let statPushBlocks: f64 = 0;
function countPrefix(d: i32, from: i32, to: i32): void {
  let n = ld(stackLen, d);
  statCand += to - from; statCandBlocks += <f64>(to - from) * n;
  if (n == 0) return;
  let data = stackData + (<usize>d * <usize>chunkBlocks << 4);
  let idx = stackIdx + (<usize>d * <usize>chunkBlocks << 2);
  for (let i = from; i < to; i++) {
    let bits = bitmaps + (<usize>ld(candItem, i) * <usize>chunkBlocks << 4);
    st(candCount, i, ld(candCount, i) + andCount(data, idx, n, bits));
  }
}

/** Item bitmaps of chunk `c` (bit t of item l: transaction c·chunkBlocks·128 + t holds l). */
function buildBitmaps(items: usize, offsets: usize, nTx: i32, c: i32): void {
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

/** Stack depth d = depth d-1 AND item bitmap, keeping only non-zero blocks. */
function pushPrefix(d: i32, item: i32): void {
  statPush += 1; statPushBlocks += d == 0 ? chunkBlocks : ld(stackLen, d - 1);
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

/** popcount(prefix & bits) over the prefix's n non-zero blocks. */
@inline function andCount(data: usize, idx: usize, n: i32, bits: usize): i32 {
  let sum: i64 = 0;
  for (let j = 0; j < n; j++) {
    let v = v128.and(v128.load(data + (<usize>j << 4)), v128.load(bits + (<usize>ld(idx, j) << 4)));
    sum += popcnt<i64>(i64x2.extract_lane(v, 0)) + popcnt<i64>(i64x2.extract_lane(v, 1));
  }
  return <i32>sum;
}

/** Appends the frequent candidates of the batch as the next level and emits them. */
function keepFrequent(k: i32, nPfx: i32): void {
  for (let e = 0; e < nPfx; e++) {
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
      addNode(b, x, c);
      emitExtension(k, b, c);
    }
  }
}

// ---- output ----

/** sortedRank/sortedGid[0..k) = the items of node x by ascending output rank. */
function sortPrefix(x: i32, k: i32): void {
  for (let d = k - 1; d >= 0; d--) {
    let l = ld(ndItem, x);
    let r = ld(rankOf, l);
    let j = d + 1;
    while (j < k && ld(sortedRank, j) < r) {
      st(sortedRank, j - 1, ld(sortedRank, j));
      st(sortedGid, j - 1, ld(sortedGid, j));
      j++;
    }
    st(sortedRank, j - 1, r);
    st(sortedGid, j - 1, ld(gidOf, l));
    x = ld(ndParent, x);
  }
}

@inline function reserve(bytes: usize): usize {
  if (outPos + bytes > outCap) {
    hostFlush(outPos);
    outPos = 0;
  }
  let p = outBase + outPos;
  outPos += bytes;
  return p;
}

function emit(len: i32, count: i32, gids: usize): void {
  let p = reserve(<usize>(len + 2) << 2);
  store<u32>(p, len);
  store<u32>(p + 4, count);
  memory.copy(p + 8, gids, <usize>len << 2);
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
