/**
 * `init()` for Node, Deno and Bun: reads `grove.wasm` from the folder of the bundle. Node users
 * may skip `init()`: the first algorithm call compiles the module synchronously.
 * `GROVE_WASM` (a file path) overrides the location, e.g. to test the debug build.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { initWith, type InitInput } from './init-common.js';
import { setLazyModule } from './kernel.js';

export type { InitInput };

/** The module file: the bundle's sibling, or the release build when running from `src/`. */
export function wasmPath(): string {
  const fromEnv = typeof process !== 'undefined' ? process.env.GROVE_WASM : undefined;
  if (fromEnv) return fromEnv;
  const candidates = [new URL('./grove.wasm', import.meta.url), new URL('../../dist/grove.wasm', import.meta.url)];
  for (const url of candidates) {
    const path = fileURLToPath(url);
    if (existsSync(path)) return path;
  }
  throw new Error(`grove.wasm not found next to ${fileURLToPath(import.meta.url)}: run "npm run build"`);
}

setLazyModule(() => new WebAssembly.Module(readFileSync(wasmPath())));

export function init(input?: InitInput): Promise<void> {
  return initWith(input, () => wasmPath(), async (url) => {
    const path = url instanceof URL || url.startsWith('file:') ? fileURLToPath(url) : url;
    return WebAssembly.compile(await readFile(path));
  });
}
