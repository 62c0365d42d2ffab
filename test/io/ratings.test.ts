/** Ratings readers on small inline fixtures, and on the real MovieLens / Last.fm files in ../shared. */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { Interactions } from '../../src/cf/interactions.js';
import { readRatings } from '../../src/io/ratings-file.js';
import { parseRatings, RatingsParser, type RatingColumns, type RatingsOptions } from '../../src/io/ratings.js';
import { GroveArgumentError, GroveDataError } from '../../src/runtime/errors.js';
import { sharedDir } from '../helpers/shared.js';
import { bytes } from './helpers.js';

/** Parses `text` fed in chunks of `size` bytes. */
function parse(text: string, options: RatingsOptions = {}, size = 1 << 20): RatingColumns {
  const parser = new RatingsParser({ source: 't', ...options });
  const all = bytes(text);
  for (let i = 0; i < all.length; i += size) parser.push(all.slice(i, i + size));
  return parser.end();
}

const plain = (c: RatingColumns) => ({ users: c.users, items: c.items, scores: Array.from(c.scores), times: c.times && Array.from(c.times) });

const TIMED = { users: [196, 186, 196], items: [242, 302, 377], scores: [3, 3.5, 1], times: [881250949, 891717742, 878887116] };

describe('ratings readers', () => {
  test('u.data: tab-separated, no header', () => {
    expect(plain(parse('196\t242\t3\t881250949\n186\t302\t3.5\t891717742\n196\t377\t1\t878887116\n'))).toEqual(TIMED);
  });

  test('ratings.dat: "::"-separated', () => {
    expect(plain(parse('196::242::3::881250949\r\n186::302::3.5::891717742\r\n196::377::1::878887116'))).toEqual(TIMED);
  });

  test('CSV with a header (ml-latest-small), columns found by name in any order', () => {
    expect(plain(parse('userId,movieId,rating,timestamp\n196,242,3.0,881250949\n186,302,3.5,891717742\n196,377,1.0,878887116\n'))).toEqual(TIMED);
    const swapped = 'timestamp,rating,movieId,userId\r\n881250949,3,242,196\r\n891717742,3.5,302,186\r\n878887116,1,377,196\r\n';
    expect(plain(parse(swapped))).toEqual(TIMED);
  });

  test('implicit data with a header (Last.fm user_artists.dat), no time column', () => {
    const text = 'userID\tartistID\tweight\r\n2\t51\t13883\r\n2\t52\t11690\r\n3\t51\t7\r\n';
    expect(plain(parse(text))).toEqual({ users: [2, 2, 3], items: [51, 52, 51], scores: [13883, 11690, 7], times: undefined });
  });

  test('string ids stay strings when any id of the column is not a plain integer', () => {
    const c = parse('u1,10,5\nu2,010,4\n7,10,3\n', { format: 'csv' });
    expect(c.users).toEqual(['u1', 'u2', '7']);
    expect(c.items).toEqual(['10', '010', '10']); // "010" is not "10": no numeric collapse
  });

  test('columns chosen by option: names with a header, positions without', () => {
    const text = 'who,what,plays,extra\na,x,3,z\nb,y,4,z\n';
    expect(plain(parse(text, { columns: { user: 'Who', item: 'what', score: 'plays' } }))).toEqual({ users: ['a', 'b'], items: ['x', 'y'], scores: [3, 4], times: undefined });
    expect(plain(parse('5\tx\t1\n6\ty\t2\n', { columns: { user: 2, item: 1, score: 0 } }))).toEqual({ users: [1, 2], items: ['x', 'y'], scores: [5, 6], times: undefined });
    expect(() => parse(text, { columns: { user: 'nobody' } })).toThrow(new GroveDataError('t:1: columns.user: no column "nobody" in the header (who, what, plays, extra)'));
    expect(() => parse('1,2,3\n', { columns: { user: 'u' }, header: false })).toThrow(/has no header/);
  });

  test('header: detected from a non-numeric score, or forced', () => {
    expect(parse('1\t2\t3\n').users).toEqual([1]);
    expect(parse('a\tb\tc\n1\t2\t3\n').users).toEqual([1]);
    expect(parse('1\t2\t3\n4\t5\t6\n', { header: true }).users).toEqual([4]);
    expect(() => parse('u\ti\tr\n1\t2\t3\n', { header: false })).toThrow(new GroveDataError('t:1: score "r" is not a finite number'));
  });

  test.each([1, 2, 3, 5])('chunks of %i bytes give the same columns, in every format', (size) => {
    const files = [
      '196\t242\t3\t881250949\r\n186\t302\t3.5\t891717742\n\n196\t377\t1\t878887116',
      '196::242::3::881250949\n186::302::3.5::891717742\n196::377::1::878887116\n',
      'userId,movieId,rating,timestamp\r\n196,242,3,881250949\r\n186,302,3.5,891717742\r\n196,377,1,878887116\r\n',
    ];
    for (const text of files) expect(plain(parse(text, {}, size))).toEqual(TIMED);
  });

  test('bad lines: file:line and the reason', () => {
    expect(() => parse('1\t2\t3\t4\n1\t2\tx\t4\n')).toThrow(new GroveDataError('t:2: score "x" is not a finite number'));
    expect(() => parse('1\t2\t3\t4\n\n1\t2\t3\n')).toThrow(new GroveDataError('t:3: expected 4 fields like the first record, got 3'));
    expect(() => parse('1::2::3\n1::2::3::4\n')).toThrow(new GroveDataError('t:2: expected 3 fields like the first record, got 4'));
    expect(() => parse('1,2,3,4\n1,2,3,NaN\n')).toThrow(new GroveDataError('t:2: time "NaN" is not a finite number'));
    expect(() => parse('1,2,3\n,2,3\n')).toThrow(new GroveDataError('t:2: the user id is empty'));
    expect(() => parse('1,2\n')).toThrow(new GroveDataError('t:1: expected at least 3 fields (user, item, score), got 2'));
    expect(() => parse('1,2,1e999\n')).toThrow(/t:1: score "1e999" is not a finite number/);
    expect(() => parse('just words\n')).toThrow(/t:1: cannot tell the format/);
    const latin1 = Uint8Array.from([...bytes('1,2,3\n'), 0xe9, ...bytes(',2,3\n')]);
    expect(() => parseRatings(latin1, { source: 't' })).toThrow(new GroveDataError('t:2: the line is not valid UTF-8 text'));
  });

  test('numbers: decimals, signs and exponents read like Number()', () => {
    const c = parse('1,1,0.1\n1,2,-2.75\n1,3,3.7\n1,4,1e3\n1,5, 4.5 \n', { format: 'csv' });
    expect(Array.from(c.scores)).toEqual([0.1, -2.75, 3.7, 1000, 4.5]);
  });

  test('empty input; options are checked', () => {
    expect(plain(parseRatings(new Uint8Array(0)))).toEqual({ users: [], items: [], scores: [], times: undefined });
    expect(() => new RatingsParser({ format: 'xml' as 'csv' })).toThrow(GroveArgumentError);
    expect(() => new RatingsParser({ columns: { user: -1 } })).toThrow(/columns.user must be a column name or a 0-based position/);
    expect(() => new RatingsParser({ colums: {} } as RatingsOptions)).toThrow(/unknown option "colums"/);
  });

  test('straight into Interactions', () => {
    const m = Interactions.fromColumns(parse('u1\tA\t2\nu2\tA\t5\nu1\tB\t1\nu1\tA\t4\n'), { weighting: 'binarize' });
    expect(m.indptr).toEqual(Uint32Array.from([0, 2, 3]));
    expect(m.indices).toEqual(Uint32Array.from([0, 1, 0]));
    expect(m.values).toEqual(Float32Array.from([1, 1, 1]));
  });
});

const movielens = sharedDir('data/movielens');
const lastfm = sharedDir('data/lastfm-hetrec2011-2k');

describe('real files', () => {
  test.skipIf(!movielens.present)(`ml-100k u.data: 100,000 ratings, 943 users, 1,682 items${movielens.skipReason}`, async () => {
    const c = await readRatings(`${movielens.path}/ml-100k/u.data`);
    expect(c.users.length).toBe(100_000);
    expect(c.times?.length).toBe(100_000);
    const m = Interactions.fromColumns(c);
    expect([m.nUsers, m.nItems, m.nnz]).toEqual([943, 1682, 100_000]);
    expect(typeof m.userId(0)).toBe('number');
    // first line: 196 242 3 881250949
    expect([c.users[0], c.items[0], c.scores[0], c.times![0]]).toEqual([196, 242, 3, 881250949]);
    expect(m.values[m.indptr[m.userIndex(196)] + Array.from(m.indices.subarray(m.indptr[m.userIndex(196)], m.indptr[m.userIndex(196) + 1])).indexOf(m.itemIndex(242))]).toBe(3);
  });

  test.skipIf(!movielens.present)(`ml-latest-small ratings.csv: 100,836 ratings, 610 users, 9,724 items${movielens.skipReason}`, async () => {
    const c = await readRatings(`${movielens.path}/ml-latest-small/ratings.csv`);
    const m = Interactions.fromColumns(c);
    expect([c.users.length, m.nUsers, m.nItems, m.nnz]).toEqual([100_836, 610, 9724, 100_836]);
    expect([c.users[0], c.items[0], c.scores[0], c.times![0]]).toEqual([1, 1, 4, 964982703]);
  });

  test.skipIf(!lastfm.present)(`Last.fm user_artists.dat against a plain line count${lastfm.skipReason}`, async () => {
    const path = `${lastfm.path}/user_artists.dat`;
    const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '').slice(1);
    const users = new Set(lines.map((l) => l.split('\t')[0]));
    const items = new Set(lines.map((l) => l.split('\t')[1]));
    const total = lines.reduce((s, l) => s + Number(l.split('\t')[2]), 0);
    const c = await readRatings(path);
    expect(c.times).toBeUndefined();
    const m = Interactions.fromColumns(c, { weighting: 'log1p' });
    expect([c.users.length, m.nUsers, m.nItems, m.nnz]).toEqual([lines.length, users.size, items.size, lines.length]);
    expect(c.scores.reduce((s, x) => s + x, 0)).toBe(total);
  });
});
