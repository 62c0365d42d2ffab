/**
 * The miners every frequent-itemset suite runs against (mlxtend-style: one battery, bound to each
 * algorithm). Importing this registers the Node loader, so no `init()` is needed.
 */
import '../../src/runtime/init.node.js';
import { apriori, aprioriTable } from '../../src/fim/apriori.js';
import type { EncodedDb } from '../../src/fim/encode.js';
import { fpGrowth, fpGrowthTable } from '../../src/fim/fpgrowth.js';
import type { ItemsetTable } from '../../src/fim/itemsets.js';
import type { MineParams } from '../../src/fim/options.js';
import type { FrequentItemset, MineOptions, Transactions } from '../../src/fim/types.js';

export interface Miner {
  name: string;
  mine(transactions: Transactions, options: MineOptions): FrequentItemset[];
  /** All frequent itemsets of an encoded database, compact (kind not applied). */
  table(db: EncodedDb, params: MineParams): ItemsetTable;
}

export const miners: Miner[] = [
  { name: 'fpGrowth', mine: fpGrowth, table: fpGrowthTable },
  { name: 'apriori', mine: apriori, table: (db, params) => aprioriTable(db, params) },
];
