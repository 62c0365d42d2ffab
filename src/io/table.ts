/**
 * Numeric tables from CSV, for the tree models.
 *
 * Contract:
 * - The first record names the columns (`header: false`: it is data, and the columns are named
 *   c0, c1, …); names must be distinct. Every record has as many fields as the first, else an
 *   error names the line.
 * - `select(names)` picks, once the names are known, the feature columns (in the order `X`
 *   stores them) and at most one label column; the other columns are skipped unparsed. By
 *   default every column is a feature.
 * - Feature fields are numbers (as CsvReader delivers them: blanks around unquoted fields
 *   trimmed). Empty, `NA`, `NaN`, `nan` and `?` fields are missing (NaN). Any other text is an
 *   error naming the column and line: categorical columns must be encoded as numbers first. A
 *   value beyond float32's range is an error too (X is float32, as the kernels read it).
 * - The label column is kept as text, since class names may be words, along with its value as a
 *   number (NaN when the text is not one); a missing label is an error.
 *
 * `TableParser` takes byte chunks in any runtime; `readTable` (table-file.ts) reads a file (or
 * stdin) in Node, gunzipping it when it starts with gzip's magic bytes, whatever its name.
 */
import { GroveArgumentError, GroveDataError } from '../runtime/errors.js';
import type { Matrix } from '../tree/matrix.js';
import { CsvReader, type CsvSink } from './csv.js';
import { parseNumber } from './number.js';

export interface TableColumns {
  /** Column indices of the features, in `X`'s column order. */
  features: number[];
  /** Column index of the label. */
  label?: number;
}

export interface TableOptions {
  /** Whether the first record names the columns. Default true. */
  header?: boolean;
  /** Chooses the columns once their names are known (it may throw). Default: all features. */
  select?: (names: readonly string[]) => TableColumns;
  /** Names the input in messages. */
  source?: string;
}

export interface TableLabel {
  name: string;
  /** Each row's label as written (unquoted, trimmed). */
  texts: string[];
  /** The same as numbers; NaN where the text is not a number. */
  values: Float64Array;
}

export interface NumericTable {
  /** Every column's name, from the header or c0, c1, …. */
  names: string[];
  /** The feature columns' names, in `X`'s column order. */
  featureNames: string[];
  /** rows × features, row-major; NaN = missing. */
  X: Matrix;
  label?: TableLabel;
  /** The 1-based line each row starts on, for messages. */
  lines: Uint32Array;
}

/** Fields read as missing values. */
export const MISSING_TOKENS: readonly string[] = ['', 'NA', 'NaN', 'nan', '?'];

const SKIP = -1;
const LABEL = -2;

/** Incremental parser: `push` byte chunks in order (they may be reused afterwards), then `end`. */
export class TableParser implements CsvSink {
  private readonly reader: CsvReader;
  private readonly source: string;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  /** The first record's fields, until it is resolved. */
  private first: string[] | null = [];
  private names: string[] = [];
  private featureNames: string[] = [];
  private labelName = '';
  private hasLabel = false;
  /** Per column: its slot in a row of X, or SKIP / LABEL. */
  private roles = new Int32Array(0);
  private k = 0;

  private data = new Float32Array(0);
  private rows = 0;
  private lines = new Uint32Array(1024);
  private labelTexts: string[] = [];
  private labelValues = new Float64Array(1024);

  /** The current record. */
  private fieldIndex = 0;
  private label = '';
  private labelValue = NaN;
  private problem?: { column: number; text: string; range: boolean };

  constructor(private readonly options: TableOptions = {}) {
    if (options == null || typeof options !== 'object') throw new GroveArgumentError('TableParser: options must be an object');
    for (const key of Object.keys(options)) {
      if (!['header', 'select', 'source'].includes(key)) throw new GroveArgumentError(`TableParser: unknown option "${key}" (known: header, select, source)`);
    }
    if (options.header !== undefined && typeof options.header !== 'boolean') throw new GroveArgumentError(`TableParser: header must be a boolean. Got ${String(options.header)}`);
    if (options.select !== undefined && typeof options.select !== 'function') throw new GroveArgumentError('TableParser: select must be a function');
    this.source = options.source ?? 'input';
    this.reader = new CsvReader(this, this.source);
  }

  push(chunk: Uint8Array): void {
    this.reader.push(chunk);
  }

  end(): NumericTable {
    this.reader.end();
    if (this.first) throw new GroveDataError(`${this.source}: the input is empty${this.options.header === false ? '' : ' (expected a header row naming the columns)'}`);
    const n = this.rows;
    return {
      names: this.names,
      featureNames: this.featureNames,
      X: { data: this.data.slice(0, n * this.k), rows: n, cols: this.k },
      ...(this.hasLabel ? { label: { name: this.labelName, texts: this.labelTexts, values: this.labelValues.slice(0, n) } } : {}),
      lines: this.lines.slice(0, n),
    };
  }

  field(bytes: Uint8Array, start: number, end: number): void {
    if (this.first) {
      this.first.push(this.text(bytes, start, end));
      return;
    }
    const c = this.fieldIndex++;
    const role = c < this.roles.length ? this.roles[c] : SKIP;
    if (role === SKIP || this.problem) return;
    if (role === LABEL) {
      this.label = this.text(bytes, start, end);
      this.labelValue = isMissing(bytes, start, end) ? NaN : parseNumber(bytes, start, end);
      return;
    }
    let x = NaN;
    if (!isMissing(bytes, start, end)) {
      const v = parseNumber(bytes, start, end);
      x = Math.fround(v);
      if (!Number.isFinite(x)) {
        const text = this.text(bytes, start, end);
        // a number too large for float32 (or for a double), or text that is no number at all
        this.problem = { column: c, text, range: !Number.isNaN(v) || Math.abs(Number(text.trim())) === Infinity };
      }
    }
    this.data[this.rows * this.k + role] = x;
  }

  endRecord(line: number): void {
    if (this.first) return this.resolveFirst(line);
    const fields = this.fieldIndex;
    this.fieldIndex = 0;
    const n = this.names.length;
    if (fields !== n) throw new GroveDataError(`${this.source}:${line}: expected ${n} fields like the ${this.options.header === false ? 'first record' : 'header'}, got ${fields}`);
    if (this.problem) {
      const { column, text, range } = this.problem;
      const name = JSON.stringify(this.names[column]);
      if (range) throw new GroveDataError(`${this.source}:${line}: column ${name} holds ${text}, beyond float32's range (write a missing value as an empty field, NA or ?)`);
      throw new GroveDataError(`${this.source}: categorical column ${name} (line ${line}: ${JSON.stringify(text)}): encode it as numbers (one-hot or codes) first`);
    }
    const r = this.rows++;
    if (this.rows === this.lines.length) {
      this.lines = grow(this.lines);
      this.labelValues = grow(this.labelValues);
    }
    this.lines[r] = line;
    if (this.hasLabel) {
      if (Number.isNaN(this.labelValue) && MISSING_TOKENS.includes(this.label.trim())) {
        throw new GroveDataError(`${this.source}:${line}: the label column ${JSON.stringify(this.labelName)} is empty or missing (${JSON.stringify(this.label)})`);
      }
      this.labelTexts.push(this.label);
      this.labelValues[r] = this.labelValue;
    }
    this.reserveRow();
  }

  /** The header, or the first data record (then named c0, c1, … and replayed as data). */
  private resolveFirst(line: number): void {
    const texts = this.first!;
    this.first = null;
    const header = this.options.header !== false;
    this.names = header ? texts : texts.map((_, i) => `c${i}`);
    const seen = new Map<string, number>();
    this.names.forEach((name, i) => {
      const before = seen.get(name);
      if (before !== undefined) throw new GroveDataError(`${this.source}:${line}: column name ${JSON.stringify(name)} appears twice (columns ${before} and ${i}, counting from 0)`);
      seen.set(name, i);
    });
    const { features, label } = this.options.select ? this.options.select(this.names) : { features: this.names.map((_, i) => i) };
    this.roles = new Int32Array(this.names.length).fill(SKIP);
    const claim = (c: number, role: number, what: string) => {
      if (!Number.isInteger(c) || c < 0 || c >= this.names.length) throw new GroveArgumentError(`TableParser: select chose column ${c} as ${what}; the table has ${this.names.length} columns`);
      if (this.roles[c] !== SKIP) throw new GroveArgumentError(`TableParser: select chose column ${c} (${JSON.stringify(this.names[c])}) twice`);
      this.roles[c] = role;
    };
    features.forEach((c, slot) => claim(c, slot, 'a feature'));
    if (label !== undefined) {
      claim(label, LABEL, 'the label');
      this.labelName = this.names[label];
      this.hasLabel = true;
    }
    this.k = features.length;
    this.featureNames = features.map((c) => this.names[c]);
    this.reserveRow();
    if (header) return;
    const encoder = new TextEncoder();
    for (const t of texts) {
      const b = encoder.encode(t);
      this.field(b, 0, b.length);
    }
    this.endRecord(line);
  }

  /** Room for row `rows` in `data`. */
  private reserveRow(): void {
    const need = (this.rows + 1) * this.k;
    if (need <= this.data.length) return;
    const grown = new Float32Array(Math.max(need, 2 * this.data.length, 1024 * this.k));
    grown.set(this.data);
    this.data = grown;
  }

  private text(bytes: Uint8Array, start: number, end: number): string {
    try {
      return this.decoder.decode(bytes.subarray(start, end));
    } catch {
      throw new GroveDataError(`${this.source}:${this.reader.line}: the line is not valid UTF-8 text`);
    }
  }
}

/** Parses a whole table held in memory. */
export function parseTable(bytes: Uint8Array, options?: TableOptions): NumericTable {
  const parser = new TableParser(options);
  parser.push(bytes);
  return parser.end();
}

function isMissing(bytes: Uint8Array, start: number, end: number): boolean {
  const n = end - start;
  if (n === 0) return true;
  if (n === 1) return bytes[start] === 63; // ?
  if (n === 2) return bytes[start] === 78 && bytes[start + 1] === 65; // NA
  if (n !== 3 || bytes[start + 1] !== 97) return false;
  const a = bytes[start];
  return (a === 78 || a === 110) && bytes[start + 2] === a; // NaN, nan
}

function grow<T extends Uint32Array | Float64Array>(a: T): T {
  const grown = new (a.constructor as new (n: number) => T)(a.length * 2);
  grown.set(a);
  return grown;
}
