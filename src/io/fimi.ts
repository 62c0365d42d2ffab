/**
 * FIMI / SPMF transaction files: one transaction per line, items are non-negative integers
 * separated by blanks (spaces, tabs; trailing blanks and CRLF allowed). Bytes are parsed as they
 * arrive, so a file of any size streams through fixed-size chunks and a token may straddle two.
 *
 * Conventions (those of Borgelt's tools and SPMF):
 * - an empty line is an empty transaction; a final newline does not start another one, and a
 *   last line without a newline counts only when it holds items;
 * - a line whose first non-blank byte is `#`, `%` or `@` is an SPMF comment / metadata line and
 *   is skipped (it is no transaction);
 * - anything else that is not a digit is an error naming the source, line and token.
 * Item ids stay their own labels when they are dense, and are compacted otherwise
 * (`encodeTransactions` on the flat arrays decides).
 */
import { encodeTransactions, type EncodedDb } from '../fim/encode.js';
import { GroveDataError } from '../runtime/errors.js';
import { U32List } from './u32-list.js';

const MAX_ID = 0xffffffff;
/** A value above this passes MAX_ID with any further digit; stopping there keeps values exact. */
const OVERFLOWING = 0x7fffffff;
const NL = 10;
const TOKEN_SHOWN = 40;

/** Incremental parser: `push` chunks in file order (they may be reused afterwards), then `end`. */
export class FimiParser {
  private readonly items: U32List;
  private readonly offsets: U32List;
  /** The token being read: its value and number of digits (0: between tokens). */
  private value = 0;
  private digits = 0;
  /** Inside a comment line whose newline is in a later chunk. */
  private skipping = false;
  private line = 1;
  private started = false;
  /** An invalid token whose end lies in a later chunk. */
  private bad?: { line: number; bytes: number[] };

  /**
   * `source` names the input in error messages (a file name); `sizeHint`, the input's size in
   * bytes when known, sizes the buffers so that they rarely grow (an item takes ≥ 2 bytes, ~4-5
   * in the FIMI sets, a transaction ~40).
   */
  constructor(
    private readonly source = 'input',
    sizeHint = 0,
  ) {
    this.items = new U32List(Math.max(1 << 12, Math.ceil(sizeHint / 4)));
    this.offsets = new U32List(Math.max(1 << 10, Math.ceil(sizeHint / 32)));
    this.offsets.push(0);
  }

  push(chunk: Uint8Array): void {
    if (this.bad) return this.continueBad(chunk);
    const n = chunk.length;
    let i = 0;
    if (!this.started && n > 0) {
      this.started = true;
      if (n >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3; // UTF-8 BOM
    }
    if (this.skipping) {
      const nl = chunk.indexOf(NL);
      if (nl < 0) return;
      this.skipping = false;
      this.line++;
      i = nl + 1;
    }
    const items = this.items;
    const offsets = this.offsets;
    let data = items.data;
    let len = items.length;
    let txStart = offsets.data[offsets.length - 1];
    let value = this.value;
    let digits = this.digits;
    let line = this.line;
    for (; i < n; i++) {
      const c = chunk[i];
      const d = c - 48;
      if (d >= 0 && d <= 9) {
        if (value > OVERFLOWING) return this.fail(chunk, i, line, value, digits);
        value = value * 10 + d;
        digits++;
        continue;
      }
      if (c === 32 || c === NL || c === 9 || c === 13) {
        if (digits > 0) {
          if (value > MAX_ID) return this.fail(chunk, i, line, value, digits);
          if (len === data.length) {
            items.length = len;
            items.reserve(1);
            data = items.data;
          }
          data[len++] = value;
          value = 0;
          digits = 0;
        }
        if (c === NL) {
          offsets.push(len);
          txStart = len;
          line++;
        }
        continue;
      }
      if ((c === 35 || c === 37 || c === 64) && digits === 0 && len === txStart) {
        const nl = chunk.indexOf(NL, i);
        if (nl < 0) {
          this.skipping = true;
          break;
        }
        line++;
        i = nl;
        continue;
      }
      return this.fail(chunk, i, line, value, digits);
    }
    items.length = len;
    this.value = value;
    this.digits = digits;
    this.line = line;
  }

  /** The transactions read so far; the parser must not be used afterwards. */
  end(): EncodedDb {
    if (this.digits > 0 && this.value > MAX_ID) this.fail(new Uint8Array(0), 0, this.line, this.value, this.digits);
    if (this.bad) this.throwBad();
    if (this.digits > 0) this.items.push(this.value);
    this.digits = 0;
    if (this.items.length > this.offsets.data[this.offsets.length - 1]) this.offsets.push(this.items.length);
    return encodeTransactions({ items: this.items.toArray(), offsets: this.offsets.toArray() }, this.source);
  }

  /**
   * Starts collecting the invalid token that reaches `chunk[at]` (its first `digits` digits, of
   * value `value`, were read already) for the error message; throws once the token is complete
   * (it may continue in the next chunk).
   */
  private fail(chunk: Uint8Array, at: number, line: number, value: number, digits: number): void {
    const head = digits > 0 ? String(value).padStart(digits, '0') : '';
    this.bad = { line, bytes: Array.from(head.slice(0, TOKEN_SHOWN), (ch) => ch.charCodeAt(0)) };
    this.continueBad(chunk.subarray(at));
  }

  private continueBad(chunk: Uint8Array): void {
    const bad = this.bad!;
    let i = 0;
    while (i < chunk.length && bad.bytes.length < TOKEN_SHOWN && !isBlank(chunk[i])) bad.bytes.push(chunk[i++]);
    if (i < chunk.length || bad.bytes.length >= TOKEN_SHOWN) this.throwBad();
  }

  private throwBad(): never {
    const { line, bytes } = this.bad!;
    const token = new TextDecoder().decode(Uint8Array.from(bytes));
    const problem = /^\d+$/.test(token)
      ? 'exceeds the largest item id 4294967295'
      : /^-\d+$/.test(token)
        ? 'is negative; item ids are non-negative integers'
        : 'is not an item id (expected a non-negative integer)';
    throw new GroveDataError(`${this.source}:${line}: "${token}" ${problem}`);
  }
}

/** Parses a whole FIMI / SPMF file held in memory. */
export function parseFimi(bytes: Uint8Array, source?: string): EncodedDb {
  const parser = new FimiParser(source, bytes.length);
  parser.push(bytes);
  return parser.end();
}

function isBlank(c: number): boolean {
  return c === 32 || c === NL || c === 9 || c === 13;
}
