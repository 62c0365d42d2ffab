/**
 * Rating and implicit-feedback files as `(user, item, score[, time])` columns for
 * `Interactions.fromColumns`, parsed from bytes as they arrive (any runtime; Node's file reader
 * is in ratings-file.ts). Formats:
 * - `tsv`: tab-separated, MovieLens `u.data` (`user item rating timestamp`, no header) and
 *   Last.fm `user_artists.dat` (`userID artistID weight`, with a header);
 * - `dat`: `::`-separated, MovieLens `ratings.dat` (`user::item::rating::timestamp`);
 * - `csv`: RFC 4180 (CsvReader), e.g. ml-latest-small `ratings.csv`
 *   (`userId,movieId,rating,timestamp`).
 * Without `format`, the first line decides: `::` → dat, a tab → tsv, a comma → csv.
 *
 * Columns: `columns.user` / `item` / `score` / `time` pick a column by header name
 * (case-insensitive) or 0-based position. Unpicked ones are found in a header by their usual
 * names (userId, movieId, artistID, rating, weight, timestamp, …), else by position: user 0,
 * item 1, score 2, and time 3 when a fourth column exists (headerless files only).
 * Header: `header` says whether the first record names the columns; by default it does exactly
 * when its score field does not start like a number (scores are always numeric).
 * Every record must have as many fields as the first one. Ids come back as numbers when every id
 * of that column is a plain non-negative integer, else as strings. Errors name `source:line`.
 */
import type { Id, InteractionColumns } from '../cf/interactions.js';
import { GroveArgumentError, GroveDataError } from '../runtime/errors.js';
import { ByteIds } from './byte-ids.js';
import { CsvReader, type CsvSink } from './csv.js';
import { DelimitedReader } from './ratings-lines.js';
import { parseNumber } from './number.js';
import { U32List } from './u32-list.js';

export type RatingsFormat = 'tsv' | 'dat' | 'csv';

export interface RatingsOptions {
  /** Default: detected from the first line. */
  format?: RatingsFormat;
  /** Whether the first record is a header. Default: detected (see above). */
  header?: boolean;
  /** Which column holds what, by header name or 0-based position. */
  columns?: { user?: string | number; item?: string | number; score?: string | number; time?: string | number };
  /** Names the input in error messages. */
  source?: string;
}

/** The parsed columns; `times` only when the file has a time column. */
export interface RatingColumns extends InteractionColumns {
  users: Id[];
  items: Id[];
  scores: Float64Array;
  times?: Float64Array;
}

export const RATINGS_FORMATS: readonly RatingsFormat[] = ['tsv', 'dat', 'csv'];
const ROLES = ['user', 'item', 'score', 'time'] as const;
type Role = (typeof ROLES)[number];
const USER = 0;
const ITEM = 1;
const SCORE = 2;
const TIME = 3;
const KNOWN_NAMES: Record<Role, readonly string[]> = {
  user: ['userid', 'user_id', 'user'],
  item: ['movieid', 'movie_id', 'itemid', 'item_id', 'item', 'artistid', 'artist_id', 'trackid', 'track_id'],
  score: ['rating', 'score', 'weight', 'count', 'plays', 'playcount', 'play_count', 'value'],
  time: ['timestamp', 'time', 'ts'],
};
const NL = 10;
const MAX_FIRST_LINE = 1 << 16;

/** Incremental parser: `push` byte chunks in file order (they may be reused afterwards), then `end`. */
export class RatingsParser implements CsvSink {
  private readonly source: string;
  private reader?: { push(chunk: Uint8Array): void; end(): void; line: number };
  /** Chunks held until the first line is complete (format detection). */
  private held: Uint8Array[] = [];
  private format?: RatingsFormat;
  /** Role of each field position (-1: ignored); empty until the first record is read. */
  private roles: number[] = [];
  private nFields = 0;
  private firstFields: string[] | null = [];
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  private readonly userIds = new ByteIds();
  private readonly itemIds = new ByteIds();
  private readonly users = new U32List();
  private readonly items = new U32List();
  private scores: Float64Array = new Float64Array(1 << 12);
  private times: Float64Array = new Float64Array(1 << 12);
  private hasTime = false;
  private count = 0;
  /** The current record's fields. */
  private fieldIndex = 0;
  private user = 0;
  private item = 0;
  private score = 0;
  private time = 0;
  private problem = '';

  constructor(private readonly options: RatingsOptions = {}) {
    checkOptions(options, 'RatingsParser');
    this.source = options.source ?? 'input';
    if (options.format) this.start(options.format);
  }

  push(chunk: Uint8Array): void {
    if (this.reader) return this.reader.push(chunk);
    this.held.push(chunk.slice());
    if (chunk.includes(NL)) this.detect();
    else if (this.held.reduce((n, c) => n + c.length, 0) > MAX_FIRST_LINE) this.detect();
  }

  end(): RatingColumns {
    if (!this.reader) this.detect();
    this.reader!.end();
    const n = this.count;
    const out: RatingColumns = {
      users: labels(this.userIds.texts, this.users),
      items: labels(this.itemIds.texts, this.items),
      scores: this.scores.slice(0, n),
    };
    if (this.hasTime) out.times = this.times.slice(0, n);
    return out;
  }

  field(bytes: Uint8Array, start: number, end: number): void {
    if (this.firstFields) {
      this.firstFields.push(this.text(bytes, start, end));
      return;
    }
    const f = this.fieldIndex++;
    const role = f < this.roles.length ? this.roles[f] : -1;
    if (role < 0 || this.problem) return;
    if (role === USER || role === ITEM) {
      if (end === start) this.problem = `the ${ROLES[role]} id is empty`;
      else if (role === USER) this.user = this.id(this.userIds, bytes, start, end);
      else this.item = this.id(this.itemIds, bytes, start, end);
      return;
    }
    const value = parseNumber(bytes, start, end);
    if (Number.isNaN(value)) this.problem = `${ROLES[role]} ${JSON.stringify(this.text(bytes, start, end))} is not a finite number`;
    else if (role === SCORE) this.score = value;
    else this.time = value;
  }

  endRecord(line: number): void {
    if (this.firstFields) return this.resolveFirst(line);
    const fields = this.fieldIndex;
    this.fieldIndex = 0;
    if (fields !== this.nFields) this.fail(line, `expected ${this.nFields} fields like the first record, got ${fields}`);
    if (this.problem) this.fail(line, this.problem);
    const n = this.count++;
    this.users.push(this.user);
    this.items.push(this.item);
    if (n === this.scores.length) {
      this.scores = grow(this.scores);
      this.times = grow(this.times);
    }
    this.scores[n] = this.score;
    if (this.hasTime) this.times[n] = this.time;
  }

  private detect(): void {
    const all = concat(this.held);
    this.held = [];
    if (!this.format) {
      const nl = all.indexOf(NL);
      const first = new TextDecoder().decode(all.subarray(0, nl < 0 ? all.length : nl));
      const format: RatingsFormat | undefined = first.includes('::') ? 'dat' : first.includes('\t') ? 'tsv' : first.includes(',') ? 'csv' : undefined;
      if (!format) {
        if (all.length === 0) return this.start('tsv');
        throw new GroveDataError(`${this.source}:1: cannot tell the format (no "::", tab or comma on the first line); pass format: ${RATINGS_FORMATS.join(' | ')}`);
      }
      this.start(format);
    }
    this.reader!.push(all);
  }

  private start(format: RatingsFormat): void {
    this.format = format;
    this.reader = format === 'csv' ? new CsvReader(this, this.source) : new DelimitedReader(this, new TextEncoder().encode(format === 'dat' ? '::' : '\t'));
  }

  /** The first record: a header, or the first data record (then replayed as data). */
  private resolveFirst(line: number): void {
    const texts = this.firstFields!;
    this.firstFields = null;
    this.nFields = texts.length;
    if (texts.length === 0) return; // empty input
    const cols = this.options.columns ?? {};
    const scoreAt = typeof cols.score === 'number' ? cols.score : 2;
    const named = ROLES.some((r) => typeof cols[r] === 'string');
    // a header names its score column; a score that merely fails to parse ("4,5") is a bad line
    const header = this.options.header ?? (named || (scoreAt < texts.length && !/^\s*[+-]?\.?\d/.test(texts[scoreAt])));
    const lower = texts.map((t) => t.trim().toLowerCase());
    this.roles = new Array<number>(texts.length).fill(-1);
    for (let r = 0; r < ROLES.length; r++) {
      const role = ROLES[r];
      const wanted = cols[role];
      let at: number;
      if (typeof wanted === 'string') {
        if (!header) this.fail(line, `columns.${role} names a column ("${wanted}") but the file has no header; give a position instead`);
        at = lower.indexOf(wanted.trim().toLowerCase());
        if (at < 0) this.fail(line, `columns.${role}: no column "${wanted}" in the header (${texts.join(', ')})`);
      } else if (typeof wanted === 'number') {
        at = wanted;
        if (at >= texts.length) this.fail(line, `columns.${role} is ${at} but the first record has ${texts.length} fields`);
      } else {
        at = header ? lower.findIndex((t) => KNOWN_NAMES[role].includes(t)) : -1;
        if (at < 0 && (r !== TIME || !header)) at = r < texts.length ? r : -1;
        if (at < 0 && r !== TIME) this.fail(line, `expected at least 3 fields (user, item, score), got ${texts.length}`);
      }
      if (at < 0) continue;
      if (this.roles[at] >= 0) this.fail(line, `column ${at} would hold both the ${ROLES[this.roles[at]]} and the ${role}; choose with options.columns`);
      this.roles[at] = r;
      if (r === TIME) this.hasTime = true;
    }
    if (header) return;
    const encoder = new TextEncoder();
    for (const t of texts) {
      const b = encoder.encode(t);
      this.field(b, 0, b.length);
    }
    this.endRecord(line);
  }

  private id(ids: ByteIds, bytes: Uint8Array, start: number, end: number): number {
    try {
      return ids.idOf(bytes, start, end);
    } catch {
      this.problem = 'the line is not valid UTF-8 text';
      return 0;
    }
  }

  private text(bytes: Uint8Array, start: number, end: number): string {
    try {
      return this.decoder.decode(bytes.subarray(start, end));
    } catch {
      throw new GroveDataError(`${this.source}:${this.reader!.line}: the line is not valid UTF-8 text`);
    }
  }

  private fail(line: number, reason: string): never {
    throw new GroveDataError(`${this.source}:${line}: ${reason}`);
  }
}

/** Parses a whole ratings file held in memory. */
export function parseRatings(bytes: Uint8Array, options?: RatingsOptions): RatingColumns {
  const parser = new RatingsParser(options);
  parser.push(bytes);
  return parser.end();
}

export function checkOptions(options: RatingsOptions, fn: string): void {
  if (options == null || typeof options !== 'object') throw new GroveArgumentError(`${fn}: options must be an object`);
  for (const key of Object.keys(options)) {
    if (!['format', 'header', 'columns', 'source'].includes(key)) throw new GroveArgumentError(`${fn}: unknown option "${key}" (known: format, header, columns, source)`);
  }
  const { format, header, columns } = options;
  if (format !== undefined && !RATINGS_FORMATS.includes(format)) throw new GroveArgumentError(`${fn}: format must be one of ${RATINGS_FORMATS.join(', ')}. Got ${String(format)}`);
  if (header !== undefined && typeof header !== 'boolean') throw new GroveArgumentError(`${fn}: header must be a boolean. Got ${String(header)}`);
  if (columns === undefined) return;
  if (columns == null || typeof columns !== 'object') throw new GroveArgumentError(`${fn}: columns must be an object`);
  for (const [key, value] of Object.entries(columns)) {
    if (!(ROLES as readonly string[]).includes(key)) throw new GroveArgumentError(`${fn}: unknown column role "${key}" (known: ${ROLES.join(', ')})`);
    const ok = typeof value === 'string' ? value !== '' : Number.isInteger(value) && (value as number) >= 0;
    if (value !== undefined && !ok) throw new GroveArgumentError(`${fn}: columns.${key} must be a column name or a 0-based position. Got ${String(value)}`);
  }
}

/** Whether every label is a plain non-negative integer, so ids can be numbers. */
export function allIntegerIds(texts: readonly string[]): boolean {
  return texts.every((t) => /^(0|[1-9]\d{0,14})$/.test(t));
}

/** Ids per record: numbers when every label is a plain non-negative integer, else strings. */
function labels(texts: string[], codes: U32List): Id[] {
  const numeric = allIntegerIds(texts);
  const table: Id[] = numeric ? texts.map(Number) : texts;
  const out = new Array<Id>(codes.length);
  for (let k = 0; k < codes.length; k++) out[k] = table[codes.data[k]];
  return out;
}

function grow(a: Float64Array): Float64Array {
  const grown = new Float64Array(a.length * 2);
  grown.set(a);
  return grown;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
