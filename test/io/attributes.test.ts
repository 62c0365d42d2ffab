/** User and item attribute readers on small inline fixtures, and on the real MovieLens files in ../shared. */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ML100K_GENRES, ageBucket, parseItemAttributes, parseUserAttributes } from '../../src/io/attributes.js';
import { GroveArgumentError, GroveDataError } from '../../src/runtime/errors.js';
import { sharedDir } from '../helpers/shared.js';
import { bytes } from './helpers.js';

/** A u.item line: id, title, five fields, then 19 flags with 1 at the given genre positions. */
const uItem = (id: number | string, title: string, on: number[]) =>
  [id, title, '01-Jan-1995', '', 'http://x', ...ML100K_GENRES.map((_, g) => (on.includes(g) ? 1 : 0))].join('|');

describe('ageBucket', () => {
  test("ML-1M's ranges, the lower bounds being ML-1M's age codes", () => {
    const cases: Array<[number, string]> = [[0, '<18'], [1, '<18'], [17, '<18'], [18, '18-24'], [24, '18-24'], [25, '25-34'], [34, '25-34'], [35, '35-44'], [45, '45-49'], [49, '45-49'], [50, '50-55'], [55, '50-55'], [56, '56+'], [73, '56+']];
    for (const [age, bucket] of cases) expect(ageBucket(age), String(age)).toBe(bucket);
    for (const bad of [-1, NaN, Infinity, '30']) expect(() => ageBucket(bad as number)).toThrow(GroveArgumentError);
  });
});

describe('parseUserAttributes', () => {
  const expected = new Map([
    [1, { age: '18-24', gender: 'M', occupation: 'technician', zip: '85711', zipPrefix: '8' }],
    [2, { age: '50-55', gender: 'F', occupation: 'other', zip: 'T8H1N', zipPrefix: 'T' }],
  ]);

  test('u.user (pipe): id|age|gender|occupation|zip, ages bucketed, CRLF and blank lines', () => {
    expect(parseUserAttributes('1|24|M|technician|85711\r\n\r\n2|53|F|other|T8H1N\r\n')).toEqual(expected);
  });

  test('users.dat: id::gender::age::occupation::zip with ML-1M age codes, same fields', () => {
    const got = parseUserAttributes('1::F::1::10::48067\n2::M::56::16::70072\n');
    expect(got).toEqual(new Map([
      [1, { gender: 'F', age: '<18', occupation: '10', zip: '48067', zipPrefix: '4' }],
      [2, { gender: 'M', age: '56+', occupation: '16', zip: '70072', zipPrefix: '7' }],
    ]));
  });

  test('bytes with a BOM, string ids, and empty fields left out', () => {
    const got = parseUserAttributes(bytes('\uFEFFa1|30|F||\nb2||M|writer|02139\n'));
    expect(got).toEqual(new Map([
      ['a1', { age: '25-34', gender: 'F' }],
      ['b2', { gender: 'M', occupation: 'writer', zip: '02139', zipPrefix: '0' }],
    ]));
    expect(parseUserAttributes('')).toEqual(new Map());
  });

  test('errors name the line', () => {
    const cases: Array<[string, RegExp]> = [
      ['1|24|M|technician|85711\n2|53|F|other\n', /input:2: expected 5 fields \(id, age, gender, occupation, zip\), got 4/],
      ['1|24|M|technician|85711\n1|30|F|other|1\n', /input:2: id 1 appears twice/],
      ['1|24.5|M|x|1\n', /input:1: age "24.5" is not a whole number of years/],
      ['|24|M|x|1\n', /input:1: the id is empty/],
      ['1,24,M,x,1\n', /cannot tell the format/],
    ];
    for (const [text, message] of cases) expect(() => parseUserAttributes(text), text).toThrow(message);
    expect(() => parseUserAttributes('1|24|M|x|1\n1|24|M|x|1\n', { source: 'u.user' })).toThrow(/^u\.user:2:/);
    expect(() => parseUserAttributes('1|2|M|x|1', { format: 'csv' as never })).toThrow(GroveArgumentError);
    expect(() => parseUserAttributes('1|2|M|x|1', { sep: '|' } as never)).toThrow(/unknown option "sep"/);
    expect(() => parseUserAttributes(42 as never)).toThrow(/string or a Uint8Array/);
  });
});

describe('parseItemAttributes', () => {
  test('u.item (pipe): the genres whose flag is 1, titles with commas and colons unharmed', () => {
    const text = `${uItem(1, 'Toy Story (1995)', [3, 4, 5])}\n${uItem(2, 'American President, The (1995)', [5, 8, 14])}\n${uItem(3, 'Star Wars: Episode IV (1977)', [])}\n`;
    expect(parseItemAttributes(text)).toEqual(new Map([[1, ['Animation', "Children's", 'Comedy']], [2, ['Comedy', 'Drama', 'Romance']], [3, []]]));
    expect(parseItemAttributes('7|T|d||u|1|0\n', { genres: ['Noir', 'Pulp'] })).toEqual(new Map([[7, ['Noir']]]));
  });

  test('movies.dat: id::title::Genre|Genre, read as Latin-1 when not UTF-8', () => {
    const text = "1::Toy Story (1995)::Animation|Children's|Comedy\n2::Misérables, Les (1995)::Drama|Musical\n";
    const latin1 = Uint8Array.from(text, (c) => c.charCodeAt(0)); // é is one byte, 0xE9: invalid UTF-8
    const expected = new Map([[1, ['Animation', "Children's", 'Comedy']], [2, ['Drama', 'Musical']]]);
    expect(parseItemAttributes(latin1)).toEqual(expected);
    expect(parseItemAttributes(bytes(text))).toEqual(expected);
  });

  test('movies.csv: a real CSV parse (quoted titles with commas and quotes), columns by header name', () => {
    const text = 'movieId,title,genres\n11,"American President, The (1995)",Comedy|Drama|Romance\n12,"The ""Best"" Film, Part 2",(no genres listed)\n13,Heat (1995),Action|Crime|Thriller\n';
    expect(parseItemAttributes(text)).toEqual(new Map([[11, ['Comedy', 'Drama', 'Romance']], [12, []], [13, ['Action', 'Crime', 'Thriller']]]));
    expect(parseItemAttributes('genres,name,itemId\r\nA|B,x,i1\r\n')).toEqual(new Map([['i1', ['A', 'B']]]));
  });

  test('errors name the line', () => {
    const cases: Array<[string, RegExp]> = [
      [`${uItem(1, 'A', [1])}\n2|B|x|y|z|0\n`, /input:2: expected 24 fields/],
      [uItem(1, 'A', [1]).replace(/\|1\|/, '|2|'), /input:1: the Action flag is "2", not 0 or 1/],
      ['1::A::Drama\n2::B\n', /input:2: expected 3 fields \(id, title, genres\), got 2/],
      ['1::A::Drama\n1::B::Comedy\n', /input:2: id 1 appears twice/],
      ['movieId,title\n1,A\n', /input:1: the header needs an id column .* and a genres column/],
      ['movieId,title,genres\n1,A\n', /input:2: expected 3 fields like the header, got 2/],
      ['1 A Drama\n', /cannot tell the format/],
    ];
    for (const [text, message] of cases) expect(() => parseItemAttributes(text), text).toThrow(message);
    expect(() => parseItemAttributes('1|A', { genres: [] })).toThrow(/genres must be a non-empty array/);
    expect(() => parseItemAttributes('1|A', { format: 'tsv' as never })).toThrow(/format must be pipe, dat or csv/);
    expect(() => parseItemAttributes('1::A::B\n', { source: 'movies.dat', format: 'pipe' })).toThrow(GroveDataError);
  });
});

const ml = sharedDir('data/movielens');

describe.skipIf(!ml.present)(`attribute readers on the MovieLens files${ml.skipReason}`, () => {
  const read = (path: string) => readFileSync(`${ml.path}/${path}`);

  test('ML-100K u.user: 943 users', () => {
    const users = parseUserAttributes(read('ml-100k/u.user'));
    expect(users.size).toBe(943);
    expect(users.get(1)).toEqual({ age: '18-24', gender: 'M', occupation: 'technician', zip: '85711', zipPrefix: '8' });
    expect(users.get(943)).toEqual({ age: '18-24', gender: 'M', occupation: 'student', zip: '77841', zipPrefix: '7' });
    expect(new Set([...users.values()].map((u) => u.gender))).toEqual(new Set(['M', 'F']));
  });

  test('ML-1M users.dat: 6,040 users', () => {
    const users = parseUserAttributes(read('ml-1m/users.dat'));
    expect(users.size).toBe(6040);
    expect(users.get(1)).toEqual({ gender: 'F', age: '<18', occupation: '10', zip: '48067', zipPrefix: '4' });
    expect(users.get(2)).toEqual({ gender: 'M', age: '56+', occupation: '16', zip: '70072', zipPrefix: '7' });
    expect(new Set([...users.values()].map((u) => u.age)).size).toBe(7);
  });

  test('ML-100K u.item: 1,682 movies with genres', () => {
    const items = parseItemAttributes(read('ml-100k/u.item'));
    expect(items.size).toBe(1682);
    expect(items.get(1)).toEqual(['Animation', "Children's", 'Comedy']);
    expect(items.get(2)).toEqual(['Action', 'Adventure', 'Thriller']);
    expect([...items.values()].every((g) => g.length > 0)).toBe(true);
  });

  test('ML-1M movies.dat (Latin-1): 3,883 movies', () => {
    const items = parseItemAttributes(read('ml-1m/movies.dat'));
    expect(items.size).toBe(3883);
    expect(items.get(1)).toEqual(['Animation', "Children's", 'Comedy']);
    expect(items.get(3952)).toEqual(['Drama', 'Thriller']);
  });

  test('ml-latest-small movies.csv: 9,742 movies, quoted titles parsed', () => {
    const items = parseItemAttributes(read('ml-latest-small/movies.csv'));
    expect(items.size).toBe(9742);
    expect(items.get(11)).toEqual(['Comedy', 'Drama', 'Romance']); // "American President, The (1995)"
    expect(items.get(29)).toEqual(['Adventure', 'Drama', 'Fantasy', 'Mystery', 'Sci-Fi']); // two commas in the title
    expect(items.get(114335)).toEqual([]); // (no genres listed)
  });
});
