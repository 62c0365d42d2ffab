// Implicit feedback (Last.fm HetRec 2011 play counts, ../shared/data/lastfm-hetrec2011-2k): the
// issue's claim that raw counts make cosine item-KNN useless (NDCG@10 0.018) while binarised
// counts work (0.184), under ../shared/data/movielens/EVAL-PROTOCOL.md: random 80/20 per user
// with numpy's generator, seed 42; item-KNN cosine; top 10 of the unseen items with a positive score.
//
// The reference figures come from an independent numpy/scipy implementation of that protocol
// (float64, written for this check, not part of the repository). Binarised counts are full of
// exact ties between neighbours (most artists have one or two listeners), and the protocol does
// not say which of equal similarities make the K kept, so the reference was run three ways: ties
// as np.argpartition leaves them (`ref`), and ties → smaller / larger artist index (`lo`..`hi`
// are the two NDCGs, in order). Grove must land inside that band, widened by 0.5% for float32.
// The pair is raw at K = 20 (reference 0.01846) and binarised at K = 50 (0.18481); at
// K = 20 binarised gives 0.175, below the 0.184 for every seed from 0 to 9.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Interactions, type Id, type Weighting } from '../../src/cf/interactions.js';
import { ItemKnnRecommender } from '../../src/cf/item-knn.js';
import { readRatings } from '../../src/io/ratings-file.js';
import type { RatingColumns } from '../../src/io/ratings.js';
import { rankingMetrics } from '../../src/metrics/ranking.js';
import { randomHoldout } from '../../src/metrics/split.js';
import { initSync } from '../../src/runtime/kernel.js';
import { sharedDir } from '../helpers/shared.js';

initSync({ module: readFileSync(new URL('../../build/debug.wasm', import.meta.url)) });

const lastfm = sharedDir('data/lastfm-hetrec2011-2k');
const FILE = `${lastfm.path}/user_artists.dat`;

/** NDCG@10 of the reference runs (see the header). */
const REFERENCE: Array<{ weighting: Weighting; k: number; ref: number; lo: number; hi: number }> = [
  { weighting: 'raw', k: 20, ref: 0.01846, lo: 0.01798, hi: 0.0187 },
  { weighting: 'binarize', k: 20, ref: 0.17541, lo: 0.17292, hi: 0.17704 },
  { weighting: 'binarize', k: 50, ref: 0.18481, lo: 0.18309, hi: 0.18569 },
  { weighting: 'log1p', k: 20, ref: 0.17243, lo: 0.17167, hi: 0.17284 },
];
const SLACK = 0.005;

/** The rows whose mask entry is `keep` (1: test, 0: train). */
function rows(mask: Uint8Array, keep: 0 | 1): number[] {
  const out: number[] = [];
  for (let r = 0; r < mask.length; r++) if (mask[r] === keep) out.push(r);
  return out;
}

describe.skipIf(!lastfm.present)(`Last.fm play counts: weighting decides whether item-KNN works${lastfm.skipReason}`, () => {
  let all: RatingColumns;
  let mask: Uint8Array;
  let train: number[];
  const truth = new Map<Id, Id[]>();
  beforeAll(async () => {
    all = await readRatings(FILE);
    mask = randomHoldout(all, { seed: 42 });
    train = rows(mask, 0);
    for (const r of rows(mask, 1)) (truth.get(all.users[r]) ?? truth.set(all.users[r], []).get(all.users[r])!).push(all.items[r]);
  });

  const computed = new Map<string, number>();
  /** NDCG@10 of item-KNN with `weighting` and `k` (memoised: each fit takes a fraction of a second). */
  function ndcg(weighting: Weighting, k: number): number {
    const key = `${weighting}/${k}`;
    if (!computed.has(key)) {
      const data = Interactions.fromColumns(
        { users: train.map((r) => all.users[r]), items: train.map((r) => all.items[r]), scores: train.map((r) => all.scores[r]) },
        { weighting },
      );
      const users = [...truth.keys()];
      const lists = new ItemKnnRecommender({ k }).fit(data).recommendAll(10, users.map((u) => data.userIndex(u)));
      const m = rankingMetrics(new Map(users.map((u, i) => [u, lists[i].map((x) => x.item)])), truth, { k: 10, catalogSize: data.nItems });
      expect(m.users).toBe(1883); // 1,892 users; the 9 with one or two artists have no test row
      computed.set(key, m.ndcg);
    }
    return computed.get(key)!;
  }

  it('reads user_artists.dat (tab-separated, header, CRLF) as SOURCES.md describes it', () => {
    expect(all.users.length).toBe(92834);
    expect(new Set(all.users).size).toBe(1892);
    expect(new Set(all.items).size).toBe(17632);
    expect(all.times).toBeUndefined();
    expect([all.users[0], all.items[0], all.scores[0]]).toEqual([2, 51, 13883]);
  });

  it("holds out the same 18,568 rows as numpy's default_rng(42)", () => {
    const held = rows(mask, 1).map((r) => `${all.users[r]}\t${all.items[r]}`);
    expect(held.length).toBe(18568);
    expect(createHash('sha256').update(`${held.sort().join('\n')}\n`).digest('hex')).toBe('52998cd1c5b8c2befe833b20b27ddc2c1439508ed1d6f10322537b9799a47a48');
  });

  it.each(REFERENCE)('$weighting, K = $k: NDCG@10 as the reference, $ref (tie band [$lo, $hi])', ({ weighting, k, lo, hi }) => {
    const value = ndcg(weighting, k);
    expect(value).toBeGreaterThanOrEqual(lo * (1 - SLACK));
    expect(value).toBeLessThanOrEqual(hi * (1 + SLACK));
  });

  it("reproduces the issue's figures: raw 0.018 (K = 20) against binarised 0.184 (K = 50)", () => {
    expect(ndcg('raw', 20)).toBeCloseTo(0.018, 3);
    expect(Math.abs(ndcg('binarize', 50) / 0.184 - 1)).toBeLessThan(0.01);
  });

  it('binarize and log1p beat raw counts by far (more than 9× at K = 20)', () => {
    for (const weighting of ['binarize', 'log1p'] as const) expect(ndcg(weighting, 20)).toBeGreaterThan(9 * ndcg('raw', 20));
  });
});
