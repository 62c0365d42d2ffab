/**
 * Round trips through the readers on random inputs: transactions written out with random blanks,
 * line ends and quoting, read back in random chunk sizes, give the transactions back.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { CsvBasketParser } from '../../src/io/baskets.js';
import { FimiParser } from '../../src/io/fimi.js';
import { bytes, decode } from './helpers.js';

function feed(parser: { push(chunk: Uint8Array): void }, all: Uint8Array, size: number): void {
  for (let i = 0; i < all.length; i += size) parser.push(all.slice(i, i + size));
}

test('FIMI: any blanks, CRLF and chunking read back the same transactions', () => {
  const blank = fc.constantFrom(' ', '  ', '\t', ' \t ');
  const line = fc.tuple(fc.array(fc.nat({ max: 5000 }), { maxLength: 8 }), blank, fc.boolean(), fc.boolean());
  fc.assert(
    fc.property(fc.array(line, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 64 }), (lines, size) => {
      const text = lines
        .map(([items, sep, trailing, crlf]) => items.join(sep) + (trailing ? sep : '') + (crlf ? '\r\n' : '\n'))
        .join('');
      const parser = new FimiParser('p.dat');
      feed(parser, bytes(text), size);
      expect(decode(parser.end())).toEqual(lines.map(([items]) => items));
    }),
  );
});

test('CSV rows: quoted fields with commas, quotes, line breaks and any text survive any chunking', () => {
  // labels without edge blanks (unquoted fields are trimmed); some need quotes, some not
  const label = fc.string({ unit: fc.constantFrom('a', 'b', 'é', '日', ',', '"', '\n', ' ', 'x'), minLength: 1, maxLength: 6 })
    .filter((s) => s.trim() === s);
  const row = fc.array(fc.tuple(label, fc.boolean()), { minLength: 1, maxLength: 6 });
  fc.assert(
    fc.property(fc.array(row, { minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 32 }), fc.boolean(), (rows, size, crlf) => {
      const field = ([s, quote]: [string, boolean]) => (quote || /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
      const text = rows.map((r) => r.map(field).join(' , ')).join(crlf ? '\r\n' : '\n');
      const parser = new CsvBasketParser({ source: 'p.csv' });
      feed(parser, bytes(text), size);
      expect(decode(parser.end())).toEqual(rows.map((r) => r.map(([s]) => s)));
    }),
  );
});
