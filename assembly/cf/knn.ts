// Neighbourhood collaborative filtering over CSR matrices (SPEC 3).
//
// Similarities are computed one row at a time and only the K largest of each row are kept, so
// memory stays at the size of the output, not of the dense co-occurrence matrix: the dot products
// of entity e with every other entity are accumulated in a dense buffer through the transposed
// matrix (for items: the users of item e, then each user's items), and a SIMD scan of that buffer
// turns the sums into similarities (cosine — Pearson and adjusted cosine are cosines of centred
// values, centred by the facade — or Jaccard, optionally shrunk by the co-count), keeps the lanes
// that beat the current K-th best, and clears it.
// Scoring (cf_scores_topn) reuses the same accumulate-then-scan shape for the top N: item-based
// R(u, s) = Σ_t x_ut · S_K[t, s], user-based score(u, j) = Σ_{v ∈ N_K(u)} sim(u, v) · x_vj.

@inline function ldi(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}
@inline function ldf(base: usize, i: i32): f32 {
  return load<f32>(base + (<usize>i << 2));
}

/** `out[r]` = 1 / ‖row r‖₂ of a CSR matrix (0 for an empty or all-zero row). */
export function cf_inverse_norms(indptr: usize, values: usize, nRows: i32, out: usize): void {
  for (let r = 0; r < nRows; r++) {
    let sum: f64 = 0;
    let end = ldi(indptr, r + 1);
    for (let p = ldi(indptr, r); p < end; p++) {
      let v = <f64>ldf(values, p);
      sum += v * v;
    }
    store<f32>(out + (<usize>r << 2), sum > 0 ? <f32>(1 / Math.sqrt(sum)) : 0);
  }
}

// ---- bounded min-heap of (value, index): the root is the worst kept entry; on equal values the
// larger index is worse, so results do not depend on scan order ----
let heapVal: usize = 0;
let heapIdx: usize = 0;
let heapCap: i32 = 0;
let heapLen: i32 = 0;

@inline function worse(va: f32, ia: i32, vb: f32, ib: i32): bool {
  return va < vb || (va == vb && ia > ib);
}

function heapOffer(v: f32, i: i32): void {
  let pos: i32;
  if (heapLen < heapCap) {
    pos = heapLen++;
    while (pos > 0) {
      let up = (pos - 1) >> 1;
      let uv = ldf(heapVal, up);
      let ui = ldi(heapIdx, up);
      if (!worse(v, i, uv, ui)) break;
      store<f32>(heapVal + (<usize>pos << 2), uv);
      store<i32>(heapIdx + (<usize>pos << 2), ui);
      pos = up;
    }
  } else {
    if (!worse(ldf(heapVal, 0), ldi(heapIdx, 0), v, i)) return;
    pos = siftDown(v, i);
  }
  store<f32>(heapVal + (<usize>pos << 2), v);
  store<i32>(heapIdx + (<usize>pos << 2), i);
}

/** Moves entries up from the root's subtree until (v, i) fits; returns its place. */
function siftDown(v: f32, i: i32): i32 {
  let pos = 0;
  while (true) {
    let c = 2 * pos + 1;
    if (c >= heapLen) break;
    if (c + 1 < heapLen && worse(ldf(heapVal, c + 1), ldi(heapIdx, c + 1), ldf(heapVal, c), ldi(heapIdx, c))) c++;
    let cv = ldf(heapVal, c);
    let ci = ldi(heapIdx, c);
    if (!worse(cv, ci, v, i)) break;
    store<f32>(heapVal + (<usize>pos << 2), cv);
    store<i32>(heapIdx + (<usize>pos << 2), ci);
    pos = c;
  }
  return pos;
}

/** Empties the heap into `outIdx`/`outVal` best first; returns the count. */
function heapDrain(outIdx: usize, outVal: usize): i32 {
  let n = heapLen;
  for (let k = n - 1; k >= 0; k--) {
    store<i32>(outIdx + (<usize>k << 2), ldi(heapIdx, 0));
    store<f32>(outVal + (<usize>k << 2), ldf(heapVal, 0));
    heapLen--;
    let v = ldf(heapVal, heapLen);
    let i = ldi(heapIdx, heapLen);
    let pos = siftDown(v, i);
    if (heapLen > 0) {
      store<f32>(heapVal + (<usize>pos << 2), v);
      store<i32>(heapIdx + (<usize>pos << 2), i);
    }
  }
  return n;
}

/** Offers the positive lanes of `s` (scores of entities j .. j+3, j ≠ `skip`) to the heap. */
@inline function offerLanes(s: v128, j: i32, skip: i32): void {
  let bar = heapLen < heapCap ? <f32>0 : ldf(heapVal, 0);
  let pass = i32x4.bitmask(f32x4.ge(s, f32x4.splat(bar)));
  while (pass != 0) {
    let lane = ctz(pass);
    pass &= pass - 1;
    let v = f32x4.extract_lane(s, 0);
    if (lane == 1) v = f32x4.extract_lane(s, 1);
    else if (lane == 2) v = f32x4.extract_lane(s, 2);
    else if (lane == 3) v = f32x4.extract_lane(s, 3);
    let idx = j + lane;
    if (v > 0 && idx != skip) heapOffer(v, idx);
  }
}

/**
 * Offers every positive `acc[j] · scale · weight[j]` (j ≠ `skip`) to the heap and zeroes `acc`.
 * `acc` and `weight` hold `n` f32 padded with zeros to a multiple of 4; lanes are filtered four
 * at a time against the current worst kept value.
 */
function scanOffer(acc: usize, weight: usize, n: i32, scale: f32, skip: i32): void {
  let zero = f32x4.splat(0);
  let vscale = f32x4.splat(scale);
  for (let j = 0; j < n; j += 4) {
    let a = v128.load(acc + (<usize>j << 2));
    if (!v128.any_true(a)) continue;
    v128.store(acc + (<usize>j << 2), zero);
    offerLanes(f32x4.mul(f32x4.mul(a, vscale), v128.load(weight + (<usize>j << 2))), j, skip);
  }
}

@inline const COSINE: i32 = 0;
@inline const JACCARD: i32 = 1;

/**
 * The similarity scan of row e: lanes j of the dot products `acc` (and co-occurrence counts
 * `cnt`, when non-zero) become similarities, are offered to the heap, and the buffers zeroed.
 * COSINE: acc[j] · scale[e] · scale[j] with scale = 1/‖row‖; JACCARD (0/1 values, so acc is the
 * co-count): acc[j] / (scale[e] + scale[j] − acc[j]) with scale = the rows' entry counts.
 * `shrink` > 0 multiplies by c / (c + shrink), c the co-count.
 */
function scanSimilar(kind: i32, acc: usize, cnt: usize, scale: usize, n: i32, e: i32, shrink: f32): void {
  let zero = f32x4.splat(0);
  let se = f32x4.splat(ldf(scale, e));
  let vshrink = f32x4.splat(shrink);
  for (let j = 0; j < n; j += 4) {
    let at = <usize>j << 2;
    let a = v128.load(acc + at);
    let c = a;
    if (cnt != 0) {
      c = v128.load(cnt + at);
      if (!v128.any_true(c)) continue; // centred values can sum to 0 where rows co-occur
      v128.store(cnt + at, zero);
    } else if (!v128.any_true(a)) continue;
    v128.store(acc + at, zero);
    let sj = v128.load(scale + at);
    let s = kind == JACCARD ? f32x4.div(a, f32x4.sub(f32x4.add(se, sj), a)) : f32x4.mul(f32x4.mul(a, se), sj);
    if (shrink > 0) s = f32x4.mul(s, f32x4.div(c, f32x4.add(c, vshrink)));
    offerLanes(s, j, e);
  }
}

/**
 * Top-K similar entities of rows [from, to) of an entity matrix E (CSR `ePtr/eIdx/eVal`, one row
 * per entity, columns = the other side) against all `nEnt` entities, through its transpose T
 * (`tPtr/tIdx/tVal`), by `kind` (see scanSimilar; `scale` padded with zeros to a multiple of 4).
 * Scratch: `acc` f32 of the same padded length, all zero (left zero); `cnt` likewise, or 0 when
 * `shrink` is 0 (co-counts are needed only to shrink); `heap` 8·k bytes. Row e's neighbours go to
 * `outIdx/outSim[e·k ..]`, best first, their count to `outLen[e]`.
 */
export function cf_similarity_topk(
  kind: i32, ePtr: usize, eIdx: usize, eVal: usize, tPtr: usize, tIdx: usize, tVal: usize, nEnt: i32,
  scale: usize, shrink: f32, k: i32, from: i32, to: i32, acc: usize, cnt: usize, heap: usize,
  outIdx: usize, outSim: usize, outLen: usize,
): void {
  heapVal = heap;
  heapIdx = heap + (<usize>k << 2);
  heapCap = k;
  for (let e = from; e < to; e++) {
    heapLen = 0;
    let end = ldi(ePtr, e + 1);
    for (let p = ldi(ePtr, e); p < end; p++) {
      let c = ldi(eIdx, p);
      let x = ldf(eVal, p);
      let tEnd = ldi(tPtr, c + 1);
      if (cnt != 0) {
        for (let q = ldi(tPtr, c); q < tEnd; q++) {
          let off = <usize>ldi(tIdx, q) << 2;
          store<f32>(acc + off, load<f32>(acc + off) + x * ldf(tVal, q));
          store<f32>(cnt + off, load<f32>(cnt + off) + 1);
        }
      } else {
        for (let q = ldi(tPtr, c); q < tEnd; q++) {
          let at = acc + (<usize>ldi(tIdx, q) << 2);
          store<f32>(at, load<f32>(at) + x * ldf(tVal, q));
        }
      }
    }
    let base = <usize>e * <usize>k << 2;
    scanSimilar(kind, acc, cnt, scale, nEnt, e, shrink);
    store<i32>(outLen + (<usize>e << 2), heapDrain(outIdx + base, outSim + base));
  }
}

@inline const ITEM_BASED: i32 = 0;

/**
 * Top-N for the users `users[from .. to)` (indices into the CSR of all users, `uPtr/uIdx/uVal`),
 * only positive scores, from kept neighbour lists `simIdx/simVal/simLen`
 * (`k` per row). `mode` 0, item-based (rows are items): R(u, s) = Σ_t x_ut · S[t, s] over u's
 * items t; 1, user-based (rows are users): score(u, j) = Σ_v sim(u, v) · x_vj over u's
 * neighbours v. Scores are multiplied by `allowed` (f32 per item, padded like `acc`: 1 to keep,
 * 0 to leave out), and u's own items are left out unless `keepSeen`. `acc` as in
 * cf_similarity_topk; heap 8·n bytes. List i goes to `recIdx/recScore[i·n ..]`, its length to `recLen[i]`.
 */
export function cf_scores_topn(
  mode: i32, uPtr: usize, uIdx: usize, uVal: usize, nItems: i32, simIdx: usize, simVal: usize,
  simLen: usize, k: i32, n: i32, users: usize, from: i32, to: i32, allowed: usize, keepSeen: bool, acc: usize,
  heap: usize, recIdx: usize, recScore: usize, recLen: usize,
): void {
  heapVal = heap;
  heapIdx = heap + (<usize>n << 2);
  heapCap = n;
  for (let i = from; i < to; i++) {
    let u = ldi(users, i);
    heapLen = 0;
    if (mode == ITEM_BASED) {
      let end = ldi(uPtr, u + 1);
      for (let p = ldi(uPtr, u); p < end; p++) addRow(acc, simIdx, simVal, simLen, k, ldi(uIdx, p), ldf(uVal, p));
    } else {
      let row = <usize>u * <usize>k;
      let len = ldi(simLen, u);
      for (let r = 0; r < len; r++) {
        let v = ldi(simIdx, <i32>(row + r));
        let w = ldf(simVal, <i32>(row + r));
        let end = ldi(uPtr, v + 1);
        for (let p = ldi(uPtr, v); p < end; p++) {
          let at = acc + (<usize>ldi(uIdx, p) << 2);
          store<f32>(at, load<f32>(at) + w * ldf(uVal, p));
        }
      }
    }
    if (!keepSeen) {
      let end = ldi(uPtr, u + 1);
      for (let p = ldi(uPtr, u); p < end; p++) store<f32>(acc + (<usize>ldi(uIdx, p) << 2), 0);
    }
    let base = <usize>i * <usize>n << 2;
    scanOffer(acc, allowed, nItems, 1, -1);
    store<i32>(recLen + (<usize>i << 2), heapDrain(recIdx + base, recScore + base));
  }
}

/** acc[s] += x · S[t, s] over item t's kept neighbours s. */
@inline function addRow(acc: usize, simIdx: usize, simVal: usize, simLen: usize, k: i32, t: i32, x: f32): void {
  let row = <usize>t * <usize>k;
  let len = ldi(simLen, t);
  for (let r = 0; r < len; r++) {
    let at = acc + (<usize>ldi(simIdx, <i32>(row + r)) << 2);
    store<f32>(at, load<f32>(at) + x * ldf(simVal, <i32>(row + r)));
  }
}
