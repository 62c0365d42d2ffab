/** FIMI / SPMF parsing: expected transactions are written out by hand for each input. */
import { describe, expect, test } from 'vitest';
import type { EncodedDb } from '../../src/fim/encode.js';
import { FimiParser, parseFimi } from '../../src/io/fimi.js';
import { GroveDataError } from '../../src/runtime/errors.js';
import { bytes, decode } from './helpers.js';

/** Parses `text` fed in chunks of `size` bytes. */
function chunked(text: string, size: number): EncodedDb {
  const all = bytes(text);
  const parser = new FimiParser('t.dat');
  for (let i = 0; i < all.length; i += size) parser.push(all.slice(i, i + size));
  return parser.end();
}

function errorOf(run: () => unknown): Error {
  try {
    run();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

describe('parseFimi', () => {
  test('lines, trailing blanks, tabs and CRLF', () => {
    expect(decode(parseFimi(bytes('1 3 9 \n2\t4\r\n  7  8\n')))).toEqual([[1, 3, 9], [2, 4], [7, 8]]);
  });

  test('a final newline ends the last transaction; a missing one is fine', () => {
    expect(decode(parseFimi(bytes('1 2\n3\n')))).toEqual([[1, 2], [3]]);
    expect(decode(parseFimi(bytes('1 2\n3')))).toEqual([[1, 2], [3]]);
    expect(decode(parseFimi(bytes('1 2\n3 ')))).toEqual([[1, 2], [3]]);
  });

  test('empty lines are empty transactions (Borgelt), blanks after the last newline are not', () => {
    expect(decode(parseFimi(bytes('1\n\n2\n\n')))).toEqual([[1], [], [2], []]);
    expect(decode(parseFimi(bytes('\n')))).toEqual([[]]);
    expect(decode(parseFimi(bytes('1\n  ')))).toEqual([[1]]);
  });

  test('an empty input is an empty database', () => {
    const db = parseFimi(new Uint8Array(0));
    expect(Array.from(db.offsets)).toEqual([0]);
    expect(db.items.length).toBe(0);
  });

  test('SPMF comment and metadata lines are skipped, not counted', () => {
    const text = '# comment\n@CONVERTED_FROM_TEXT\n1 2\n  % note\n3\n';
    expect(decode(parseFimi(bytes(text)))).toEqual([[1, 2], [3]]);
  });

  test('a UTF-8 byte order mark is ignored', () => {
    expect(decode(parseFimi(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('5 6\n')])))).toEqual([[5, 6]]);
  });

  test('dense ids are their own labels; sparse ids are compacted, labels keep the values', () => {
    const dense = parseFimi(bytes('0 2\n5\n'));
    expect(dense.labels).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(dense.items)).toEqual([0, 2, 5]);
    const sparse = parseFimi(bytes('4000000000 7\n7 4294967295\n'));
    expect(sparse.labels).toEqual([4000000000, 7, 4294967295]);
    expect(decode(sparse)).toEqual([[4000000000, 7], [7, 4294967295]]);
  });

  test('leading zeros are the same item', () => {
    expect(decode(parseFimi(bytes('007 7\n')))).toEqual([[7, 7]]);
  });

  const samples = [
    '1 3 9 \n2\t4\r\n\n  7  8\n# c\n10 200 3000 40000\n',
    '12345 678\r\n\r\n9\n',
    '# only a comment without newline',
    '1 2 3 5 ',
  ];
  test.each([1, 2, 3, 5, 7])('chunks of %i bytes give the same result as one buffer', (size) => {
    for (const text of samples) {
      const whole = parseFimi(bytes(text));
      const parts = chunked(text, size);
      expect(decode(parts)).toEqual(decode(whole));
      expect(parts.labels).toEqual(whole.labels);
    }
  });

  test('the chunk a parser was given may be reused afterwards', () => {
    const parser = new FimiParser();
    const buffer = new Uint8Array(4);
    for (const piece of ['12 3', '4\n56', ' 7\n']) {
      buffer.set(bytes(piece));
      parser.push(buffer.subarray(0, piece.length));
    }
    expect(decode(parser.end())).toEqual([[12, 34], [56, 7]]);
  });
});

describe('parseFimi errors name the source, the line and the token', () => {
  test.each([
    ['1 2\n3 x4 5\n', 't.dat:2: "x4" is not an item id (expected a non-negative integer)'],
    ['1 2\n\n3 4a\n', 't.dat:3: "4a" is not an item id (expected a non-negative integer)'],
    ['1\r\n-5 2\n', 't.dat:2: "-5" is negative; item ids are non-negative integers'],
    ['1 2-3\n', 't.dat:1: "2-3" is not an item id (expected a non-negative integer)'],
    ['1 2.5\n', 't.dat:1: "2.5" is not an item id (expected a non-negative integer)'],
    ['1\n2\n4294967296\n', 't.dat:3: "4294967296" exceeds the largest item id 4294967295'],
    ['1\n4294967296', 't.dat:2: "4294967296" exceeds the largest item id 4294967295'],
    ['1 00000000000000000000123456789012345678901234567890', 't.dat:1: "0000000000000000000012345678901234567890" exceeds the largest item id 4294967295'],
    ['1 12x', 't.dat:1: "12x" is not an item id (expected a non-negative integer)'],
    ['1 # not a comment here\n', 't.dat:1: "#" is not an item id (expected a non-negative integer)'],
    ['# c\n1,2\n', 't.dat:2: "1,2" is not an item id (expected a non-negative integer)'],
  ])('%j', (text, message) => {
    for (const size of [1, 2, 3, 1 << 20]) {
      const err = errorOf(() => chunked(text, size));
      expect(err).toBeInstanceOf(GroveDataError);
      expect(err.message).toBe(message);
    }
  });

  test('letters (a text transaction file) are refused on line 1', () => {
    expect(() => parseFimi(bytes('f a c d\n'), 'hpy.txt')).toThrow('hpy.txt:1: "f" is not an item id');
  });
});
