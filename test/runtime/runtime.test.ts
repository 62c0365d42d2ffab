/**
 * The runtime contract (SPEC §0): typed errors, no kernel before a module is installed,
 * `initSync` / `init` with every accepted input, and a trapped or aborted instance discarded and
 * re-created on the next call. Each test loads the runtime afresh (`vi.resetModules`), so the
 * module state of one test never leaks into another.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { KernelExports } from '../../src/runtime/kernel.js';

const releaseUrl = new URL('../../dist/grove.wasm', import.meta.url);
const debugUrl = new URL('../../build/debug.wasm', import.meta.url);
const releaseBytes = readFileSync(releaseUrl);
const debugBytes = readFileSync(debugUrl);

/** Fresh copies of the runtime modules and of a facade that uses them. */
async function fresh() {
  vi.resetModules();
  const kernel = await import('../../src/runtime/kernel.js');
  const errors = await import('../../src/runtime/errors.js');
  const { fpGrowth } = await import('../../src/fim/fpgrowth.js');
  /** A call whose answer is known: {1}:2, {2}:2, {1,2}:1 over [[1,2],[1],[2]] at 1/3. */
  const works = () =>
    expect(fpGrowth([[1, 2], [1], [2]], { minSupport: 1 / 3 }).map((s) => `${s.items}:${s.count}`).sort()).toEqual(['1,2:1', '1:2', '2:2']);
  return { ...kernel, ...errors, fpGrowth, works };
}

/** A kernel call that reads far past the end of memory: a WebAssembly trap. */
function outOfBounds(k: KernelExports): number {
  const past = k.memory.buffer.byteLength + 4096;
  return k.fim_fpgrowth(0, past, 4, 4, 1, 0, 0, 0, 0, 0, 0, 1 << 16);
}

describe('before any module is installed', () => {
  test('kernel(), withKernel() and the algorithms throw GroveNotInitializedError', async () => {
    const r = await fresh();
    expect(r.isInitialized()).toBe(false);
    expect(() => r.kernel()).toThrow(r.GroveNotInitializedError);
    expect(() => r.kernel()).toThrow(/init\(\)/);
    expect(() => r.withKernel(() => 1)).toThrow(r.GroveNotInitializedError);
    expect(() => r.fpGrowth([[1]], { minSupport: 1 })).toThrow(r.GroveNotInitializedError);
  });

  test('argument errors still come first', async () => {
    const r = await fresh();
    expect(() => r.fpGrowth([[1]], { minSupport: 0 })).toThrow(r.GroveArgumentError);
  });
});

describe('initSync', () => {
  test.each([
    ['bytes (Uint8Array)', () => new Uint8Array(releaseBytes)],
    ['a Buffer', () => releaseBytes],
    ['an ArrayBuffer', () => releaseBytes.buffer.slice(releaseBytes.byteOffset, releaseBytes.byteOffset + releaseBytes.byteLength)],
    ['a Module', () => new WebAssembly.Module(releaseBytes)],
    ['{ module: Module }', () => ({ module: new WebAssembly.Module(releaseBytes) })],
    ['{ module: bytes }', () => ({ module: new Uint8Array(debugBytes) })],
  ])('accepts %s', async (_, input) => {
    const r = await fresh();
    r.initSync(input() as never);
    expect(r.isInitialized()).toBe(true);
    r.works();
  });

  test('bytes that are not WebAssembly throw and leave the runtime as it was', async () => {
    const r = await fresh();
    expect(() => r.initSync(new Uint8Array([1, 2, 3, 4]))).toThrow(WebAssembly.CompileError);
    expect(r.isInitialized()).toBe(false);
    r.initSync(releaseBytes);
    const k = r.kernel();
    expect(() => r.initSync(new Uint8Array([0, 0x61, 0x73, 0x6d]))).toThrow(WebAssembly.CompileError);
    expect(r.kernel()).toBe(k);
  });

  test('a second initSync replaces the instance', async () => {
    const r = await fresh();
    r.initSync(releaseBytes);
    const first = r.kernel();
    r.initSync(debugBytes);
    expect(r.kernel()).not.toBe(first);
    r.works();
  });
});

describe('a trapped instance is discarded', () => {
  test('a trap surfaces as GroveKernelError and the next call gets a fresh instance', async () => {
    const r = await fresh();
    r.initSync(releaseBytes);
    const trapped = r.kernel();
    let error: unknown;
    try {
      r.withKernel(outOfBounds);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(r.GroveKernelError);
    expect((error as Error).message).toMatch(/trapped/);
    expect(error).not.toBeInstanceOf(WebAssembly.RuntimeError);
    const next = r.kernel();
    expect(next).not.toBe(trapped);
    expect(next.memory).not.toBe(trapped.memory);
    r.works();
    expect(r.kernel()).toBe(next);
  });

  test('an abort (failed assertion in the debug build) does the same', async () => {
    const r = await fresh();
    r.initSync(debugBytes);
    const aborted = r.kernel();
    // freeing a block twice trips the allocator's assertion
    const doubleFree = () => r.withKernel((k) => {
      const p = k.mem_alloc(64);
      k.mem_free(p);
      k.mem_free(p);
    });
    expect(doubleFree).toThrow(r.GroveKernelError);
    expect(doubleFree).toThrow(/kernel aborted/);
    expect(r.kernel()).not.toBe(aborted);
    r.works();
  });

  test('the lazily loaded module is re-instantiated too', async () => {
    const r = await fresh();
    await import('../../src/runtime/init.node.js');
    r.works();
    const trapped = r.kernel();
    expect(() => r.withKernel(outOfBounds)).toThrow(r.GroveKernelError);
    expect(r.kernel()).not.toBe(trapped);
    r.works();
  });

  test('an error thrown by a host callback passes through unchanged and keeps the instance', async () => {
    const r = await fresh();
    r.initSync(releaseBytes);
    const k = r.kernel();
    const stop = new Error('stop');
    const txs = Array.from({ length: 200 }, (_, t) => [t % 7, t % 11, t % 13, 100 + (t % 5)]);
    const run = () => r.fpGrowth(txs, { minSupport: 2, onProgress: () => { throw stop; } });
    for (let i = 0; i < 5; i++) expect(run).toThrow(stop);
    // nothing leaks per interrupted call: after the heap settles, memory stops growing
    const size = k.memory.buffer.byteLength;
    for (let i = 0; i < 50; i++) expect(run).toThrow(stop);
    expect(k.memory.buffer.byteLength).toBe(size);
    expect(r.kernel()).toBe(k);
    r.works();
  });
});

describe('checkStatus', () => {
  const names = ['items', 'offsets', 'minSupport'];
  const fake = (arg: number, value: number) => ({ last_error_arg: () => arg, last_error_value: () => value });

  test('0 is success', async () => {
    const r = await fresh();
    expect(() => r.checkStatus(r.STATUS_OK, fake(0, 0), 'fn', names)).not.toThrow();
  });

  test('a bad argument names the argument and its value', async () => {
    const r = await fresh();
    expect(() => r.checkStatus(r.STATUS_BAD_ARGUMENT, fake(2, -3), 'fpGrowth', names)).toThrow(
      new r.GroveArgumentError('fpGrowth: minSupport out of range (got -3)'),
    );
  });

  test('bad input is a GroveDataError', async () => {
    const r = await fresh();
    expect(() => r.checkStatus(r.STATUS_BAD_INPUT, fake(0, 17), 'apriori', names)).toThrow(r.GroveDataError);
    expect(() => r.checkStatus(r.STATUS_BAD_INPUT, fake(0, 17), 'apriori', names)).toThrow('apriori: invalid items (got 17)');
  });

  test('an argument index without a name, and unknown statuses', async () => {
    const r = await fresh();
    expect(() => r.checkStatus(r.STATUS_BAD_ARGUMENT, fake(9, 1), 'fn', names)).toThrow('fn: argument 9 out of range (got 1)');
    expect(() => r.checkStatus(-42, fake(0, 0), 'fn', names)).toThrow(r.GroveKernelError);
    expect(() => r.checkStatus(-42, fake(0, 0), 'fn', names)).toThrow(/status -42/);
  });

  test('every typed error is a GroveError named after its class', async () => {
    const r = await fresh();
    for (const E of [r.GroveArgumentError, r.GroveDataError, r.GroveNotInitializedError, r.GroveKernelError]) {
      const e = new E('m');
      expect(e).toBeInstanceOf(r.GroveError);
      expect(e).toBeInstanceOf(Error);
      expect(e.name).toBe(E.name);
    }
  });

  test('a real kernel status reaches the user as a typed error', async () => {
    const r = await fresh();
    r.initSync(releaseBytes);
    const { fpGrowthTable } = await import('../../src/fim/fpgrowth.js');
    const db = { items: new Uint32Array([0, 3]), offsets: new Uint32Array([0, 2]), labels: [0, 1] };
    expect(() => fpGrowthTable(db, { minCount: 1, maxLen: 0, kind: 'all' })).toThrow(new r.GroveDataError('fpGrowth: invalid items (got 3)'));
    r.works();
  });
});

describe('init() for Node', () => {
  const saved = process.env.GROVE_WASM;
  afterEach(() => {
    if (saved === undefined) delete process.env.GROVE_WASM;
    else process.env.GROVE_WASM = saved;
  });

  async function freshNode() {
    const r = await fresh();
    return { ...r, ...(await import('../../src/runtime/init.node.js')) };
  }

  test('no init() needed: the first call compiles the module', async () => {
    const r = await freshNode();
    expect(r.isInitialized()).toBe(false);
    r.works();
    expect(r.isInitialized()).toBe(true);
  });

  test('init() without arguments loads grove.wasm and is a no-op afterwards', async () => {
    const r = await freshNode();
    expect(r.wasmPath()).toMatch(/grove\.wasm$/);
    await r.init();
    expect(r.isInitialized()).toBe(true);
    const k = r.kernel();
    await r.init();
    expect(r.kernel()).toBe(k);
    r.works();
  });

  test.each([
    ['a path', () => fileURLToPath(releaseUrl)],
    ['a file URL', () => releaseUrl],
    ['a file: URL string', () => releaseUrl.href],
    ['bytes', () => new Uint8Array(releaseBytes)],
    ['an ArrayBuffer', () => releaseBytes.buffer.slice(releaseBytes.byteOffset, releaseBytes.byteOffset + releaseBytes.byteLength)],
    ['a Module', () => new WebAssembly.Module(debugBytes)],
    ['a Response', () => new Response(releaseBytes, { headers: { 'content-type': 'application/wasm' } })],
    ['a Response without the wasm content type', () => new Response(releaseBytes)],
    ['a promise of a Response', () => Promise.resolve(new Response(releaseBytes))],
  ])('init(%s)', async (_, input) => {
    const r = await freshNode();
    await r.init(input() as never);
    expect(r.isInitialized()).toBe(true);
    r.works();
  });

  test('init(module) replaces an installed module', async () => {
    const r = await freshNode();
    await r.init();
    const k = r.kernel();
    await r.init(new WebAssembly.Module(debugBytes));
    expect(r.kernel()).not.toBe(k);
    r.works();
  });

  test('GROVE_WASM overrides the file', async () => {
    process.env.GROVE_WASM = fileURLToPath(debugUrl);
    const r = await freshNode();
    expect(r.wasmPath()).toBe(fileURLToPath(debugUrl));
    await r.init();
    r.works();
  });

  test('a missing file, a failed response and bytes that are not WebAssembly reject', async () => {
    const r = await freshNode();
    await expect(r.init('/nonexistent/grove.wasm')).rejects.toThrow(/ENOENT|no such file/);
    await expect(r.init(new Response('not found', { status: 404 }))).rejects.toThrow(/404/);
    await expect(r.init(new Uint8Array([1, 2, 3]))).rejects.toThrow(WebAssembly.CompileError);
    expect(r.isInitialized()).toBe(false);
  });
});
