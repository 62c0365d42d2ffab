/**
 * Reading ratings files in Node: the file streams through one reused buffer into
 * `RatingsParser`. A `.csv` name implies `format: 'csv'`; other names leave the format to the
 * first line (see ratings.ts).
 */
import { GroveArgumentError } from '../runtime/errors.js';
import { parseFile } from './parse-file.js';
import { RatingsParser, type RatingColumns, type RatingsOptions } from './ratings.js';

/** `(user, item, score[, time])` columns of a ratings file, ready for `Interactions.fromColumns`. */
export async function readRatings(path: string, options: Omit<RatingsOptions, 'source'> = {}): Promise<RatingColumns> {
  if (typeof path !== 'string' || path === '') throw new GroveArgumentError(`readRatings: path must be a non-empty string, got ${String(path)}`);
  if (options == null || typeof options !== 'object') throw new GroveArgumentError('readRatings: options must be an object');
  const format = options.format ?? (/\.csv$/i.test(path) ? 'csv' : undefined);
  const parser = new RatingsParser({ ...options, ...(format && { format }), source: path });
  return parseFile(path, () => parser);
}
