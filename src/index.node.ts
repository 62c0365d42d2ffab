/** Node entry: `init()` is optional (the module is compiled on first use). */
import './tree/worker-threads.node.js'; // lets nThreads > 1 start workers
export * from './api.js';
export { init, type InitInput } from './runtime/init.node.js';
export { readTransactions, readTransactionStream } from './io/transactions.js';
export type { ReadTransactionsOptions, TransactionFormat } from './io/transactions.js';
export { readRatings } from './io/ratings-file.js';
export { readTable } from './io/table-file.js';
