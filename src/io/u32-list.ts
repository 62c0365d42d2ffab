/** An append-only Uint32 array that doubles its storage when full (reader output buffers). */
export class U32List {
  data: Uint32Array;
  length = 0;

  constructor(capacity = 1 << 12) {
    this.data = new Uint32Array(capacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) this.reserve(1);
    this.data[this.length++] = value;
  }

  /** Makes room for `extra` more values; hot loops call it, then write into `data` directly. */
  reserve(extra: number): void {
    if (this.length + extra <= this.data.length) return;
    const grown = new Uint32Array(Math.max(this.data.length * 2, this.length + extra));
    grown.set(this.data.subarray(0, this.length));
    this.data = grown;
  }

  /** The values: a view when it fills most of the storage, otherwise a right-sized copy. */
  toArray(): Uint32Array {
    return this.length >= this.data.length * 0.75 ? this.data.subarray(0, this.length) : this.data.slice(0, this.length);
  }
}
