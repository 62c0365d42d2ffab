/** readTransactions: files on disk, format choice, and the real FIMI data sets. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { nTransactions } from '../../src/fim/encode.js';
import { readTransactionStream, readTransactions } from '../../src/io/transactions.js';
import { GroveArgumentError, GroveDataError } from '../../src/runtime/errors.js';
import { sharedDir } from '../helpers/shared.js';
import { bytes, decode } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'grove-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('readTransactions', () => {
  test('the format follows the extension unless given', async () => {
    const csv = file('b.csv', 'milk,bread\n1,2\n');
    expect(decode(await readTransactions(csv))).toEqual([['milk', 'bread'], ['1', '2']]);
    expect(decode(await readTransactions(file('b.dat', '1 2\n3\n')))).toEqual([[1, 2], [3]]);
    expect(decode(await readTransactions(file('B.CSV', 'x,y\n')))).toEqual([['x', 'y']]);
    const long = file('long.csv', 'tx,item\n1,milk\n2,jam\n1,bread\n');
    expect(decode(await readTransactions(long, { format: 'csv-long', header: true }))).toEqual([['milk', 'bread'], ['jam']]);
    expect(decode(await readTransactions(file('t.txt', '4 5\n'), { format: 'fimi' }))).toEqual([[4, 5]]);
  });

  test('a file larger than one read buffer (tokens and lines cross buffer ends)', async () => {
    const lines: string[] = [];
    for (let t = 0; t < 120_000; t++) lines.push(`${t % 1000} ${(t * 7) % 1013} ${100000 + (t % 5)} `);
    const path = file('big.dat', lines.join('\n') + '\n');
    const db = await readTransactions(path);
    expect(nTransactions(db)).toBe(120_000);
    for (const t of [0, 1, 45_000, 87_381, 119_999]) {
      expect(decode({ ...db, offsets: db.offsets.subarray(t, t + 2) })[0]).toEqual([t % 1000, (t * 7) % 1013, 100000 + (t % 5)]);
    }
  });

  test('empty files give an empty database', async () => {
    expect(nTransactions(await readTransactions(file('empty.dat', '')))).toBe(0);
    expect(nTransactions(await readTransactions(file('empty.csv', '')))).toBe(0);
  });

  test('errors: malformed data names file and line, bad options, missing files', async () => {
    const bad = file('bad.dat', '1 2\n3 four\n');
    await expect(readTransactions(bad)).rejects.toThrow(new GroveDataError(`${bad}:2: "four" is not an item id (expected a non-negative integer)`));
    await expect(readTransactions(bad, { format: 'xml' as never })).rejects.toThrow(GroveArgumentError);
    await expect(readTransactions(bad, { header: true })).rejects.toThrow('header applies to CSV input only');
    await expect(readTransactions(bad, { sep: ';' } as never)).rejects.toThrow('unknown option "sep"');
    await expect(readTransactions(join(dir, 'nope.dat'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(readTransactions(dir)).rejects.toMatchObject({ code: 'EISDIR' });
  });

  test('readTransactionStream reads any async byte source', async () => {
    async function* chunks() {
      yield bytes('1 2');
      yield bytes('3 4\n5');
    }
    expect(decode(await readTransactionStream(chunks(), 'fimi'))).toEqual([[1, 23, 4], [5]]);
  });
});

const fimi = sharedDir('data/fimi');
describe.skipIf(!fimi.present)(`the FIMI data sets${fimi.skipReason}`, () => {
  // transactions and distinct items from SOURCES.md; item occurrences counted by awk '{ n += NF }'
  test.each([
    ['retail.dat', 88162, 16470, 908576],
    ['chess.dat', 3196, 75, 3196 * 37],
    ['mushroom.dat', 8124, 119, 8124 * 23],
    ['T10I4D100K.dat', 100000, 870, 1010228],
  ])('%s', async (name, nTx, distinct, total) => {
    const db = await readTransactions(join(fimi.path, name));
    expect(nTransactions(db)).toBe(nTx);
    expect(new Set(db.items).size).toBe(distinct);
    expect(db.items.length).toBe(total);
  });
});
