/**
 * Reading transaction files in Node: the file streams through one reused buffer into the
 * format's incremental parser, so files far larger than a string can hold are fine.
 */
import type { EncodedDb } from '../fim/encode.js';
import { GroveArgumentError } from '../runtime/errors.js';
import { CsvBasketParser } from './baskets.js';
import { FimiParser } from './fimi.js';
import { parseFile } from './parse-file.js';

export type TransactionFormat = 'fimi' | 'csv' | 'csv-long';

export interface ReadTransactionsOptions {
  /** Default: `csv` for a `.csv` file name, `fimi` (FIMI / SPMF) otherwise. */
  format?: TransactionFormat;
  /** CSV only: the first record holds column names. Default `false`. */
  header?: boolean;
}

const FORMATS: readonly TransactionFormat[] = ['fimi', 'csv', 'csv-long'];

/** The format a file name implies. */
export function formatForPath(path: string): TransactionFormat {
  return /\.csv$/i.test(path) ? 'csv' : 'fimi';
}

/** Transactions of a FIMI / SPMF or CSV basket file, encoded for the miners. */
export async function readTransactions(path: string, options: ReadTransactionsOptions = {}): Promise<EncodedDb> {
  if (typeof path !== 'string' || path === '') throw new GroveArgumentError(`readTransactions: path must be a non-empty string, got ${String(path)}`);
  if (options == null || typeof options !== 'object') throw new GroveArgumentError('readTransactions: options must be an object');
  for (const key of Object.keys(options)) {
    if (key !== 'format' && key !== 'header') throw new GroveArgumentError(`readTransactions: unknown option "${key}" (known: format, header)`);
  }
  const format = options.format ?? formatForPath(path);
  checkFormat(format, options.header);
  return parseFile(path, (size) => transactionParser(format, options.header, path, size));
}

/** Transactions from a byte stream (e.g. `process.stdin`); `source` names it in messages. */
export async function readTransactionStream(
  chunks: AsyncIterable<Uint8Array>,
  format: TransactionFormat,
  options: { header?: boolean; source?: string } = {},
): Promise<EncodedDb> {
  checkFormat(format, options.header);
  const parser = transactionParser(format, options.header, options.source ?? 'stdin', 0);
  for await (const chunk of chunks) parser.push(chunk);
  return parser.end();
}

function checkFormat(format: TransactionFormat, header: boolean | undefined): void {
  if (!FORMATS.includes(format)) throw new GroveArgumentError(`readTransactions: format must be one of ${FORMATS.join(', ')}. Got ${String(format)}`);
  if (header !== undefined && typeof header !== 'boolean') throw new GroveArgumentError(`readTransactions: header must be a boolean. Got ${String(header)}`);
  if (format === 'fimi' && header) throw new GroveArgumentError('readTransactions: header applies to CSV input only (FIMI files have none)');
}

function transactionParser(format: TransactionFormat, header: boolean | undefined, source: string, sizeHint: number): { push(chunk: Uint8Array): void; end(): EncodedDb } {
  return format === 'fimi' ? new FimiParser(source, sizeHint) : new CsvBasketParser({ long: format === 'csv-long', header, source });
}
