/** Everything Grove exports in every runtime (the entries add the runtime's `init`). */
export { initSync } from './runtime/kernel.js';
export { GroveArgumentError, GroveDataError, GroveError, GroveKernelError, GroveNotInitializedError } from './runtime/errors.js';
export { fpGrowth } from './fim/fpgrowth.js';
export type { FlatTransactions, FrequentItemset, Item, ItemsetKind, MineOptions, Transactions } from './fim/types.js';
