// Where a runtime has no WebAssembly, every entry point fails with one clear GroveError instead
// of a TypeError from deep inside the loader.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fpGrowth } from '../../src/fim/fpgrowth.js';
import { GroveError } from '../../src/runtime/errors.js';
import { init } from '../../src/runtime/init.node.js';
import { initSync } from '../../src/runtime/kernel.js';

const saved = globalThis.WebAssembly;
beforeAll(() => {
  // @ts-expect-error: simulating a runtime without WebAssembly
  delete globalThis.WebAssembly;
});
afterAll(() => {
  globalThis.WebAssembly = saved;
});

describe('without WebAssembly', () => {
  it('init, initSync and the miners throw GroveError saying so', async () => {
    const message = /needs WebAssembly/;
    await expect(init()).rejects.toThrow(message);
    expect(() => initSync(new Uint8Array(8))).toThrow(message);
    expect(() => fpGrowth([[1, 2]], { minSupport: 1 })).toThrow(GroveError);
    expect(() => fpGrowth([[1, 2]], { minSupport: 1 })).toThrow(message);
  });
});
