// Closed and maximal itemsets selected from a complete listing. X is not closed iff some
// X ∪ {i} has X's count, and not maximal iff some X ∪ {i} is listed (downward closure), so each
// itemset marks its immediate subsets. Subsets are found in an open-addressing index keyed by
// an additive hash (the sum of per-item codes), which makes dropping an item one subtraction.
// Slots hold (hash, itemset) pairs so a probe costs one cache line until the hashes agree.

import { STATUS_BAD_ARGUMENT, STATUS_OK, fail } from "../common/status";

@inline const KIND_CLOSED: i32 = 1;
@inline const KIND_MAXIMAL: i32 = 2;
@inline const EMPTY: i32 = -1;

@inline function ld(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}

/** A well-mixed 32-bit code per item id (murmur3's finaliser). */
@inline function code(id: u32): u32 {
  let h = (id ^ 0x9e3779b9) * 0x85ebca6b;
  h ^= h >> 13;
  h *= 0xc2b2ae35;
  return h ^ (h >> 16);
}

// per-selection state, set by fim_select_kind_begin
let ids: usize = 0;
let start: usize = 0;
let counts: usize = 0;
let codes: usize = 0;
let slots: usize = 0; // (u32 hash, i32 itemset) × (mask + 1)
let mask: u32 = 0;
let covered: usize = 0;
let kind: i32 = 0;

/**
 * Starts selecting closed (`kindCode` 1) or maximal (2) itemsets among `size` itemsets: ids
 * `ids[start[i] .. start[i+1])` (each < `nIds`, items in one canonical order), `counts[i]`.
 * Scratch from the caller: `codeBuf` u32[nIds], `slotBuf` 8 × (`slotMask` + 1) bytes with
 * `slotMask` + 1 a power of two ≥ 2 × size; `out` u8[size] receives 1 for each itemset that is
 * not of the kind. Then `fim_select_kind_index` and `fim_select_kind_mark` over every range of
 * itemsets (short calls let the engine swap in optimised code between them).
 */
export function fim_select_kind_begin(
  idBuf: usize, startBuf: usize, countBuf: usize, size: i32, nIds: i32, kindCode: i32,
  codeBuf: usize, slotBuf: usize, slotMask: u32, out: usize,
): i32 {
  if (kindCode != KIND_CLOSED && kindCode != KIND_MAXIMAL) return fail(STATUS_BAD_ARGUMENT, 5, kindCode);
  if (<u64>slotMask + 1 < <u64>size << 1) return fail(STATUS_BAD_ARGUMENT, 8, <f64>slotMask);
  ids = idBuf;
  start = startBuf;
  counts = countBuf;
  codes = codeBuf;
  slots = slotBuf;
  mask = slotMask;
  covered = out;
  kind = kindCode;
  for (let id = 0; id < nIds; id++) store<u32>(codes + (<usize>id << 2), code(<u32>id));
  memory.fill(slots, 0xff, (<usize>mask + 1) << 3);
  memory.fill(covered, 0, <usize>size);
  return STATUS_OK;
}

@inline function hashOf(i: i32): u32 {
  let h: u32 = 0;
  let end = ld(start, i + 1);
  for (let p = ld(start, i); p < end; p++) h += load<u32>(codes + (<usize>ld(ids, p) << 2));
  return h;
}

/** Enters itemsets [from, to) into the index. */
export function fim_select_kind_index(from: i32, to: i32): void {
  for (let i = from; i < to; i++) {
    let h = hashOf(i);
    let s = h & mask;
    while (load<i32>(slots + (<usize>s << 3), 4) != EMPTY) s = (s + 1) & mask;
    store<u32>(slots + (<usize>s << 3), h);
    store<i32>(slots + (<usize>s << 3), i, 4);
  }
}

/** Marks the immediate subsets that itemsets [from, to) rule out. */
export function fim_select_kind_mark(from: i32, to: i32): void {
  for (let i = from; i < to; i++) {
    let first = ld(start, i);
    let len = ld(start, i + 1) - first;
    if (len < 2) continue;
    let hi = hashOf(i);
    for (let drop = 0; drop < len; drop++) {
      let h = hi - load<u32>(codes + (<usize>ld(ids, first + drop) << 2));
      for (let s = h & mask; ; s = (s + 1) & mask) {
        let slot = slots + (<usize>s << 3);
        let c = load<i32>(slot, 4);
        if (c == EMPTY) break;
        if (load<u32>(slot) != h || !isDropped(c, first, len, drop)) continue;
        if (kind == KIND_MAXIMAL || ld(counts, c) == ld(counts, i)) store<u8>(covered + <usize>c, 1);
        break;
      }
    }
  }
}

/** Whether itemset `c` equals the `len` ids at `first` without the one at `drop`. */
@inline function isDropped(c: i32, first: i32, len: i32, drop: i32): bool {
  let q = ld(start, c);
  if (ld(start, c + 1) - q != len - 1) return false;
  for (let p = 0; p < len; p++) {
    if (p == drop) continue;
    if (ld(ids, q) != ld(ids, first + p)) return false;
    q++;
  }
  return true;
}
