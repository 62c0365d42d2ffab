/** Browser, worker and edge entry: `await init()` (or `initSync({ module })`) before use. */
export * from './api.js';
export { init, type InitInput } from './runtime/init.web.js';
