/**
 * The little binary format behind `pairSumsToBytes` and `StreamingItemCF.snapshot`: a 4-byte
 * ASCII magic and a u32 version, then fields in a fixed order — u32 and f64 scalars, ids, and
 * typed arrays (a u32 length, then the elements). Everything is little-endian, written and read
 * through a DataView, so the bytes are the same on any host. An id is a tag byte, then
 * an f64 (tag 0, number) or a u32 length and that many UTF-16 code units (tag 1, string: any JS
 * string round-trips, lone surrogates included).
 *
 * The reader checks every length against the bytes left and throws a `GroveDataError` that names
 * the function, the field and the offset when the bytes are truncated, of another kind or
 * version, or carry trailing garbage (a `GroveArgumentError` when they are not a Uint8Array).
 */
import { GroveArgumentError, GroveDataError } from '../runtime/errors.js';
import type { Id } from './interactions.js';

const NUMBER = 0;
const STRING = 1;

export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;

  /** `capacity`: a size estimate in bytes (the buffer grows past it when needed). */
  constructor(magic: string, version: number, capacity = 1 << 12) {
    this.buf = new Uint8Array(Math.max(capacity, 64));
    this.view = new DataView(this.buf.buffer);
    for (let c = 0; c < 4; c++) this.buf[c] = magic.charCodeAt(c);
    this.pos = 4;
    this.u32(version);
  }

  u32(x: number): void {
    this.room(4);
    this.view.setUint32(this.pos, x, true);
    this.pos += 4;
  }

  f64(x: number): void {
    this.room(8);
    this.view.setFloat64(this.pos, x, true);
    this.pos += 8;
  }

  ids(ids: readonly Id[]): void {
    this.u32(ids.length);
    for (const id of ids) {
      this.room(1);
      if (typeof id === 'number') {
        this.buf[this.pos++] = NUMBER;
        this.f64(id);
      } else {
        this.buf[this.pos++] = STRING;
        this.u32(id.length);
        this.room(2 * id.length);
        for (let c = 0; c < id.length; c++, this.pos += 2) this.view.setUint16(this.pos, id.charCodeAt(c), true);
      }
    }
  }

  array(a: Float64Array | Uint32Array): void {
    this.u32(a.length);
    this.room(a.byteLength);
    const { view, pos } = this;
    if (a instanceof Float64Array) for (let i = 0; i < a.length; i++) view.setFloat64(pos + 8 * i, a[i], true);
    else for (let i = 0; i < a.length; i++) view.setUint32(pos + 4 * i, a[i], true);
    this.pos += a.byteLength;
  }

  /** A byte string (u32 length, then the bytes), e.g. another format's output. */
  bytes(b: Uint8Array): void {
    this.u32(b.length);
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** The bytes written (the writer is spent): a view when they fill most of the buffer, else a copy. */
  finish(): Uint8Array {
    return this.pos >= 0.75 * this.buf.length ? this.buf.subarray(0, this.pos) : this.buf.slice(0, this.pos);
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(2 * this.buf.length, this.pos + n));
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
    this.view = new DataView(grown.buffer);
  }
}

export class ByteReader {
  private readonly view: DataView;
  private pos = 0;

  /** Checks the magic and version; `fn` and `kind` name the caller and format in errors. */
  constructor(private readonly data: Uint8Array, private readonly fn: string, kind: string, magic: string, version: number) {
    if (!(data instanceof Uint8Array)) throw new GroveArgumentError(`${fn}: expected a Uint8Array, got ${data === null ? 'null' : typeof data}`);
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    this.need(8, 'the header');
    const found = String.fromCharCode(...data.subarray(0, 4));
    if (found !== magic) throw new GroveDataError(`${fn}: these bytes are not ${kind} (magic ${JSON.stringify(found)}, expected ${JSON.stringify(magic)})`);
    this.pos = 4;
    const v = this.u32('the version');
    if (v !== version) throw new GroveDataError(`${fn}: ${kind} version ${v} is not supported (this build reads version ${version})`);
  }

  u32(field: string): number {
    this.need(4, field);
    const x = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return x;
  }

  f64(field: string): number {
    this.need(8, field);
    const x = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return x;
  }

  ids(field: string): Id[] {
    const n = this.u32(`the length of ${field}`);
    const out: Id[] = [];
    for (let r = 0; r < n; r++) {
      this.need(1, `${field}[${r}]`);
      const tag = this.data[this.pos++];
      if (tag === NUMBER) {
        const x = this.f64(`${field}[${r}]`);
        if (!Number.isFinite(x)) this.fail(`${field}[${r}] is ${x}; ids must be finite numbers or strings`);
        out.push(x);
      } else if (tag === STRING) {
        const len = this.u32(`${field}[${r}]`);
        this.need(2 * len, `${field}[${r}]`);
        let s = '';
        for (let c = 0; c < len; c++, this.pos += 2) s += String.fromCharCode(this.view.getUint16(this.pos, true));
        out.push(s);
      } else {
        this.fail(`${field}[${r}] has id tag ${tag} (expected 0 or 1)`);
      }
    }
    return out;
  }

  /** An array of exactly `length` elements when `length` is given. */
  f64s(field: string, length?: number): Float64Array {
    const n = this.arrayLength(field, 8, length);
    const out = new Float64Array(n);
    const { view, pos } = this;
    for (let i = 0; i < n; i++) out[i] = view.getFloat64(pos + 8 * i, true);
    this.pos += 8 * n;
    return out;
  }

  u32s(field: string, length?: number): Uint32Array {
    const n = this.arrayLength(field, 4, length);
    const out = new Uint32Array(n);
    const { view, pos } = this;
    for (let i = 0; i < n; i++) out[i] = view.getUint32(pos + 4 * i, true);
    this.pos += 4 * n;
    return out;
  }

  /** A view of a byte string written by `ByteWriter.bytes`. */
  bytes(field: string): Uint8Array {
    const n = this.u32(`the length of ${field}`);
    this.need(n, field);
    this.pos += n;
    return this.data.subarray(this.pos - n, this.pos);
  }

  /** Throws unless every byte has been read. */
  end(): void {
    if (this.pos !== this.data.length) this.fail(`${this.data.length - this.pos} unexpected bytes after the last field`);
  }

  /** A GroveDataError naming the caller and the current offset. */
  fail(what: string): never {
    throw new GroveDataError(`${this.fn}: corrupt bytes at offset ${this.pos}: ${what}`);
  }

  /** Reads an array's length and checks that its `size`-byte elements are all there. */
  private arrayLength(field: string, size: number, length: number | undefined): number {
    const n = this.u32(`the length of ${field}`);
    if (length !== undefined && n !== length) this.fail(`${field} has ${n} entries, expected ${length}`);
    this.need(n * size, field);
    return n;
  }

  private need(n: number, field: string): void {
    if (this.pos + n > this.data.length) {
      throw new GroveDataError(`${this.fn}: the bytes are truncated: ${field} needs ${n} bytes at offset ${this.pos}, ${this.data.length - this.pos} left`);
    }
  }
}
