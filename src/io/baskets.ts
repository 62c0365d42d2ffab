/**
 * Transactions from CSV, in either of the two shapes basket data comes in:
 * - rows (`csv`): one transaction per record, its items the non-empty fields;
 * - long (`csv-long`): one `transaction,item` pair per record, transactions numbered in order of
 *   first appearance (their records need not be adjacent); further columns are ignored.
 * Items are string labels, ids given in order of first appearance.
 */
import type { EncodedDb } from '../fim/encode.js';
import { GroveDataError } from '../runtime/errors.js';
import { ByteIds } from './byte-ids.js';
import { CsvReader, type CsvSink } from './csv.js';
import { U32List } from './u32-list.js';

export interface CsvBasketOptions {
  /** `true`: one `transaction,item` pair per record. Default `false` (one basket per record). */
  long?: boolean;
  /** Skip the first record (column names). Default `false`. */
  header?: boolean;
  /** Names the input in error messages. */
  source?: string;
}

/** Incremental parser: `push` byte chunks in file order, then `end`. */
export class CsvBasketParser implements CsvSink {
  private readonly reader: CsvReader;
  private readonly source: string;
  private readonly long: boolean;
  private readonly labels = new ByteIds();
  private readonly items = new U32List();
  /** Rows: transaction boundaries. Long: the transaction of each entry of `items`. */
  private readonly marks = new U32List();
  private readonly txKeys = new ByteIds(false);
  private inHeader: boolean;
  /** Long format: fields seen in the current record, and its transaction and item. */
  private fieldIndex = 0;
  private tx = -1;
  private item = -1;

  constructor(options: CsvBasketOptions = {}) {
    this.source = options.source ?? 'input';
    this.long = options.long === true;
    this.inHeader = options.header === true;
    if (!this.long) this.marks.push(0);
    this.reader = new CsvReader(this, this.source);
  }

  push(chunk: Uint8Array): void {
    this.reader.push(chunk);
  }

  end(): EncodedDb {
    this.reader.end();
    const labels = this.labels.texts;
    if (!this.long) return { items: this.items.toArray(), offsets: this.marks.toArray(), labels };
    return { ...groupByTransaction(this.items, this.marks, this.txKeys.size), labels };
  }

  field(bytes: Uint8Array, start: number, end: number): void {
    if (this.inHeader) return;
    if (!this.long) {
      if (end > start) this.items.push(this.id(this.labels, bytes, start, end));
      return;
    }
    const f = this.fieldIndex++;
    if (end === start || f > 1) return;
    if (f === 0) this.tx = this.id(this.txKeys, bytes, start, end);
    else this.item = this.id(this.labels, bytes, start, end);
  }

  endRecord(line: number): void {
    if (this.inHeader) {
      this.inHeader = false;
      return;
    }
    if (!this.long) {
      this.marks.push(this.items.length);
      return;
    }
    if (this.tx < 0 || this.item < 0) {
      const problem = this.fieldIndex < 2 ? `got ${this.fieldIndex} field` : this.tx < 0 ? 'the transaction is empty' : 'the item is empty';
      throw new GroveDataError(`${this.source}:${line}: expected a "transaction,item" pair; ${problem}`);
    }
    this.items.push(this.item);
    this.marks.push(this.tx);
    this.fieldIndex = 0;
    this.tx = this.item = -1;
  }

  private id(ids: ByteIds, bytes: Uint8Array, start: number, end: number): number {
    try {
      return ids.idOf(bytes, start, end);
    } catch {
      throw new GroveDataError(`${this.source}:${this.reader.line}: the file is not valid UTF-8 text`);
    }
  }
}

/** Parses a whole CSV basket file held in memory. */
export function parseCsvBaskets(bytes: Uint8Array, options?: CsvBasketOptions): EncodedDb {
  const parser = new CsvBasketParser(options);
  parser.push(bytes);
  return parser.end();
}

/** Counting sort of (transaction, item) pairs by transaction, stable within a transaction. */
function groupByTransaction(items: U32List, tx: U32List, nTx: number): { items: Uint32Array; offsets: Uint32Array } {
  const offsets = new Uint32Array(nTx + 1);
  for (let i = 0; i < tx.length; i++) offsets[tx.data[i] + 1]++;
  for (let t = 0; t < nTx; t++) offsets[t + 1] += offsets[t];
  const next = offsets.slice(0, nTx);
  const grouped = new Uint32Array(items.length);
  for (let i = 0; i < items.length; i++) grouped[next[tx.data[i]]++] = items.data[i];
  return { items: grouped, offsets };
}
