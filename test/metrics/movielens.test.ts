/**
 * rankingMetrics against the reference figures of data/movielens/EVAL-PROTOCOL.md: ML-100K,
 * leave-one-out split, popularity recommender (both written out here in plain JS, so the only
 * code under test is the metrics).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { rankingMetrics } from '../../src/metrics/ranking.js';
import { sharedDir } from '../helpers/shared.js';

const data = sharedDir('data/movielens/ml-100k');

/** Each user's last row (by timestamp, ties → larger item id) is test; the rest is train. */
function looSplit(text: string) {
  const rows = text.trim().split('\n').map((line) => line.split('\t').map(Number));
  rows.sort((a, b) => a[0] - b[0] || a[3] - b[3] || a[1] - b[1]);
  const train = new Map<number, Set<number>>();
  const test = new Map<number, number[]>();
  for (let i = 0; i < rows.length; i++) {
    const [user, item] = rows[i];
    const last = i + 1 === rows.length || rows[i + 1][0] !== user;
    if (last) test.set(user, [item]);
    else (train.get(user) ?? train.set(user, new Set()).get(user)!).add(item);
  }
  return { train, test };
}

/**
 * Top-n items by number of train users, skipping the user's train items. The protocol does not
 * say how equal popularities are ordered, so each user's test item is placed first among its
 * ties (`favour` = 'first') or last ('last', where it may fall off the list): the reference
 * figures of rank-sensitive metrics lie between the two.
 */
function popularity(train: Map<number, Set<number>>, test: Map<number, number[]>, n: number, favour: 'first' | 'last') {
  const count = new Map<number, number>();
  for (const items of train.values()) for (const item of items) count.set(item, (count.get(item) ?? 0) + 1);
  const ranked = [...count.keys()].sort((a, b) => count.get(b)! - count.get(a)! || a - b);
  const lists = new Map<number, number[]>();
  for (const [user, seen] of train) {
    const candidates = ranked.filter((item) => !seen.has(item));
    const target = test.get(user)![0];
    const at = candidates.indexOf(target);
    if (at >= 0) {
      const c = count.get(target)!;
      let to = at;
      if (favour === 'first') while (to > 0 && count.get(candidates[to - 1]) === c) to--;
      else while (to + 1 < candidates.length && count.get(candidates[to + 1]) === c) to++;
      candidates.splice(at, 1);
      candidates.splice(to, 0, target);
    }
    lists.set(user, candidates.slice(0, n));
  }
  return { lists, catalogSize: count.size };
}

describe(`ML-100K reference figures${data.skipReason}`, () => {
  test.skipIf(!data.present)('loo / pop at N = 10', () => {
    const { train, test: truth } = looSplit(readFileSync(`${data.path}/u.data`, 'utf8'));
    const best = popularity(train, truth, 10, 'first');
    const worst = popularity(train, truth, 10, 'last');
    const hi = rankingMetrics(best.lists, truth, { k: 10, catalogSize: best.catalogSize });
    const lo = rankingMetrics(worst.lists, truth, { k: 10, catalogSize: worst.catalogSize });
    const reference = { precision: 0.005, recall: 0.0498, map: 0.0177, mrr: 0.0177, ndcg: 0.0252, hitRate: 0.0498, coverage: 0.0542 };
    for (const [name, value] of Object.entries(reference)) {
      const key = name as keyof typeof reference;
      // the table rounds to 4 decimals
      expect(value, name).toBeGreaterThanOrEqual(lo[key]! - 5e-5);
      expect(value, name).toBeLessThanOrEqual(hi[key]! + 5e-5);
    }
    expect(hi.users).toBe(943);
    expect(hi.mapSeed).toBe(hi.map); // one test item per user: |T| ≤ k
  });
});
