/**
 * Golden listings: on the FIMI benchmark sets at the supports of ../shared/data/fimi/reference.tsv,
 * every miner's itemset count, count per length and canonical-listing sha256 equal the figures
 * Borgelt's C miners agree on. The canonical listing (see the file's header): one line per itemset,
 * items ascending joined by spaces, then " #SUP: n", lines sorted bytewise, each ending in "\n".
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { encodeTransactions, type EncodedDb } from '../../src/fim/encode.js';
import { fpGrowthSpmf } from '../../src/fim/fpgrowth.js';
import type { ItemsetTable } from '../../src/fim/itemsets.js';
import type { MineParams } from '../../src/fim/options.js';
import { sharedDir } from '../helpers/shared.js';
import { miners } from './miners.js';

const fimi = sharedDir('data/fimi');

interface Row {
  dataset: string;
  minCount: number;
  count: number;
  byLength: string;
  sha256: string;
}

function referenceRows(): Row[] {
  if (!fimi.present) return [];
  return readFileSync(`${fimi.path}/reference.tsv`, 'utf8')
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [dataset, minsup, count, byLength, sha256] = line.split('\t');
      return { dataset, minCount: Number(minsup), count: Number(count), byLength, sha256 };
    });
}

/** A FIMI file (space-separated ids, one transaction per line, trailing blanks allowed). */
function readDat(path: string): EncodedDb {
  const lines = readFileSync(path, 'latin1').split('\n');
  if (lines[lines.length - 1].trim() === '') lines.pop();
  const items: number[] = [];
  const offsets = [0];
  for (const line of lines) {
    for (const token of line.split(' ')) if (token !== '') items.push(Number(token));
    offsets.push(items.length);
  }
  return encodeTransactions({ items: Uint32Array.from(items), offsets: Uint32Array.from(offsets) });
}

const databases = new Map<string, EncodedDb>();
function database(name: string): EncodedDb {
  let db = databases.get(name);
  if (!db) {
    const path = [`${fimi.path}/${name}.dat`, `${fimi.path}/${name}.txt`].find((p) => existsSync(p));
    if (!path) throw new Error(`reference.tsv names ${name}, but no ${name}.dat or .txt is in ${fimi.path}`);
    db = readDat(path);
    databases.set(name, db);
  }
  return db;
}

interface Summary {
  count: number;
  byLength: string;
  sha256: string;
}

function lengthSummary(size: number, lengthOf: (i: number) => number): string {
  const perLength: number[] = [];
  for (let i = 0; i < size; i++) {
    const len = lengthOf(i);
    perLength[len] = (perLength[len] ?? 0) + 1;
  }
  return perLength.flatMap((c, len) => (c ? [`${len}:${c}`] : [])).join(',');
}

/**
 * The summary of a table without building 3.76M strings (mushroom at 407): lines are ordered as
 * sequences of label tokens. Each token is a label and a space, the tail is "#SUP: n\n"; space and
 * '#' sort below every digit, so comparing two lines bytewise is comparing their tokens one by one
 * in the byte order of `${label} `, a line that ends first (a subset prefix) coming first.
 */
function summarizeTable(table: ItemsetTable, db: EncodedDb): Summary {
  expect(db.labels.every((l) => typeof l === 'number' && Number.isInteger(l) && l >= 0)).toBe(true);
  const tokens = db.labels.map((l) => Buffer.from(`${l} `, 'latin1'));
  const byBytes = [...tokens.keys()].sort((a, b) => Buffer.compare(tokens[a], tokens[b]));
  const rank = new Uint32Array(tokens.length);
  byBytes.forEach((id, r) => (rank[id] = r));
  const { ids, start, counts } = table;
  const order = Array.from({ length: table.size }, (_, i) => i).sort((a, b) => {
    for (let pa = start[a], pb = start[b]; ; pa++, pb++) {
      if (pa === start[a + 1]) return pb === start[b + 1] ? 0 : -1;
      if (pb === start[b + 1]) return 1;
      const d = rank[ids[pa]] - rank[ids[pb]];
      if (d !== 0) return d;
    }
  });
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(1 << 16);
  let w = 0;
  for (const i of order) {
    if (w > buf.length - 4096) {
      hash.update(buf.subarray(0, w));
      w = 0;
    }
    for (let p = start[i]; p < start[i + 1]; p++) w += tokens[ids[p]].copy(buf, w);
    w += buf.write(`#SUP: ${counts[i]}\n`, w, 'latin1');
  }
  hash.update(buf.subarray(0, w));
  return { count: table.size, byLength: lengthSummary(table.size, (i) => table.length(i)), sha256: hash.digest('hex') };
}

/** The SPMF text stream, cut into lines (chunks end on line boundaries), sorted and hashed. */
function summarizeSpmf(db: EncodedDb, params: MineParams): Summary {
  const decoder = new TextDecoder();
  const lines: string[] = [];
  const emitted = fpGrowthSpmf(db, params, (chunk) => {
    const text = decoder.decode(chunk);
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      lines.push(text.slice(from, nl + 1));
      from = nl + 1;
    }
    expect(from, 'a chunk ends inside a line').toBe(text.length);
  });
  expect(emitted).toBe(lines.length);
  lines.sort(); // ASCII only, so code-unit order is byte order
  const hash = createHash('sha256');
  for (const line of lines) hash.update(line);
  return { count: lines.length, byLength: lengthSummary(lines.length, (i) => lines[i].split(' ').length - 2), sha256: hash.digest('hex') };
}

const rows = referenceRows();
const expected = (row: Row): Summary => ({ count: row.count, byLength: row.byLength, sha256: row.sha256 });
const paramsOf = (row: Row): MineParams => ({ minCount: row.minCount, maxLen: 0, kind: 'all' });

describe.skipIf(!fimi.present)(`golden listings of reference.tsv${fimi.skipReason}`, () => {
  test('reference.tsv lists the benchmark sets', () => {
    expect(new Set(rows.map((r) => r.dataset))).toEqual(new Set(['retail', 'T10I4D100K', 'chess', 'mushroom', 'textbook_han_kamber_t6_1', 'spmf_contextPasquier99']));
  });

  describe.each(miners)('$name', (miner) => {
    test.each(rows)('$dataset at $minCount', (row) => {
      const db = database(row.dataset);
      expect(summarizeTable(miner.table(db, paramsOf(row)), db)).toEqual(expected(row));
    });
  });

  // Sorting 3.76M text lines (mushroom at 407) would double this file's run time; the records
  // above cover that listing, and kernel.test.ts checks text = records on outputs of many MiB.
  describe('fpGrowth SPMF text', () => {
    test.each(rows.filter((row) => row.count <= 1_000_000))('$dataset at $minCount', (row) => {
      expect(summarizeSpmf(database(row.dataset), paramsOf(row))).toEqual(expected(row));
    });
  });
});
