/** Turning whatever the user hands `init()` into a compiled module, in any runtime. */
import { isInitialized, requireWebAssembly, setModule } from './kernel.js';

/** What `init()` accepts: a compiled module, its bytes, a Response / fetch promise, or a URL. */
export type InitInput =
  | WebAssembly.Module
  | BufferSource
  | Response
  | PromiseLike<Response>
  | URL
  | string;

export async function compileInput(input: InitInput, fetchUrl: (url: URL | string) => Promise<WebAssembly.Module>): Promise<WebAssembly.Module> {
  if (input instanceof WebAssembly.Module) return input;
  if (ArrayBuffer.isView(input) || input instanceof ArrayBuffer) return WebAssembly.compile(input);
  if (typeof input === 'string' || input instanceof URL) return fetchUrl(input);
  const response = await input;
  // servers without the application/wasm content type make compileStreaming reject
  if (typeof WebAssembly.compileStreaming === 'function' && response.headers.get('content-type')?.startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(response);
  }
  if (!response.ok) throw new Error(`init: fetching the WebAssembly module failed with HTTP ${response.status}`);
  return WebAssembly.compile(await response.arrayBuffer());
}

/** Shared body of every runtime's `init`: a no-op once initialised unless a module is given. */
export async function initWith(input: InitInput | undefined, fallback: () => InitInput, fetchUrl: (url: URL | string) => Promise<WebAssembly.Module>): Promise<void> {
  requireWebAssembly();
  if (input === undefined && isInitialized()) return;
  setModule(await compileInput(input ?? fallback(), fetchUrl));
}
