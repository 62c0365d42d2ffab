/**
 * Demographic recommendation (SPEC §3, cold start; the seed's 冷启动 §2): users are grouped into
 * segments by their attributes (age bucket, gender, occupation, zip prefix … any string-valued
 * fields), and a user gets the items most popular within their segment that they have not seen.
 *
 * Contract:
 * - `attributes` (constructor) names the fields that form segments, most important first. The
 *   segments of a user are nested: the first L of their attribute values, for L = all of them
 *   down to 0 (everybody: global popularity). A user gets the most specific of these holding at
 *   least `minSegmentSize` users (default 50) of the interactions; global is used whatever its
 *   size. (On ML-100K, segments by age, gender and occupation beat global popularity at 50 and
 *   fall behind it at 10: a small segment's counts are mostly noise.) A missing attribute (absent from the user's record) ends the prefix there;
 * - an item's score in a segment is the number of the segment's users who interacted with it
 *   (popularity.ts: equal scores by dense item index, only positive counts, seen items left out);
 * - `fit(data, users)` takes a Map from user id to a record of attribute values (strings), e.g.
 *   from io/attributes.ts; users of the interactions without a record count towards global
 *   popularity only and are recommended from it. Ids must match the interactions' (1 ≠ '1');
 * - `recommend(user)` serves users of the interactions and users only in `users` (new users: no
 *   history, nothing left out); `recommendFor(attributes, n)` serves anybody from attribute
 *   values alone, `segmentFor(attributes)` says which segment they fall in.
 */
import { GroveArgumentError, GroveDataError, GroveNotFittedError } from '../runtime/errors.js';
import type { Id, Interactions } from './interactions.js';
import { checkN, itemMask, type Recommendation, type RecommendOptions } from './knn.js';
import { RankingRecommender, rankItems, type ItemRanking } from './popularity.js';

/** One user's attribute values by field name. */
export type AttributeRecord = Readonly<Record<string, string>>;

export interface DemographicOptions {
  /** Fields that form segments, most important first (required, non-empty, distinct). */
  attributes: readonly string[];
  /** Fewest users a segment needs to be used rather than a broader one. Default 50. */
  minSegmentSize?: number;
}

/** A segment: the attribute values that define it (none: everybody) and its users in the data. */
export interface Segment {
  attributes: Record<string, string>;
  size: number;
}

interface Fitted {
  data: Interactions;
  users: ReadonlyMap<Id, AttributeRecord>;
  /** Segment key → users and (for segments large enough) their item counts. */
  segments: Map<string, { size: number; counts?: Uint32Array; ranking?: ItemRanking }>;
}

const NAME = 'DemographicRecommender';

export class DemographicRecommender extends RankingRecommender {
  readonly attributes: readonly string[];
  readonly minSegmentSize: number;
  private fitted?: Fitted;

  constructor(options: DemographicOptions) {
    super(NAME);
    if (options == null || typeof options !== 'object') throw new GroveArgumentError(`${NAME}: options must be an object with attributes`);
    for (const key of Object.keys(options)) {
      if (key !== 'attributes' && key !== 'minSegmentSize') throw new GroveArgumentError(`${NAME}: unknown option "${key}" (known: attributes, minSegmentSize)`);
    }
    const { attributes, minSegmentSize = 50 } = options;
    if (!Array.isArray(attributes) || attributes.length === 0 || !attributes.every((a) => typeof a === 'string' && a !== '')) {
      throw new GroveArgumentError(`${NAME}: attributes must be a non-empty array of field names, e.g. ['gender', 'age', 'occupation']`);
    }
    if (new Set(attributes).size !== attributes.length) throw new GroveArgumentError(`${NAME}: attributes are repeated: ${attributes.join(', ')}`);
    if (!Number.isInteger(minSegmentSize) || minSegmentSize < 1) throw new GroveArgumentError(`${NAME}: minSegmentSize must be an integer ≥ 1. Got ${String(minSegmentSize)}`);
    this.attributes = [...attributes];
    this.minSegmentSize = minSegmentSize;
  }

  /** Counts item popularity per segment (forgetting any earlier fit); returns `this`. */
  fit(data: Interactions, users: ReadonlyMap<Id, AttributeRecord>): this {
    if (data.nnz === 0) throw new GroveArgumentError(`${NAME}.fit: the interactions are empty`);
    if (!(users instanceof Map)) throw new GroveArgumentError(`${NAME}.fit: users must be a Map from user id to { field: value }`);
    const present = new Set<string>();
    for (const [id, record] of users) {
      if (record == null || typeof record !== 'object') throw new GroveDataError(`${NAME}.fit: the record of user ${JSON.stringify(id)} is not an object`);
      for (const a of this.attributes) {
        const value = record[a];
        if (value === undefined) continue;
        if (typeof value !== 'string') throw new GroveDataError(`${NAME}.fit: user ${JSON.stringify(id)} has ${a} = ${String(value)}; attribute values must be strings`);
        present.add(a);
      }
    }
    const missing = this.attributes.filter((a) => !present.has(a));
    if (missing.length > 0) {
      const known = [...new Set([...users.values()].flatMap((r) => Object.keys(r)))];
      throw new GroveArgumentError(`${NAME}.fit: unknown attribute ${missing.map((a) => `"${a}"`).join(', ')}: no user has it (fields present: ${known.join(', ') || 'none'})`);
    }
    // Segment sizes first, so that only segments large enough to be used get count vectors.
    const segments: Fitted['segments'] = new Map();
    const keysOf = (u: number) => this.keys(users.get(data.userId(u)));
    for (let u = 0; u < data.nUsers; u++) {
      for (const key of keysOf(u)) {
        const s = segments.get(key);
        if (s) s.size++;
        else segments.set(key, { size: 1 });
      }
    }
    for (const [key, s] of segments) if (s.size >= this.minSegmentSize || key === GLOBAL) s.counts = new Uint32Array(data.nItems);
    for (let u = 0; u < data.nUsers; u++) {
      for (const key of keysOf(u)) {
        const counts = segments.get(key)!.counts;
        if (counts) for (let p = data.indptr[u]; p < data.indptr[u + 1]; p++) counts[data.indices[p]]++;
      }
    }
    this.fitted = { data, users, segments };
    return this;
  }

  /** `user`'s top `n`: users of the interactions and users known only by their attributes. */
  override recommend(user: Id, n = 10, options: RecommendOptions = {}): Recommendation[] {
    const { data, users } = this.state();
    if (data.userIndex(user) >= 0) return super.recommend(user, n, options);
    const record = users.get(user);
    if (record === undefined) throw new GroveArgumentError(`${NAME}.recommend: unknown user ${JSON.stringify(user)}: neither in the interactions nor in the attributes`);
    checkN(n, `${NAME}.recommend`);
    return this.walk(this.ranking(this.keys(record)), -1, n, itemMask(data, options, `${NAME}.recommend`));
  }

  /** The top `n` for a new user described by `attributes` alone (fields of `this.attributes`). */
  recommendFor(attributes: AttributeRecord, n = 10): Recommendation[] {
    const keys = this.keys(this.checkRecord(attributes, 'recommendFor'));
    checkN(n, `${NAME}.recommendFor`);
    return this.walk(this.ranking(keys), -1, n);
  }

  /** The segment `attributes` lead to, and its size. */
  segmentFor(attributes: AttributeRecord): Segment {
    const key = this.chosen(this.keys(this.checkRecord(attributes, 'segmentFor')));
    const values: string[] = JSON.parse(key);
    return { attributes: Object.fromEntries(values.map((v, i) => [this.attributes[i], v])), size: this.state().segments.get(key)!.size };
  }

  protected data(): Interactions {
    return this.state().data;
  }

  protected rankingFor(u: number): ItemRanking {
    const { data, users } = this.state();
    return this.ranking(this.keys(users.get(data.userId(u))));
  }

  /** The most specific of the nested segments `keys` (global first) that is large enough. */
  private chosen(keys: string[]): string {
    const { segments } = this.state();
    let level = keys.length - 1;
    while (level > 0 && !segments.get(keys[level])?.counts) level--;
    return keys[level];
  }

  /** The chosen segment's ranking, made on first use. */
  private ranking(keys: string[]): ItemRanking {
    const s = this.state().segments.get(this.chosen(keys))!;
    return (s.ranking ??= rankItems(s.counts!));
  }

  /** Keys of the nested segments of a record, global first: JSON of the first L values. */
  private keys(record: AttributeRecord | undefined): string[] {
    const values: string[] = [];
    const keys = [GLOBAL];
    for (const a of this.attributes) {
      const v = record?.[a];
      if (v === undefined) break;
      values.push(v);
      keys.push(JSON.stringify(values));
    }
    return keys;
  }

  private checkRecord(attributes: AttributeRecord, fn: string): AttributeRecord {
    if (attributes == null || typeof attributes !== 'object') throw new GroveArgumentError(`${NAME}.${fn}: attributes must be an object { field: value }`);
    for (const [key, value] of Object.entries(attributes)) {
      if (!this.attributes.includes(key)) throw new GroveArgumentError(`${NAME}.${fn}: unknown attribute "${key}" (known: ${this.attributes.join(', ')})`);
      if (typeof value !== 'string') throw new GroveArgumentError(`${NAME}.${fn}: ${key} must be a string. Got ${String(value)}`);
    }
    return attributes;
  }

  private state(): Fitted {
    if (!this.fitted) throw new GroveNotFittedError(`${NAME}: call fit() first`);
    return this.fitted;
  }
}

const GLOBAL = '[]';
