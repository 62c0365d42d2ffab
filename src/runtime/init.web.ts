/**
 * `init()` for browsers, workers and edge runtimes: fetches `grove.wasm` next to the bundle
 * (`new URL(..., import.meta.url)`) unless given a module. Cloudflare workerd forbids compiling
 * bytes at run time: import the `.wasm` there and pass the resulting `WebAssembly.Module`.
 */
import { initWith, type InitInput } from './init-common.js';

export type { InitInput };

export function init(input?: InitInput): Promise<void> {
  return initWith(input, () => new URL('./grove.wasm', import.meta.url), (url) => compileUrl(url));
}

async function compileUrl(url: URL | string): Promise<WebAssembly.Module> {
  const response = fetch(url);
  if (typeof WebAssembly.compileStreaming === 'function') {
    try {
      return await WebAssembly.compileStreaming(response);
    } catch {
      // wrong content type: fall through to the byte path
    }
  }
  const res = await response;
  if (!res.ok) throw new Error(`init: fetching ${String(url)} failed with HTTP ${res.status}`);
  return WebAssembly.compile(await res.arrayBuffer());
}
