/**
 * Dense ids for byte strings (CSV labels, transaction keys), in order of first appearance. An
 * open-addressing hash table over the key bytes: a label seen before costs one hash and one
 * compare, never a string; only a new label is decoded (as UTF-8, strictly).
 */
import { U32List } from './u32-list.js';

export class ByteIds {
  /** The decoded keys by id (empty strings when `decode` is off). */
  readonly texts: string[] = [];
  private slots = new Int32Array(1 << 10); // 0: empty, else id + 1
  private readonly hashes = new U32List(1 << 9);
  private readonly ends = new U32List(1 << 9); // key id is keys[ends[id-1] .. ends[id])
  private keys = new Uint8Array(1 << 12);
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  /** `decode: false` keeps no text (for keys that are only told apart, never shown). */
  constructor(private readonly decode = true) {}

  get size(): number {
    return this.hashes.length;
  }

  /** The id of `bytes[start, end)`, a new one if unseen. Throws a TypeError for invalid UTF-8. */
  idOf(bytes: Uint8Array, start: number, end: number): number {
    let h = 0x811c9dc5; // FNV-1a
    for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
    h >>>= 0;
    const slots = this.slots;
    const hashes = this.hashes.data;
    const mask = slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const slot = slots[s];
      if (slot === 0) return this.add(bytes, start, end, h, s);
      if (hashes[slot - 1] === h && this.equals(slot - 1, bytes, start, end)) return slot - 1;
    }
  }

  private equals(id: number, bytes: Uint8Array, start: number, end: number): boolean {
    const ends = this.ends.data;
    const keys = this.keys;
    let k = id === 0 ? 0 : ends[id - 1];
    if (ends[id] - k !== end - start) return false;
    for (let i = start; i < end; i++, k++) if (keys[k] !== bytes[i]) return false;
    return true;
  }

  private add(bytes: Uint8Array, start: number, end: number, hash: number, slot: number): number {
    const text = this.decode ? this.decoder.decode(bytes.subarray(start, end)) : '';
    const id = this.hashes.length;
    const used = id === 0 ? 0 : this.ends.data[id - 1];
    if (used + end - start > this.keys.length) {
      const grown = new Uint8Array(Math.max(this.keys.length * 2, used + end - start));
      grown.set(this.keys.subarray(0, used));
      this.keys = grown;
    }
    this.keys.set(bytes.subarray(start, end), used);
    this.ends.push(used + end - start);
    this.hashes.push(hash);
    this.texts.push(text);
    this.slots[slot] = id + 1;
    if (2 * (id + 1) > this.slots.length) this.rehash();
    return id;
  }

  /** Doubles the table (keeps the load ≤ 1/2). */
  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let id = 0; id < this.hashes.length; id++) {
      let s = this.hashes.data[id] & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = id + 1;
    }
    this.slots = slots;
  }
}
