/** The steps `fim`, `rules` and `demo` share: reading the input, checking it, mining it. */
import { aprioriTable } from '../fim/apriori.js';
import { nTransactions, type EncodedDb } from '../fim/encode.js';
import { fpGrowthTable } from '../fim/fpgrowth.js';
import type { ItemsetTable } from '../fim/itemsets.js';
import { resolveMineOptions, type MineParams } from '../fim/options.js';
import type { ItemsetKind, MineOptions } from '../fim/types.js';
import { readTransactionStream, readTransactions } from '../io/transactions.js';
import { GroveArgumentError, GroveDataError } from '../runtime/errors.js';
import type { InputFlags, MiningFlags } from './args.js';
import type { Progress } from './progress.js';

/** The largest database the kernels take; flags are checked against it before any reading. */
const MAX_TRANSACTIONS = 0x7fffffff;

/** Throws for mining flags that are wrong whatever the input (minSupport 0, maxLen 0…). */
export function checkMiningFlags(command: string, flags: MiningFlags, kind: ItemsetKind): void {
  resolve(command, { minSupport: flags.minSupport, maxLen: flags.maxLen, kind }, MAX_TRANSACTIONS);
}

function resolve(command: string, options: MineOptions, nTx: number): MineParams {
  return withFlagNames(() => resolveMineOptions(options, nTx, command));
}

/** Runs `fn`; its errors name the command-line flags rather than the library's option names. */
export function withFlagNames<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof GroveArgumentError || err instanceof GroveDataError) {
      err.message = err.message.replace(/\bminSupport\b/g, '--min-support').replace(/\bmaxLen\b/g, '--max-len').replace(/\bminThreshold\b/g, '--min-threshold').replace(/\bmaxRules\b/g, '--max-rules');
    }
    throw err;
  }
}

/** The input's transactions; an input without any is an error. */
export async function loadTransactions(input: InputFlags, progress: Progress): Promise<EncodedDb> {
  const name = input.file === '-' ? 'stdin' : input.file;
  progress.stage(`reading ${name}`);
  let db: EncodedDb;
  try {
    db = input.file === '-'
      ? await readTransactionStream(process.stdin, input.format, { header: input.header, source: name })
      : await readTransactions(input.file, { format: input.format, header: input.header });
  } catch (err) {
    const sys = err as NodeJS.ErrnoException;
    if (err instanceof Error && typeof sys.syscall === 'string' && sys.path === undefined) sys.path = name; // e.g. EISDIR from read()
    throw err;
  }
  if (nTransactions(db) === 0) throw new GroveDataError(`no transactions in ${name}`);
  return db;
}

export function mineParams(command: string, flags: MiningFlags, kind: ItemsetKind, db: EncodedDb, progress: Progress): MineParams {
  const options = { minSupport: flags.minSupport, maxLen: flags.maxLen, kind, onProgress: progress.miner(`mining (${flags.algo})`, flags.algo === 'apriori' ? 'levels' : 'items') };
  return resolve(command, options, nTransactions(db));
}

/** Every frequent itemset (the kind is applied by the caller). */
export function mineTable(db: EncodedDb, params: MineParams, algo: MiningFlags['algo']): ItemsetTable {
  return algo === 'apriori' ? aprioriTable(db, params) : fpGrowthTable(db, params);
}
