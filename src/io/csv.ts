/**
 * A streaming CSV record reader after RFC 4180, over bytes: comma-separated fields; a field in
 * double quotes may hold commas, line breaks and doubled quotes (`""`). Lenient where files in
 * the wild need it: LF or CRLF line ends, blanks (spaces, tabs) around fields are trimmed
 * (inside quotes they are kept), a quote inside an unquoted field is a plain character, a UTF-8
 * byte order mark is skipped. Blank lines are skipped. Fields reach the sink as byte ranges,
 * so the reader makes no string; decoding is the sink's business.
 */
import { GroveDataError } from '../runtime/errors.js';

export interface CsvSink {
  /** The next field of the current record: `bytes[start, end)`, valid only during the call. */
  field(bytes: Uint8Array, start: number, end: number): void;
  /** The current record ended; it started on 1-based line `line`. */
  endRecord(line: number): void;
}

const COMMA = 44;
const QUOTE = 34;
const NL = 10;

// states
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_SEEN = 3; // a quote inside a quoted field: the closing one, or the first of `""`
const AFTER_QUOTED = 4;

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13;
}

export class CsvReader {
  /** The physical line being read (1-based). */
  line = 1;
  private state = FIELD_START;
  /** Field bytes carried over from an earlier chunk, or unescaped quoted content. */
  private pending = new Uint8Array(256);
  private pendingLength = 0;
  private fields = 0;
  private recordLine = 1;
  private started = false;

  constructor(
    private readonly sink: CsvSink,
    private readonly source = 'input',
  ) {}

  push(chunk: Uint8Array): void {
    const n = chunk.length;
    let i = 0;
    if (!this.started && n > 0) {
      this.started = true;
      if (n >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3;
    }
    let state = this.state;
    let start = i; // where the current field's bytes in this chunk begin
    for (; i < n; i++) {
      let c = chunk[i];
      if (state === FIELD_START) {
        if (isBlank(c)) continue;
        if (c === QUOTE) {
          state = QUOTED;
          start = i + 1;
          continue;
        }
        if (c === COMMA || c === NL) {
          if (c === COMMA || this.fields > 0) this.emit(chunk, i, i); // `a,` ends with an empty field
          if (c === NL) this.endLine();
          continue;
        }
        state = UNQUOTED;
        start = i;
      }
      if (state === UNQUOTED) {
        while (c !== COMMA && c !== NL) {
          if (++i === n) break;
          c = chunk[i];
        }
        if (i === n) break;
        this.emitTrimmed(chunk, start, i);
        state = FIELD_START;
        if (c === NL) this.endLine();
      } else if (state === QUOTED) {
        while (c !== QUOTE) {
          if (c === NL) this.line++;
          if (++i === n) break;
          c = chunk[i];
        }
        if (i === n) break;
        this.keep(chunk, start, i);
        state = QUOTE_SEEN;
      } else if (c === QUOTE && state === QUOTE_SEEN) {
        state = QUOTED;
        start = i; // the second quote of `""` starts the next piece
      } else if (c === COMMA || c === NL) {
        this.emit(chunk, i, i);
        state = FIELD_START;
        if (c === NL) this.endLine();
      } else if (isBlank(c)) state = AFTER_QUOTED;
      else {
        const shown = new TextDecoder().decode(chunk.subarray(i, Math.min(n, i + 4))).slice(0, 1);
        throw new GroveDataError(`${this.source}:${this.line}: unexpected ${JSON.stringify(shown)} after a closing quote (write a quote inside a quoted field as "")`);
      }
    }
    if (state === UNQUOTED || state === QUOTED) this.keep(chunk, start, n);
    this.state = state;
  }

  end(): void {
    const empty = new Uint8Array(0);
    if (this.state === QUOTED) throw new GroveDataError(`${this.source}:${this.recordLine}: a quoted field is never closed`);
    if (this.state === UNQUOTED) this.emitTrimmed(empty, 0, 0);
    else if (this.state !== FIELD_START || this.fields > 0) this.emit(empty, 0, 0);
    if (this.fields > 0) this.endLine();
  }

  /** Appends `bytes[start, end)` to the pending field. */
  private keep(bytes: Uint8Array, start: number, end: number): void {
    const need = this.pendingLength + end - start;
    if (need > this.pending.length) {
      const grown = new Uint8Array(Math.max(need, this.pending.length * 2));
      grown.set(this.pending.subarray(0, this.pendingLength));
      this.pending = grown;
    }
    this.pending.set(bytes.subarray(start, end), this.pendingLength);
    this.pendingLength = need;
  }

  /** Ends an unquoted field without its trailing blanks. */
  private emitTrimmed(bytes: Uint8Array, start: number, end: number): void {
    while (end > start && isBlank(bytes[end - 1])) end--;
    if (end === start) while (this.pendingLength > 0 && isBlank(this.pending[this.pendingLength - 1])) this.pendingLength--;
    this.emit(bytes, start, end);
  }

  /** Ends a field: `bytes[start, end)` after whatever is pending. */
  private emit(bytes: Uint8Array, start: number, end: number): void {
    this.fields++;
    if (this.pendingLength === 0) {
      this.sink.field(bytes, start, end);
      return;
    }
    this.keep(bytes, start, end);
    this.sink.field(this.pending, 0, this.pendingLength);
    this.pendingLength = 0;
  }

  /** A line break outside quotes: the end of a record, or of a blank line. */
  private endLine(): void {
    this.line++;
    if (this.fields > 0) this.sink.endRecord(this.recordLine); // else a blank line
    this.fields = 0;
    this.recordLine = this.line;
  }
}
