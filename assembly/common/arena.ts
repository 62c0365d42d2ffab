// Segmented LIFO arena for recursive kernels (conditional FP-trees are built and dropped in
// stack order). Memory comes from the heap one chunk at a time, each at least twice the last,
// only when the current chunk is exhausted; `arenaRelease` rewinds to a mark in O(1).

@inline const MAX_CHUNKS: i32 = 40;
@inline const ALIGN: usize = 15; // 16-byte blocks keep v128 loads aligned
@inline const MAX_GROWTH: usize = 1 << 28; // chunks grow by doubling up to this size

const chunkPtr = memory.data(MAX_CHUNKS * 4);
const chunkCap = memory.data(MAX_CHUNKS * 4);
let nChunks: i32 = 0;
let cur: i32 = 0;
let off: usize = 0;

/** Starts an empty arena whose first chunk holds at least `initial` bytes. */
export function arenaOpen(initial: usize): void {
  arenaClose();
  newChunk(0, max<usize>(initial, 1 << 16));
}

function newChunk(i: i32, bytes: usize): void {
  assert(i < MAX_CHUNKS, "arena: too many chunks");
  if (i < nChunks) heap.free(load<usize>(chunkPtr + (<usize>i << 2)));
  store<usize>(chunkPtr + (<usize>i << 2), heap.alloc(bytes));
  store<usize>(chunkCap + (<usize>i << 2), bytes);
  if (i >= nChunks) nChunks = i + 1;
  cur = i;
  off = 0;
}

/** `bytes` of uninitialised, 16-byte-aligned memory valid until the enclosing release. */
export function arenaAlloc(bytes: usize): usize {
  bytes = (bytes + ALIGN) & ~ALIGN;
  let cap = load<usize>(chunkCap + (<usize>cur << 2));
  if (off + bytes > cap) {
    let next = cur + 1;
    if (next < nChunks && load<usize>(chunkCap + (<usize>next << 2)) >= bytes) {
      cur = next;
      off = 0;
    } else {
      newChunk(next, max<usize>(bytes, min<usize>(cap << 1, MAX_GROWTH)));
    }
  }
  let p = load<usize>(chunkPtr + (<usize>cur << 2)) + off;
  off += bytes;
  return p;
}

/** A position to rewind to. */
export function arenaMark(): u64 {
  return (<u64>cur << 32) | <u64>off;
}

export function arenaRelease(mark: u64): void {
  cur = <i32>(mark >> 32);
  off = <usize>(mark & 0xffffffff);
}

/** Returns every chunk to the heap. */
export function arenaClose(): void {
  for (let i = 0; i < nChunks; i++) heap.free(load<usize>(chunkPtr + (<usize>i << 2)));
  nChunks = 0;
  cur = 0;
  off = 0;
}
