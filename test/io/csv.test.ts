/** CSV records and CSV baskets, against hand-written expectations. */
import { describe, expect, test } from 'vitest';
import { CsvBasketParser, parseCsvBaskets, type CsvBasketOptions } from '../../src/io/baskets.js';
import { CsvReader } from '../../src/io/csv.js';
import { GroveDataError } from '../../src/runtime/errors.js';
import { bytes, decode } from './helpers.js';

/** Records of `text` fed in chunks of `size` bytes, with their line numbers. */
function records(text: string, size = 1 << 20): Array<[string[], number]> {
  const rows: Array<[string[], number]> = [];
  let fields: string[] = [];
  const reader = new CsvReader({
    field: (b, start, end) => fields.push(new TextDecoder().decode(b.subarray(start, end))),
    endRecord: (line) => {
      rows.push([fields, line]);
      fields = [];
    },
  }, 't.csv');
  const all = bytes(text);
  for (let i = 0; i < all.length; i += size) reader.push(all.slice(i, i + size));
  reader.end();
  return rows;
}

function baskets(text: string, options: CsvBasketOptions = {}, size = 1 << 20): unknown[][] {
  const parser = new CsvBasketParser({ source: 't.csv', ...options });
  const all = bytes(text);
  for (let i = 0; i < all.length; i += size) parser.push(all.slice(i, i + size));
  return decode(parser.end());
}

describe('CsvReader (RFC 4180)', () => {
  test('plain records, LF and CRLF, a missing final newline', () => {
    expect(records('a,b,c\r\nd,e\nf')).toEqual([[['a', 'b', 'c'], 1], [['d', 'e'], 2], [['f'], 3]]);
  });

  test('quoted fields hold commas, doubled quotes and line breaks; line numbers count physical lines', () => {
    const text = '"x, y","say ""hi""",z\n"two\nlines",w\nlast,""\n';
    expect(records(text)).toEqual([
      [['x, y', 'say "hi"', 'z'], 1],
      [['two\nlines', 'w'], 2],
      [['last', ''], 4],
    ]);
  });

  test('blanks around fields are trimmed, blanks inside quotes are kept', () => {
    expect(records('  a , b\t,  " c " ,d  \n')).toEqual([[['a', 'b', ' c ', 'd'], 1]]);
  });

  test('empty fields, trailing commas; blank lines are skipped', () => {
    expect(records('a,,b,\n\n   \n,\n')).toEqual([[['a', '', 'b', ''], 1], [['', ''], 4]]);
  });

  test('a quote inside an unquoted field is an ordinary character', () => {
    expect(records('5" screen,b\n')).toEqual([[['5" screen', 'b'], 1]]);
  });

  test('UTF-8 characters split across chunks, and a byte order mark', () => {
    const text = '\ufeffcafé,crème brûlée,日本\n';
    for (const size of [1, 2, 3]) expect(records(text, size)).toEqual([[['café', 'crème brûlée', '日本'], 1]]);
  });

  test.each([1, 2, 3, 4, 7])('chunks of %i bytes give the same records', (size) => {
    const text = '"x, y","say ""hi""",z\r\n"two\nlines" , w\n\nlast,""\n  q  ,"r"';
    expect(records(text, size)).toEqual(records(text));
  });

  test('blanks are trimmed across chunk ends too', () => {
    for (const size of [1, 2, 3]) expect(records('ab  \t, c \n  d  ', size)).toEqual([[['ab', 'c'], 1], [['d'], 2]]);
  });

  test('errors: an unclosed quote, text after a closing quote', () => {
    expect(() => records('a,b\n"open,c\nd\n')).toThrow(new GroveDataError('t.csv:2: a quoted field is never closed'));
    expect(() => records('a\n"q"x,b\n')).toThrow(new GroveDataError('t.csv:2: unexpected "x" after a closing quote (write a quote inside a quoted field as "")'));
  });
});

describe('CSV baskets', () => {
  test('one basket per row: the non-empty fields, as string labels', () => {
    expect(baskets('milk,bread\n eggs , ,milk,\n"jam, strawberry"\n')).toEqual([
      ['milk', 'bread'],
      ['eggs', 'milk'],
      ['jam, strawberry'],
    ]);
    const db = parseCsvBaskets(bytes('1,2\n2\n'));
    expect(db.labels).toEqual(['1', '2']); // CSV items are labels, never numbers
  });

  test('a row of empty fields is an empty basket; a blank line is no basket', () => {
    expect(baskets('a\n,\n\nb\n')).toEqual([['a'], [], ['b']]);
  });

  test('header row', () => {
    expect(baskets('item1,item2\na,b\n', { header: true })).toEqual([['a', 'b']]);
    expect(baskets('item1,item2\na,b\n')).toEqual([['item1', 'item2'], ['a', 'b']]);
  });

  test('long format: transactions in order of first appearance, rows need not be adjacent', () => {
    const text = 'order,product,qty\n7,milk,1\n3,bread,2\n7,eggs,1\n3,milk,1\n9,jam,1\n7,butter,3\n';
    expect(baskets(text, { long: true, header: true })).toEqual([
      ['milk', 'eggs', 'butter'],
      ['bread', 'milk'],
      ['jam'],
    ]);
    expect(baskets('a,x\nb,y\na,z\n', { long: true }, 2)).toEqual([['x', 'z'], ['y']]);
  });

  test('long format: a row without an item is an error with its line', () => {
    expect(() => baskets('t1,milk\n\nt2\n', { long: true })).toThrow(new GroveDataError('t.csv:3: expected a "transaction,item" pair; got 1 field'));
    expect(() => baskets('t1,milk\n,bread\n', { long: true })).toThrow(new GroveDataError('t.csv:2: expected a "transaction,item" pair; the transaction is empty'));
    expect(() => baskets('t1,milk\nt2, \n', { long: true })).toThrow(new GroveDataError('t.csv:2: expected a "transaction,item" pair; the item is empty'));
  });

  test('invalid UTF-8 in a label is an error with its line', () => {
    const parser = new CsvBasketParser({ source: 'bad.csv' });
    expect(() => parser.push(new Uint8Array([0x61, 0x0a, 0xff, 0x0a]))).toThrow(new GroveDataError('bad.csv:2: the file is not valid UTF-8 text'));
  });

  test('many distinct labels (the id table grows) keep their first-appearance ids', () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `item${i},item${(i * 7) % 3000},é${i % 10}`);
    const db = parseCsvBaskets(bytes(rows.join('\n')));
    expect(decode(db)).toEqual(rows.map((r) => r.split(',')));
    expect(db.labels.slice(0, 4)).toEqual(['item0', 'é0', 'item1', 'item7']);
    expect(new Set(db.labels).size).toBe(db.labels.length);
  });

  test('an empty file has no transactions', () => {
    for (const long of [false, true]) {
      const db = parseCsvBaskets(new Uint8Array(0), { long });
      expect(Array.from(db.offsets)).toEqual([0]);
    }
  });
});
