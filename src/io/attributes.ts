/**
 * Readers for user and item attribute files, the side information of the cold-start
 * recommenders (cf/demographic.ts, cf/content.ts). Any runtime: they take the file's text or
 * bytes (bytes are read as UTF-8, or as Latin-1 when they are not valid UTF-8, as ML-1M's
 * movies.dat is not).
 *
 * Users → `Map<id, { field: value }>`, values strings:
 * - `pipe`: ML-100K `u.user`, `id|age|gender|occupation|zip`;
 * - `dat`: ML-1M `users.dat`, `id::gender::age::occupation::zip` (age and occupation are
 *   ML-1M's codes: age 1 = under 18, 18 = 18–24, 25, 35, 45, 50, 56 = 56+).
 * Both give the fields `age` (the bucket of `ageBucket`, so both files share one scale),
 * `gender`, `occupation` (ML-1M: its code, e.g. "12"), `zip` and `zipPrefix` (the zip's first
 * character: the US national area, a coarse location). An empty field is left out of the record.
 *
 * Items → `Map<id, genres>`:
 * - `pipe`: ML-100K `u.item`, `id|title|release|video release|url|` then one 0/1 flag per genre
 *   (names from `options.genres`, by default ML-100K's u.genre);
 * - `dat`: ML-1M `movies.dat`, `id::title::Genre|Genre…`;
 * - `csv`: a header naming an id column (movieId, itemId, id …) and a `genres` column holding
 *   `Genre|Genre…`, e.g. ml-latest-small `movies.csv` (RFC 4180: titles with commas are quoted).
 * "(no genres listed)" (ml-latest) is an empty list.
 *
 * Without `format`, the first line decides: `::` → dat, `|` → pipe, else (items) a comma → csv.
 * Ids come back as numbers when every id is a plain non-negative integer (as the ratings readers
 * do, so they match the interactions' ids), else as strings. Blank lines are skipped; a
 * repeated id or a line of the wrong shape is a `GroveDataError` naming `source:line`.
 */
import type { Id } from '../cf/interactions.js';
import { GroveArgumentError, GroveDataError } from '../runtime/errors.js';
import { CsvReader } from './csv.js';
import { allIntegerIds } from './ratings.js';

export type UserAttributeFormat = 'pipe' | 'dat';
export type ItemAttributeFormat = 'pipe' | 'dat' | 'csv';

export interface UserAttributeOptions {
  /** Default: detected from the first line. */
  format?: UserAttributeFormat;
  /** Names the input in error messages. */
  source?: string;
}

export interface ItemAttributeOptions {
  format?: ItemAttributeFormat;
  /** `pipe` only: the genre of each flag column, in order. Default `ML100K_GENRES`. */
  genres?: readonly string[];
  source?: string;
}

/** ML-100K's genres in the order of u.item's flag columns (its u.genre file). */
export const ML100K_GENRES: readonly string[] = [
  'unknown', 'Action', 'Adventure', 'Animation', "Children's", 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy',
  'Film-Noir', 'Horror', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western',
];

/** ML-1M's age ranges by their lower bounds; ages in ML-100K fall into the same buckets. */
const AGE_BUCKETS: ReadonlyArray<[number, string]> = [[56, '56+'], [50, '50-55'], [45, '45-49'], [35, '35-44'], [25, '25-34'], [18, '18-24'], [0, '<18']];

/** The ML-1M age range of `age` in years: '<18', '18-24', '25-34', '35-44', '45-49', '50-55', '56+'. */
export function ageBucket(age: number): string {
  if (typeof age !== 'number' || !Number.isFinite(age) || age < 0) throw new GroveArgumentError(`ageBucket: age must be a finite number ≥ 0. Got ${String(age)}`);
  return AGE_BUCKETS.find(([from]) => age >= from)![1];
}

/** One line's fields and its 1-based line number. */
interface Line {
  fields: string[];
  line: number;
}

const USER_FIELDS: Record<UserAttributeFormat, readonly string[]> = {
  pipe: ['id', 'age', 'gender', 'occupation', 'zip'],
  dat: ['id', 'gender', 'age', 'occupation', 'zip'],
};

/** User attributes of a MovieLens `u.user` or `users.dat` file. */
export function parseUserAttributes(input: string | Uint8Array, options: UserAttributeOptions = {}): Map<Id, Record<string, string>> {
  const fn = 'parseUserAttributes';
  checkOptions(fn, options, ['format', 'source']);
  const source = options.source ?? 'input';
  const text = decode(input, fn);
  const format = options.format ?? detect(text, source, ['dat', 'pipe']);
  if (!['pipe', 'dat'].includes(format)) throw new GroveArgumentError(`${fn}: format must be pipe or dat. Got ${String(format)}`);
  const names = USER_FIELDS[format as UserAttributeFormat];
  const rows = splitLines(text, format === 'dat' ? '::' : '|');
  return keyed(rows, source, (fields, line) => {
    if (fields.length !== names.length) throw new GroveDataError(`${source}:${line}: expected ${names.length} fields (${names.join(', ')}), got ${fields.length}`);
    const record: Record<string, string> = {};
    names.forEach((name, f) => {
      const value = fields[f].trim();
      if (f === 0 || value === '') return;
      if (name === 'age') {
        if (!/^\d{1,3}$/.test(value)) throw new GroveDataError(`${source}:${line}: age ${JSON.stringify(value)} is not a whole number of years`);
        record.age = ageBucket(Number(value));
      } else record[name] = value;
    });
    if (record.zip !== undefined) record.zipPrefix = record.zip[0];
    return record;
  });
}

/** Item genres of a MovieLens `u.item`, `movies.dat` or `movies.csv` file. */
export function parseItemAttributes(input: string | Uint8Array, options: ItemAttributeOptions = {}): Map<Id, string[]> {
  const fn = 'parseItemAttributes';
  checkOptions(fn, options, ['format', 'genres', 'source']);
  const source = options.source ?? 'input';
  const genres = options.genres ?? ML100K_GENRES;
  if (!Array.isArray(genres) || genres.length === 0 || !genres.every((g) => typeof g === 'string' && g !== '')) {
    throw new GroveArgumentError(`${fn}: genres must be a non-empty array of names, one per flag column`);
  }
  const text = decode(input, fn);
  const format = options.format ?? detect(text, source, ['dat', 'pipe', 'csv']);
  if (!['pipe', 'dat', 'csv'].includes(format)) throw new GroveArgumentError(`${fn}: format must be pipe, dat or csv. Got ${String(format)}`);
  if (format === 'pipe') {
    return keyed(splitLines(text, '|'), source, (fields, line) => {
      if (fields.length !== 5 + genres.length) throw new GroveDataError(`${source}:${line}: expected ${5 + genres.length} fields (id, title, release, video release, url and ${genres.length} genre flags), got ${fields.length}`);
      return genres.filter((_, g) => {
        const flag = fields[5 + g].trim();
        if (flag !== '0' && flag !== '1') throw new GroveDataError(`${source}:${line}: the ${genres[g]} flag is ${JSON.stringify(flag)}, not 0 or 1`);
        return flag === '1';
      });
    });
  }
  if (format === 'dat') {
    return keyed(splitLines(text, '::'), source, (fields, line) => {
      if (fields.length !== 3) throw new GroveDataError(`${source}:${line}: expected 3 fields (id, title, genres), got ${fields.length}`);
      return genreList(fields[2]);
    });
  }
  const [header, ...rows] = csvLines(text, source);
  if (!header) return new Map();
  const lower = header.fields.map((f) => f.toLowerCase());
  const idAt = lower.findIndex((f) => ID_NAMES.includes(f));
  const genresAt = lower.indexOf('genres');
  if (idAt < 0 || genresAt < 0) throw new GroveDataError(`${source}:${header.line}: the header needs an id column (${ID_NAMES.join(', ')}) and a genres column; it has ${header.fields.join(', ')}`);
  return keyed(
    rows.map(({ fields, line }) => {
      if (fields.length !== header.fields.length) throw new GroveDataError(`${source}:${line}: expected ${header.fields.length} fields like the header, got ${fields.length}`);
      return { fields: [fields[idAt], fields[genresAt]], line };
    }),
    source,
    (fields) => genreList(fields[1]),
  );
}

const ID_NAMES = ['movieid', 'movie_id', 'itemid', 'item_id', 'id'];

function genreList(field: string): string[] {
  const text = field.trim();
  if (text === '' || text === '(no genres listed)') return [];
  return text.split('|').map((g) => g.trim()).filter((g) => g !== '');
}

/** A Map from each line's id (field 0) to `value(fields, line)`; ids numeric when all are integers. */
function keyed<T>(rows: Line[], source: string, value: (fields: string[], line: number) => T): Map<Id, T> {
  const numeric = allIntegerIds(rows.map(({ fields }) => fields[0].trim()));
  const out = new Map<Id, T>();
  for (const { fields, line } of rows) {
    const text = fields[0].trim();
    if (text === '') throw new GroveDataError(`${source}:${line}: the id is empty`);
    const id = numeric ? Number(text) : text;
    if (out.has(id)) throw new GroveDataError(`${source}:${line}: id ${text} appears twice`);
    out.set(id, value(fields, line));
  }
  return out;
}

function splitLines(text: string, delimiter: string): Line[] {
  const out: Line[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() !== '') out.push({ fields: line.split(delimiter), line: i + 1 });
  });
  return out;
}

function csvLines(text: string, source: string): Line[] {
  const out: Line[] = [];
  let fields: string[] = [];
  const decoder = new TextDecoder();
  const reader = new CsvReader(
    {
      field: (bytes, start, end) => fields.push(decoder.decode(bytes.subarray(start, end))),
      endRecord: (line) => {
        out.push({ fields, line });
        fields = [];
      },
    },
    source,
  );
  reader.push(new TextEncoder().encode(text));
  reader.end();
  return out;
}

function detect<F extends string>(text: string, source: string, allowed: readonly F[]): F {
  const first = text.split('\n').find((l) => l.trim() !== '') ?? '';
  const format = first.includes('::') ? 'dat' : first.includes('|') ? 'pipe' : first.includes(',') ? 'csv' : undefined;
  if (format === undefined && first === '') return allowed[0];
  if (format === undefined || !allowed.includes(format as F)) {
    throw new GroveDataError(`${source}:1: cannot tell the format (expected ${allowed.map((f) => (f === 'dat' ? '"::"' : f === 'pipe' ? '"|"' : 'a comma')).join(', ')} on the first line); pass format: ${allowed.join(' | ')}`);
  }
  return format as F;
}

function decode(input: string | Uint8Array, fn: string): string {
  if (typeof input === 'string') return input.replace(/^\uFEFF/, '');
  if (!(input instanceof Uint8Array)) throw new GroveArgumentError(`${fn}: input must be a string or a Uint8Array of the file's bytes`);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(input);
  } catch {
    return new TextDecoder('latin1').decode(input);
  }
}

function checkOptions(fn: string, options: object, known: readonly string[]): void {
  if (options == null || typeof options !== 'object') throw new GroveArgumentError(`${fn}: options must be an object`);
  for (const key of Object.keys(options)) if (!known.includes(key)) throw new GroveArgumentError(`${fn}: unknown option "${key}" (known: ${known.join(', ')})`);
}
