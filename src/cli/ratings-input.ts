/**
 * What the recommendation commands (recommend, evaluate-rec) share: reading a ratings file,
 * the model flags (--method, --k, --min-history, --binarize, -n) and building the chosen
 * recommender.
 */
import { HybridRecommender } from '../cf/hybrid.js';
import type { Id, Interactions } from '../cf/interactions.js';
import { ItemKnnRecommender } from '../cf/item-knn.js';
import { SIMILARITIES, type Recommendation, type Similarity } from '../cf/knn.js';
import { PopularityRecommender } from '../cf/popularity.js';
import { UserKnnRecommender } from '../cf/user-knn.js';
import { RATINGS_FORMATS, type RatingColumns, type RatingsFormat } from '../io/ratings.js';
import { readRatings } from '../io/ratings-file.js';
import { GroveArgumentError } from '../runtime/errors.js';
import { choice, numberFlag, type OptionSpecs, type Values } from './args.js';

export type Method = 'item' | 'user' | 'pop' | 'hybrid';
export const METHODS: readonly Method[] = ['item', 'user', 'pop', 'hybrid'];

export const MODEL_OPTIONS: OptionSpecs = {
  'input-format': { type: 'string' },
  method: { type: 'string' },
  k: { type: 'string' },
  similarity: { type: 'string' },
  shrinkage: { type: 'string' },
  'min-history': { type: 'string' },
  binarize: { type: 'boolean' },
  top: { type: 'string', short: 'n' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

export const MODEL_HELP = `Model
  --method M            item (default: item-based KNN) | user (user-based KNN) |
                        pop (most popular unseen items) | hybrid (pop for users with
                        fewer than --min-history rows, item-KNN for the others)
  --k K                 neighbours kept per item or user, KNN and hybrid (default 20)
  --similarity S        cosine (default) | pearson | adjustedCosine | jaccard
  --shrinkage L         multiply a similarity by c/(c + L), c its co-count (default 0)
  --min-history N       hybrid: rows a user needs to get item-KNN (default 5)
  --binarize            every interaction weighs 1 instead of its score
  -n, --top N           items recommended per user (default 10)`;

export const RATINGS_HELP = `  --input-format F      tsv (MovieLens u.data: user item rating [time], tab-separated) |
                        dat (user::item::rating::time) | csv (with a header naming the
                        columns, e.g. userId,movieId,rating,timestamp). Default: csv for a
                        *.csv file, else detected from the first line`;

export interface ModelFlags {
  method: Method;
  k: number;
  similarity: Similarity;
  shrinkage: number;
  /** Hybrid: fewest rows for item-KNN. */
  minHistory: number;
  binarize: boolean;
  n: number;
}

/** An integer ≥ `min` (`fallback` when absent). */
export function integerFlag(command: string, flag: string, value: Values[string], min: number, fallback: number): number {
  const n = numberFlag(command, flag, value);
  if (n === undefined) return fallback;
  if (!Number.isInteger(n) || n < min) throw new GroveArgumentError(`${command}: --${flag} must be an integer ≥ ${min}. Got ${String(value)}`);
  return n;
}

export function modelFlags(command: string, values: Values): ModelFlags {
  const method = choice(command, 'method', values.method, METHODS, 'item');
  for (const flag of ['k', 'similarity', 'shrinkage']) {
    if (method === 'pop' && values[flag] !== undefined) throw new GroveArgumentError(`${command}: --${flag} applies to --method item, user and hybrid only`);
  }
  const shrinkage = numberFlag(command, 'shrinkage', values.shrinkage) ?? 0;
  if (!(shrinkage >= 0)) throw new GroveArgumentError(`${command}: --shrinkage must be a number ≥ 0. Got ${String(values.shrinkage)}`);
  if (method !== 'hybrid' && values['min-history'] !== undefined) throw new GroveArgumentError(`${command}: --min-history applies to --method hybrid only`);
  return {
    method,
    k: integerFlag(command, 'k', values.k, 1, 20),
    similarity: choice(command, 'similarity', values.similarity, SIMILARITIES, 'cosine'),
    shrinkage,
    minHistory: integerFlag(command, 'min-history', values['min-history'], 1, 5),
    binarize: values.binarize === true,
    n: integerFlag(command, 'top', values.top, 1, 10),
  };
}

/** The ratings of `path` in the format given by --input-format, or detected. */
export function loadRatings(command: string, path: string, values: Values, format?: RatingsFormat): Promise<RatingColumns> {
  const chosen = format ?? (values['input-format'] === undefined ? undefined : choice(command, 'input-format', values['input-format'], RATINGS_FORMATS, 'tsv'));
  return readRatings(path, chosen ? { format: chosen } : {});
}

/** The fitted recommender `flags` describe. */
export function fitModel(flags: ModelFlags, data: Interactions): { recommendAll(n: number, users?: ArrayLike<number>): Recommendation[][] } {
  if (flags.method === 'pop') return new PopularityRecommender().fit(data);
  const knn = { k: flags.k, similarity: flags.similarity, shrinkage: flags.shrinkage };
  if (flags.method === 'hybrid') {
    const rules = [{ minHistory: 0, model: new PopularityRecommender().fit(data) }, { minHistory: flags.minHistory, model: new ItemKnnRecommender(knn).fit(data) }];
    return new HybridRecommender({ switch: rules }).fit(data);
  }
  return (flags.method === 'item' ? new ItemKnnRecommender(knn) : new UserKnnRecommender(knn)).fit(data);
}

/** "item-KNN, K = 20" and the like, for text output. */
export function describeModel(flags: ModelFlags): string {
  const what =
    flags.method === 'pop' ? 'popularity'
    : flags.method === 'hybrid' ? `hybrid: popularity below ${flags.minHistory} training rows, else item-KNN, K = ${flags.k}`
    : `${flags.method}-KNN, K = ${flags.k}`;
  const sim = flags.method === 'pop' ? '' : `, ${flags.similarity}${flags.shrinkage > 0 ? ` shrunk by ${flags.shrinkage}` : ''}`;
  return `${what}${sim}${flags.binarize ? ', binarized' : ''}`;
}

/** Which id `text` names in columns whose ids are all numbers, or all strings. */
export function idLike(ids: readonly Id[], text: string): Id {
  return ids.length > 0 && typeof ids[0] === 'number' && /^\d+$/.test(text) ? Number(text) : text;
}
