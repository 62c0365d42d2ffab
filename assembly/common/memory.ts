// Heap blocks for the TS side: it allocates every buffer it passes to a kernel and frees it in
// `finally`. Kernels themselves never call these in hot loops.

export function mem_alloc(size: usize): usize {
  return heap.alloc(size);
}

export function mem_free(ptr: usize): void {
  heap.free(ptr);
}
