/** Numeric CSV tables (src/io/table.ts) on small hand-written inputs, whole and in small chunks. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { parseNumber } from '../../src/io/number.js';
import { TableParser, parseTable, type NumericTable, type TableOptions } from '../../src/io/table.js';
import { readTable } from '../../src/io/table-file.js';
import { GroveDataError } from '../../src/runtime/errors.js';
import { bytes } from './helpers.js';

/** `text` parsed whole, then again fed `size` bytes at a time; both must agree. */
function table(text: string, options: TableOptions = {}, size = 3): NumericTable {
  const whole = parseTable(bytes(text), { source: 't.csv', ...options });
  const parser = new TableParser({ source: 't.csv', ...options });
  const all = bytes(text);
  for (let i = 0; i < all.length; i += size) parser.push(all.slice(i, i + size));
  expect(parser.end()).toEqual(whole);
  return whole;
}

const rows = (t: NumericTable) => Array.from({ length: t.X.rows }, (_, r) => Array.from(t.X.data.subarray(r * t.X.cols, (r + 1) * t.X.cols)));
const error = (text: string, options: TableOptions = {}) => () => parseTable(bytes(text), { source: 't.csv', ...options });

describe('parseTable', () => {
  test('a header, numbers as float32, every column a feature by default', () => {
    const t = table('a,b\n1,2.5\n-3,0.1\n');
    expect(t.names).toEqual(['a', 'b']);
    expect(t.featureNames).toEqual(['a', 'b']);
    expect(rows(t)).toEqual([[1, 2.5], [-3, Math.fround(0.1)]]);
    expect(Array.from(t.lines)).toEqual([2, 3]);
    expect(t.label).toBeUndefined();
  });

  test('empty, NA, NaN, nan and ? are missing; blanks around fields are trimmed', () => {
    const t = table('a,b,c,d,e,f\n,NA,NaN,nan,?, 7 \n');
    expect(rows(t)[0].slice(0, 5).every(Number.isNaN)).toBe(true);
    expect(rows(t)[0][5]).toBe(7);
  });

  test('quoted fields, CRLF line ends, a byte order mark, blank lines, no final newline', () => {
    const t = table('\uFEFF"x, 1",y\r\n"1.5",2\r\n\r\n3,"4"');
    expect(t.names).toEqual(['x, 1', 'y']);
    expect(rows(t)).toEqual([[1.5, 2], [3, 4]]);
    expect(Array.from(t.lines)).toEqual([2, 4]);
  });

  test('exponents, signs and long decimals read as Number() reads them, then rounded to float32', () => {
    const t = table('a,b,c,d\n1e3,+2,-.5,0.12345678901234567890\n');
    expect(rows(t)).toEqual([[1000, 2, -0.5, Math.fround(0.12345678901234568)]]);
  });

  test('select: features in the chosen order, one label kept as text and number, other columns unread', () => {
    const t = table('id,y,f1,f2\nzz,cat,1,2\nqq,7,3,?\n', { select: () => ({ features: [3, 2], label: 1 }) });
    expect(t.featureNames).toEqual(['f2', 'f1']);
    expect(rows(t)).toEqual([[2, 1], [NaN, 3]]);
    expect(t.label!.name).toBe('y');
    expect(t.label!.texts).toEqual(['cat', '7']);
    expect(Array.from(t.label!.values)).toEqual([NaN, 7]);
  });

  test('header: false names the columns c0, c1, … and reads the first record as data', () => {
    const t = table('5,x\n6,y\n', { header: false, select: (names) => ({ features: [0], label: names.indexOf('c1') }) });
    expect(t.names).toEqual(['c0', 'c1']);
    expect(rows(t)).toEqual([[5], [6]]);
    expect(t.label!.texts).toEqual(['x', 'y']);
    expect(Array.from(t.lines)).toEqual([1, 2]);
  });

  test('a header alone gives 0 rows', () => {
    const t = table('a,b\n');
    expect(t.X).toEqual({ data: new Float32Array(0), rows: 0, cols: 2 });
  });

  test('errors name the line and column', () => {
    expect(error('workclass,age\n1,2\n"Private",3\n')).toThrow(new GroveDataError('t.csv: categorical column "workclass" (line 3: "Private"): encode it as numbers (one-hot or codes) first'));
    expect(error('a,b\n1,2\n3\n')).toThrow(new GroveDataError('t.csv:3: expected 2 fields like the header, got 1'));
    expect(error('1,2\n3,4,5\n', { header: false })).toThrow(new GroveDataError('t.csv:2: expected 2 fields like the first record, got 3'));
    expect(error('a\n1e39\n')).toThrow(/t\.csv:2: column "a" holds 1e39, beyond float32's range/);
    expect(error('a\n-Infinity\n')).toThrow(/column "a" holds -Infinity, beyond float32's range/);
    expect(error('a,a\n1,2\n')).toThrow(new GroveDataError('t.csv:1: column name "a" appears twice (columns 0 and 1, counting from 0)'));
    expect(error('y,a\nNA,1\n', { select: () => ({ features: [1], label: 0 }) })).toThrow(new GroveDataError('t.csv:2: the label column "y" is empty or missing ("NA")'));
    expect(error('')).toThrow(/t\.csv: the input is empty \(expected a header row/);
    expect(error('a\n0x10\n')).toThrow(/categorical column "a" \(line 2: "0x10"\)/);
  });

  test('a bad value in a skipped column is not an error', () => {
    expect(rows(table('note,x\nhello,1\n', { select: () => ({ features: [1] }) }))).toEqual([[1]]);
  });
});

describe('parseNumber', () => {
  const parse = (text: string) => parseNumber(bytes(text), 0, bytes(text).length);

  test('equals Number() on decimal text, NaN on anything else', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 20 }), (x, digits) => {
        for (const text of [String(x), x.toFixed(digits), x.toExponential(Math.min(digits, 16))]) {
          const want = Number(text); // rounding to 0 digits may overflow: "2e+308"
          expect(parse(text)).toBe(Number.isFinite(want) ? want : NaN);
        }
      }),
    );
    for (const text of ['', '-', '.', 'abc', '1.2.3', '0x1A', '1e400', 'Infinity', '1,5']) expect(parse(text)).toBeNaN();
  });
});

describe('readTable', () => {
  const dir = mkdtempSync(join(tmpdir(), 'grove-table-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const text = 'a,b\n1,2\n3,NA\n';

  test('reads a plain file and the same file gzip\'d, whatever its name', async () => {
    writeFileSync(join(dir, 't.csv'), text);
    writeFileSync(join(dir, 't.csv.gz'), gzipSync(text));
    writeFileSync(join(dir, 'zipped.csv'), gzipSync(text));
    const plain = await readTable(join(dir, 't.csv'));
    expect(rows(plain)).toEqual([[1, 2], [3, NaN]]);
    expect(await readTable(join(dir, 't.csv.gz'))).toEqual(plain);
    expect(await readTable(join(dir, 'zipped.csv'))).toEqual(plain);
  });

  test('a broken gzip stream is a data error naming the file', async () => {
    const gz = gzipSync(text);
    const path = join(dir, 'broken.csv.gz');
    writeFileSync(path, gz.subarray(0, gz.length - 12));
    await expect(readTable(path)).rejects.toThrow(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not a valid gzip file`));
    const bad = Buffer.from(gz);
    bad[12] ^= 0xff;
    writeFileSync(path, bad);
    await expect(readTable(path)).rejects.toBeInstanceOf(GroveDataError);
  });

  test('a missing file is the system error, with its path', async () => {
    await expect(readTable(join(dir, 'nope.csv'))).rejects.toMatchObject({ code: 'ENOENT', path: join(dir, 'nope.csv') });
  });
});
