/**
 * Recoding transactions into dense item ids (the layout every miner kernel reads) and the
 * canonical output order of items.
 */
import { GroveArgumentError } from '../runtime/errors.js';
import type { FlatTransactions, Item, Transactions } from './types.js';

/** Dense form: ids index `labels`; `offsets` has one entry per transaction plus one. */
export interface EncodedDb {
  items: Uint32Array;
  offsets: Uint32Array;
  labels: Item[];
}

function isFlat(input: Transactions): input is FlatTransactions {
  return (input as FlatTransactions).items instanceof Uint32Array && (input as FlatTransactions).offsets instanceof Uint32Array;
}

export function nTransactions(db: EncodedDb): number {
  return db.offsets.length - 1;
}

/** Validates and recodes any accepted transaction input. */
export function encodeTransactions(input: Transactions, fn = 'transactions'): EncodedDb {
  if (input == null || typeof input !== 'object') {
    throw new GroveArgumentError(`${fn}: expected an iterable of transactions or { items, offsets }, got ${input === null ? 'null' : typeof input}`);
  }
  return isFlat(input) ? encodeFlat(input, fn) : encodeNested(input as Iterable<Iterable<Item>>, fn);
}

function checkItem(item: unknown, t: number, fn: string): Item {
  if (typeof item === 'string') return item;
  if (typeof item === 'number' && Number.isFinite(item)) return item;
  throw new GroveArgumentError(`${fn}: transaction ${t} holds ${String(item)} (${typeof item}); items must be strings or finite numbers`);
}

function encodeNested(input: Iterable<Iterable<Item>>, fn: string): EncodedDb {
  if (typeof (input as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw new GroveArgumentError(`${fn}: expected an iterable of transactions or { items, offsets }`);
  }
  const ids = new Map<Item, number>();
  const labels: Item[] = [];
  let items = new Uint32Array(1024);
  const offsets: number[] = [0];
  let n = 0;
  let t = 0;
  for (const tx of input) {
    if (tx == null || typeof (tx as Iterable<unknown>)[Symbol.iterator] !== 'function' || typeof tx === 'string') {
      throw new GroveArgumentError(`${fn}: transaction ${t} is ${typeof tx === 'string' ? 'a string' : String(tx)}, not an iterable of items`);
    }
    for (const raw of tx) {
      const item = checkItem(raw, t, fn);
      let id = ids.get(item);
      if (id === undefined) {
        id = labels.length;
        ids.set(item, id);
        labels.push(item);
      }
      if (n === items.length) {
        const grown = new Uint32Array(items.length * 2);
        grown.set(items);
        items = grown;
      }
      items[n++] = id;
    }
    offsets.push(n);
    t++;
  }
  return { items: items.slice(0, n), offsets: Uint32Array.from(offsets), labels };
}

function encodeFlat(input: FlatTransactions, fn: string): EncodedDb {
  const { items, offsets } = input;
  if (offsets.length === 0) throw new GroveArgumentError(`${fn}: offsets must hold at least one entry (0 transactions → [0])`);
  if (offsets[0] !== 0 || offsets[offsets.length - 1] !== items.length) {
    throw new GroveArgumentError(`${fn}: offsets must start at 0 and end at items.length (${items.length}), got ${offsets[0]}…${offsets[offsets.length - 1]}`);
  }
  for (let t = 1; t < offsets.length; t++) {
    if (offsets[t] < offsets[t - 1]) throw new GroveArgumentError(`${fn}: offsets must not decrease (offsets[${t}] = ${offsets[t]} < ${offsets[t - 1]})`);
  }
  if (input.labels) {
    const labels = Array.from(input.labels, (l, i) => checkItem(l, i, fn));
    for (let i = 0; i < items.length; i++) {
      if (items[i] >= labels.length) throw new GroveArgumentError(`${fn}: item id ${items[i]} at position ${i} has no label (labels.length = ${labels.length})`);
    }
    if (new Set(labels).size !== labels.length) throw new GroveArgumentError(`${fn}: labels must be distinct`);
    return { items, offsets, labels };
  }
  // ids are the labels: keep them when dense enough, otherwise compact them
  let max = -1;
  for (let i = 0; i < items.length; i++) if (items[i] > max) max = items[i];
  if (max < 2 * items.length + 1024) return { items, offsets, labels: Array.from({ length: max + 1 }, (_, i) => i) };
  const ids = new Map<number, number>();
  const labels: number[] = [];
  const dense = new Uint32Array(items.length);
  for (let i = 0; i < items.length; i++) {
    let id = ids.get(items[i]);
    if (id === undefined) {
      id = labels.length;
      ids.set(items[i], id);
      labels.push(items[i]);
    }
    dense[i] = id;
  }
  return { items: dense, offsets, labels };
}

/** Canonical item order: numbers ascending, then strings by code units. */
export function compareItems(a: Item, b: Item): number {
  if (typeof a === 'number') return typeof b === 'number' ? a - b : -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `rank[id]`: position of `labels[id]` in canonical order. */
export function outputRank(labels: readonly Item[]): Int32Array {
  const order = Array.from(labels.keys()).sort((x, y) => compareItems(labels[x], labels[y]));
  const rank = new Int32Array(labels.length);
  order.forEach((id, r) => (rank[id] = r));
  return rank;
}
