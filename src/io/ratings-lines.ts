/**
 * Lines split on a fixed delimiter (a tab, or MovieLens' `::`), streamed over bytes. Fields reach
 * a `CsvSink` like CsvReader's, so one sink serves both readers. No quoting; LF or CRLF; blank
 * lines are skipped; a UTF-8 byte order mark is skipped. A line may straddle chunks: its head is
 * carried over.
 */
import type { CsvSink } from './csv.js';

const NL = 10;
const CR = 13;

export class DelimitedReader {
  /** The physical line being read (1-based). */
  line = 1;
  private carry = new Uint8Array(256);
  private carryLength = 0;
  private started = false;

  constructor(
    private readonly sink: CsvSink,
    private readonly delimiter: Uint8Array,
  ) {}

  push(chunk: Uint8Array): void {
    let i = 0;
    if (!this.started && chunk.length > 0) {
      this.started = true;
      if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3;
    }
    for (;;) {
      const nl = chunk.indexOf(NL, i);
      if (nl < 0) break;
      if (this.carryLength > 0) {
        this.keep(chunk, i, nl);
        this.splitLine(this.carry, 0, this.carryLength);
        this.carryLength = 0;
      } else this.splitLine(chunk, i, nl);
      i = nl + 1;
    }
    this.keep(chunk, i, chunk.length);
  }

  end(): void {
    if (this.carryLength > 0) this.splitLine(this.carry, 0, this.carryLength);
    this.carryLength = 0;
  }

  private keep(bytes: Uint8Array, start: number, end: number): void {
    const need = this.carryLength + end - start;
    if (need > this.carry.length) {
      const grown = new Uint8Array(Math.max(need, this.carry.length * 2));
      grown.set(this.carry.subarray(0, this.carryLength));
      this.carry = grown;
    }
    this.carry.set(bytes.subarray(start, end), this.carryLength);
    this.carryLength = need;
  }

  /** Emits the fields of `bytes[start, end)` (one line without its newline). */
  private splitLine(bytes: Uint8Array, start: number, end: number): void {
    const line = this.line++;
    if (end > start && bytes[end - 1] === CR) end--;
    let blank = true;
    for (let k = start; k < end && blank; k++) blank = bytes[k] === 32 || bytes[k] === 9;
    if (blank) return;
    const d = this.delimiter;
    let fieldStart = start;
    for (let k = start; k + d.length <= end; k++) {
      if (bytes[k] !== d[0] || (d.length > 1 && !matches(bytes, k, d))) continue;
      this.sink.field(bytes, fieldStart, k);
      k += d.length - 1;
      fieldStart = k + 1;
    }
    this.sink.field(bytes, fieldStart, end);
    this.sink.endRecord(line);
  }
}

function matches(bytes: Uint8Array, at: number, d: Uint8Array): boolean {
  for (let j = 1; j < d.length; j++) if (bytes[at + j] !== d[j]) return false;
  return true;
}
