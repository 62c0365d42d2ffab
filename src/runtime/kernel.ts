/**
 * The one WebAssembly instance behind every algorithm. `initSync` / the runtime-specific `init`
 * hand it a compiled `WebAssembly.Module`; `kernel()` returns the live instance, re-creating it
 * after a trap (a trapped instance may hold a half-updated heap, so it is never reused).
 */
import { GroveError, GroveKernelError, GroveNotInitializedError } from './errors.js';

/** The raw exports (assembly/index.ts). Pointers and sizes are byte offsets into `memory`. */
export interface KernelExports {
  memory: WebAssembly.Memory;
  mem_alloc(size: number): number;
  mem_free(ptr: number): void;
  last_error_arg(): number;
  last_error_value(): number;
  simd_common_prefix_i32(a: number, b: number, n: number): number;
  fim_fpgrowth(
    items: number, offsets: number, nTx: number, nIds: number, minSupport: number, maxItems: number,
    rank: number, mode: number, labOff: number, labBytes: number, out: number, cap: number,
  ): number;
  fim_emitted(): number;
  fim_set_density_threshold(share: number): void;
  fim_select_kind_begin(
    ids: number, start: number, counts: number, size: number, nIds: number, kind: number,
    codes: number, slots: number, mask: number, covered: number,
  ): number;
  fim_select_kind_index(from: number, to: number): void;
  fim_select_kind_mark(from: number, to: number): void;
  cf_inverse_norms(indptr: number, values: number, nRows: number, out: number): void;
  cf_similarity_topk(
    kind: number, ePtr: number, eIdx: number, eVal: number, tPtr: number, tIdx: number, tVal: number,
    nEnt: number, scale: number, shrink: number, k: number, from: number, to: number, acc: number,
    cnt: number, heap: number, outIdx: number, outSim: number, outLen: number,
  ): void;
  cf_scores_topn(
    mode: number, uPtr: number, uIdx: number, uVal: number, nItems: number, simIdx: number, simVal: number,
    simLen: number, k: number, n: number, users: number, from: number, to: number, allowed: number,
    keepSeen: number, acc: number,
    heap: number, recIdx: number, recScore: number, recLen: number,
  ): void;
  tree_bin_rows(X: number, m: number, rows: number, from: number, to: number, cuts: number, cutPtr: number, out: number): void;
  tree_bin_blocks(vals: number, rows: number, colPtr: number, missPtr: number, total: number, m: number, cuts: number, cutPtr: number, bins: number): void;
  tree_gather_rows(bins: number, m: number, rows: number, n: number, codes: number): void;
  tree_begin(rows: number, all: number, pairs: number, gh: number, n: number, sums: number): void;
  tree_build_histogram(codes: number, m: number, rows: number, gh: number, from: number, to: number, histOff: number, hist: number): void;
  tree_subtract_histogram(a: number, b: number, out: number, pairs: number): void;
  tree_best_splits(
    nodes: number, count: number, m: number, histOff: number, nBins: number, masks: number, cuts: number, cutPtr: number,
    lambda: number, alpha: number, minChildWeight: number, out: number,
  ): void;
  tree_decide(codes: number, m: number, rows: number, from: number, to: number, f: number, bin: number, missing: number, defaultLeft: number, decisions: number): number;
  tree_partition(
    codes: number, m: number, rows: number, gh: number, from: number, to: number, f: number, bin: number,
    missing: number, defaultLeft: number, decisions: number, scratchRows: number, scratchGh: number, scratchCodes: number,
  ): number;
  tree_partition_splits(
    splits: number, count: number, codes: number, m: number, rows: number, gh: number, decisions: number, scratchRows: number, scratchGh: number, scratchCodes: number,
  ): void;
  tree_split_histograms(splits: number, count: number, codes: number, m: number, rows: number, gh: number, histOff: number, pairs: number): void;
  tree_predict_scratch_bytes(m: number): number;
  tree_predict_margin(X: number, m: number, n: number, nodes: number, trees: number, tFrom: number, tTo: number, nClass: number, margin: number, scratch: number): void;
  tree_predict_leaf(X: number, m: number, n: number, nodes: number, trees: number, nt: number, out: number, scratch: number): void;
  tree_predict_proba(margin: number, n: number, k: number, out: number): void;
  tree_column_blocks(X: number, n: number, m: number, keys: number, outVals: number, outRows: number, colPtr: number, missPtr: number): void;
  tree_exact_start(sample: number, count: number, n: number, gh: number, rowNode: number, sums: number): void;
  tree_exact_root(vals: number, rows: number, colPtr: number, m: number, rowNode: number, gh: number, allowed: number, work: number, seg: number): void;
  tree_exact_level(
    work: number, seg: number, prevSeg: number, prevK: number, child: number, side: number, scratch: number, rows: number, total: number, missPtr: number, m: number, rowNode: number, gh: number, nNodes: number, nodeG: number, nodeH: number, mask: number,
    lambda: number, alpha: number, minChildWeight: number, sums: number,
    bestGain: number, bestFeature: number, bestThr: number, bestLeft: number, bestGL: number, bestHL: number,
  ): void;
  tree_grown_cap(tree: number): number;
  tree_grown_mask(tree: number): number;
  tree_grown_out(tree: number): number;
  tree_exact_tree_new(cap: number, m: number): number;
  tree_exact_tree_free(tree: number): void;
  tree_exact_tree_begin(tree: number, sample: number, count: number, n: number, gh: number, rowNode: number, vals: number, rows: number, colPtr: number, allowed: number, work: number): void;
  tree_exact_tree_level(
    tree: number, masked: number, allowed: number, maxDepth: number, maxLeaves: number, lambda: number, alpha: number, minChildWeight: number,
    X: number, n: number, rows: number, missPtr: number, rowNode: number, side: number, gh: number, work: number, scratch: number,
  ): number;
  tree_exact_tree_layout(tree: number, gamma: number, lambda: number, alpha: number, eta: number): number;
  tree_exact_tree_add_leaf_values(tree: number, rowNode: number, n: number, margin: number, groups: number, cls: number): void;
  tree_hist_tree_new(cap: number, m: number): number;
  tree_hist_tree_free(tree: number): void;
  tree_hist_tree_begin(tree: number, G: number, H: number, ns: number, rootHist: number): void;
  tree_hist_tree_level(
    tree: number, masked: number, allowed: number, maxDepth: number, maxLeaves: number, lambda: number, alpha: number, minChildWeight: number,
    codes: number, rows: number, histRows: number, gh: number, histOff: number, nBins: number, cuts: number, cutPtr: number, histBytes: number,
    decisions: number, scratchRows: number, scratchGh: number, scratchCodes: number,
  ): number;
  tree_hist_tree_layout(tree: number, gamma: number, lambda: number, alpha: number, eta: number): number;
  tree_hist_tree_add_leaf_values(tree: number, rows: number, margin: number, groups: number, cls: number): void;
  tree_exact_apply(X: number, m: number, n: number, rowNode: number, split: number, thr: number, left: number, child: number, leafId: number, side: number): void;
  tree_sketch_exact(x: number, xStride: number, rows: number, n: number, w: number, wStride: number, keys: number, out: number): number;
  tree_sketch_merge(a: number, na: number, b: number, nb: number, out: number): number;
  tree_sketch_prune(s: number, n: number, b: number, out: number): number;
  tree_sketch_query(s: number, n: number, rank: number): number;
  tree_sketch_cuts(s: number, n: number, maxBin: number, out: number): number;
  tree_sketch_state_bytes(nMax: number, eps: number): number;
  tree_sketch_open(state: number, nMax: number, eps: number): number;
  tree_sketch_push(state: number, x: number, xStride: number, rows: number, n: number, w: number, wStride: number): number;
  tree_sketch_finish(state: number, out: number): number;
  tree_sketch_bound(state: number): number;
  tree_sketch_count(x: number, n: number, m: number, counts: number): void;
  tree_sketch_row_weights(rows: number, ns: number, w: number, wStride: number, byRow: number, n: number, out: number): number;
  tree_sketch_block_cuts(vals: number, rows: number, from: number, to: number, wById: number, ns: number, maxBin: number, maxBinMissing: number, keys: number, out: number): number;
  tree_sketch_sorted_cuts(x: number, xStride: number, rows: number, n: number, w: number, wStride: number, maxBin: number, maxBinMissing: number, keys: number, out: number): number;
  boost_gradients(kind: number, margin: number, y: number, w: number, n: number, groups: number, out: number): void;
  boost_add_leaf_values(rows: number, ranges: number, values: number, nLeaves: number, margin: number, groups: number, cls: number): void;
  boost_add_code_values(codes: number, n: number, values: number, margin: number, groups: number, cls: number): void;
  fim_apriori_open(
    items: number, offsets: number, nTx: number, nIds: number, minSupport: number, rank: number,
    triangle: number, chunkTx: number, batch: number, out: number, cap: number,
  ): number;
  fim_apriori_depth(): number;
  fim_apriori_next(): number;
  fim_apriori_close(): void;
}

/**
 * Callbacks the kernels make into the host. A facade sets the ones it needs for the duration of
 * one call (inside try/finally); they must not call back into the kernel.
 */
export const host = {
  fimFlush: (_bytes: number): void => {},
  fimProgress: (_done: number, _total: number): void => {},
};

let module: WebAssembly.Module | undefined;
/** Kernels keep per-call state in globals, so calls must not nest (e.g. from a callback). */
let busy = false;
let instance: KernelExports | undefined;
/** Lets a runtime entry (Node) compile the module synchronously on first use. */
let lazyModule: (() => WebAssembly.Module) | undefined;

export function setLazyModule(load: () => WebAssembly.Module): void {
  lazyModule = load;
}

/** Reads an AssemblyScript string (UTF-16, byte length at ptr-4) out of `memory`. */
function readString(memory: WebAssembly.Memory, ptr: number): string {
  if (!ptr) return '';
  const bytes = new Uint32Array(memory.buffer, ptr - 4, 1)[0];
  return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, bytes >>> 1));
}

function instantiate(mod: WebAssembly.Module): KernelExports {
  let memory: WebAssembly.Memory | undefined;
  const imports = {
    env: {
      abort(msg: number, file: number, line: number, col: number) {
        const where = memory ? `${readString(memory, file)}:${line}:${col}` : `${line}:${col}`;
        const text = memory ? readString(memory, msg) : 'abort';
        instance = undefined;
        throw new GroveKernelError(`kernel aborted: ${text} (${where})`);
      },
      fim_flush: (bytes: number) => host.fimFlush(bytes),
      fim_progress: (done: number, total: number) => host.fimProgress(done, total),
    },
  };
  const raw = new WebAssembly.Instance(mod, imports).exports as unknown as KernelExports;
  // WebAssembly returns a usize as a signed i32: an address past 2 GiB would come back negative
  // and break every view made from it, so addresses are read unsigned (passing them back in
  // wraps to the same bits)
  const exports: KernelExports = { ...raw, mem_alloc: (size: number) => alloc(raw, size) };
  memory = exports.memory;
  return exports;
}

/**
 * `size` bytes of kernel memory, the address unsigned. The allocator traps when memory cannot
 * grow (a module addresses at most 4 GiB): that becomes an error saying so, not "unreachable".
 */
function alloc(raw: KernelExports, size: number): number {
  try {
    return raw.mem_alloc(size) >>> 0;
  } catch (err) {
    if (!(err instanceof WebAssembly.RuntimeError)) throw err;
    const inUse = (raw.memory.buffer.byteLength / 2 ** 30).toFixed(2);
    throw new GroveKernelError(`out of WebAssembly memory: ${size} more bytes do not fit beside the ${inUse} GiB in use (at most 4 GiB); train on fewer rows or features, or use treeMethod 'hist', which needs the least`);
  }
}

/** Throws a clear error where the runtime has no WebAssembly (e.g. some locked-down webviews). */
export function requireWebAssembly(): void {
  if (typeof WebAssembly === 'undefined' || typeof WebAssembly.Instance !== 'function') {
    throw new GroveError('Grove needs WebAssembly, which this JavaScript runtime does not provide');
  }
}

/** Installs a compiled module (or its bytes) synchronously; for workers and edge runtimes. */
export function initSync(input: { module: WebAssembly.Module | BufferSource } | WebAssembly.Module | BufferSource): void {
  requireWebAssembly();
  const source = input instanceof WebAssembly.Module || ArrayBuffer.isView(input) || input instanceof ArrayBuffer
    ? input
    : (input as { module: WebAssembly.Module | BufferSource }).module;
  module = source instanceof WebAssembly.Module ? source : new WebAssembly.Module(source as BufferSource);
  instance = instantiate(module);
}

export function setModule(mod: WebAssembly.Module): void {
  module = mod;
  instance = instantiate(mod);
}

export function isInitialized(): boolean {
  return module !== undefined;
}

/** The live instance, if any (none before the first use or after a trap). */
export function currentKernel(): KernelExports | undefined {
  return instance;
}

/** The compiled module (compiled now where a runtime entry can); for workers' own instances. */
export function kernelModule(): WebAssembly.Module {
  requireWebAssembly();
  if (!module && lazyModule) module = lazyModule();
  if (!module) {
    throw new GroveNotInitializedError('Grove is not initialised: await init() (or call initSync({ module })) first');
  }
  return module;
}

/** The live instance; throws `GroveNotInitializedError` when no module was installed. */
export function kernel(): KernelExports {
  if (instance) return instance;
  instance = instantiate(kernelModule());
  return instance;
}

/**
 * Runs `fn` against the kernel, one call at a time; a WebAssembly trap (RuntimeError) or abort discards the instance
 * so the next call starts from a fresh heap, and surfaces as `GroveKernelError`.
 */
export function withKernel<T>(fn: (k: KernelExports) => T): T {
  if (busy) {
    throw new GroveError('Grove is busy: a callback (onProgress) may not call into Grove while a kernel runs');
  }
  const k = kernel();
  busy = true;
  try {
    return fn(k);
  } catch (err) {
    if (err instanceof WebAssembly.RuntimeError || (err instanceof RangeError && /call stack/.test(err.message))) {
      instance = undefined;
      throw new GroveKernelError(`kernel trapped: ${err.message}`);
    }
    if (err instanceof GroveKernelError) instance = undefined;
    throw err;
  } finally {
    busy = false;
  }
}
