// Closed and maximal selection (kernel fim_select_kind_*) on a real listing large enough to span
// several kernel batches, against the definitions checked independently here with a Map of
// every itemset: closed = no immediate superset with the same count, maximal = none at all.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fpGrowthTable } from '../../src/fim/fpgrowth.js';
import { selectKind, type ItemsetTable } from '../../src/fim/itemsets.js';
import { parseFimi } from '../../src/io/fimi.js';
import '../../src/runtime/init.node.js';
import { sharedDir } from '../helpers/shared.js';

const fimi = sharedDir('data/fimi');

function byDefinition(table: ItemsetTable): { closed: Set<string>; maximal: Set<string> } {
  const count = new Map<string, number>();
  for (let i = 0; i < table.size; i++) count.set(table.key(i), table.counts[i]);
  const notClosed = new Set<string>();
  const notMaximal = new Set<string>();
  for (let i = 0; i < table.size; i++) {
    const items = Array.from(table.items(i));
    for (let d = 0; d < items.length && items.length > 1; d++) {
      const sub = items.filter((_, j) => j !== d).join(',');
      notMaximal.add(sub);
      if (count.get(sub) === table.counts[i]) notClosed.add(sub);
    }
  }
  const keys = [...count.keys()];
  return { closed: new Set(keys.filter((k) => !notClosed.has(k))), maximal: new Set(keys.filter((k) => !notMaximal.has(k))) };
}

const keysOf = (table: ItemsetTable) => new Set(Array.from({ length: table.size }, (_, i) => table.key(i)));

describe.skipIf(!fimi.present)(`closed and maximal itemsets of chess at 1918${fimi.skipReason}`, () => {
  it('equal the definitions over all 254,944 frequent itemsets', () => {
    const db = parseFimi(readFileSync(`${fimi.path}/chess.dat`), 'chess.dat');
    const table = fpGrowthTable(db, { minCount: 1918, maxLen: 0, kind: 'all' });
    expect(table.size).toBe(254944); // reference.tsv
    const expected = byDefinition(table);
    expect(keysOf(selectKind(table, 'closed'))).toEqual(expected.closed);
    expect(keysOf(selectKind(table, 'maximal'))).toEqual(expected.maximal);
  });
});
