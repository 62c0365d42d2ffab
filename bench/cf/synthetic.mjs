/**
 * Seeded rating sets with the shape of MovieLens 1M and 10M, skewed like them (bench:cf only).
 *
 * - Exact shape: nUsers users, nItems items, `ratings` distinct (user, item) pairs, every user
 *   and item rated at least once.
 * - User activity: 20 ratings each (MovieLens' floor) plus a log-normal excess, scaled so the
 *   counts sum to `ratings`; item popularity: log-normal sampling weights. The σ were set by
 *   hand to come near each real set's median and maximum (users: ML-1M 96 / 2,314, ML-10M
 *   69 / 7,359; items: ML-1M 123.5 / 3,428, ML-10M 135 / 34,864). With seed 42 they give users
 *   111 / 2,471 and 88 / 8,437, items 141 / 4,040 and 172 / 61,869 (a log-normal's tail is
 *   heavier than the real one). The fit's cost grows with Σ(ratings per user)², so the users'
 *   tail matters most.
 * - Each user's items: weighted draws without replacement (alias table, redraw on repeats).
 *   Items left unrated then take over one rating of an item that has several (the shape stays).
 * - Ratings 1–5: round(3.58 + item bias + user bias + noise), biases and noise normal, which
 *   gives about MovieLens' mix (mostly 3 and 4, few 1s).
 * Deterministic for a seed: sfc32 (Doug's Small Fast Counter; numpy-compatible draws are not
 * needed here and NumpyRandom's BigInt steps would make 10M ratings slow).
 */
import { sfc32 } from '../common/random.mjs';

export const SHAPES = {
  'synthetic-1m': { nUsers: 6040, nItems: 3706, ratings: 1000209, userSigma: 1.0, itemSigma: 1.3 },
  'synthetic-10m': { nUsers: 69878, nItems: 10677, ratings: 10000054, userSigma: 1.1, itemSigma: 2.0 },
};

const MIN_PER_USER = 20;

function normal(random) {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Walker's alias table over `weights`: `draw()` returns an index with probability ∝ its weight. */
function aliasTable(weights, random) {
  const n = weights.length;
  const total = weights.reduce((x, y) => x + y, 0);
  const prob = new Float64Array(n);
  const alias = new Uint32Array(n);
  const scaled = Float64Array.from(weights, (w) => (w * n) / total);
  const small = [];
  const large = [];
  scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
  while (small.length && large.length) {
    const s = small.pop();
    const l = large[large.length - 1];
    prob[s] = scaled[s];
    alias[s] = l;
    scaled[l] -= 1 - scaled[s];
    if (scaled[l] < 1) small.push(large.pop());
  }
  for (const i of [...small, ...large]) prob[i] = 1;
  return () => {
    const i = Math.floor(random() * n);
    return random() < prob[i] ? i : alias[i];
  };
}

/** Ratings per user: the floor plus log-normal shares of the rest, summing to `ratings`. */
function userCounts({ nUsers, nItems, ratings, userSigma }, random) {
  const excess = Float64Array.from({ length: nUsers }, () => Math.exp(userSigma * normal(random)));
  const scale = (ratings - MIN_PER_USER * nUsers) / excess.reduce((x, y) => x + y, 0);
  const cap = Math.floor(0.9 * nItems); // redraws on repeats would crawl near a full row
  const counts = Uint32Array.from(excess, (e) => Math.min(cap, MIN_PER_USER + Math.floor(scale * e)));
  // the rounding remainder (and anything capped) goes one rating at a time to users with room
  let left = ratings - counts.reduce((x, y) => x + y, 0);
  for (let u = 0; left > 0; u = (u + 1) % nUsers) {
    if (counts[u] < cap) {
      counts[u]++;
      left--;
    }
  }
  return counts;
}

/** `{ users, items, scores, nUsers, nItems }` for one of SHAPES, reproducible from `seed`. */
export function synthesize(name, seed) {
  const shape = SHAPES[name];
  if (!shape) throw new Error(`unknown synthetic set ${name} (known: ${Object.keys(SHAPES).join(', ')})`);
  const { nUsers, nItems, ratings } = shape;
  const random = sfc32(seed);
  const counts = userCounts(shape, random);
  const drawItem = aliasTable(Float64Array.from({ length: nItems }, () => Math.exp(shape.itemSigma * normal(random))), random);
  const itemBias = Float64Array.from({ length: nItems }, () => 0.5 * normal(random));

  const users = new Uint32Array(ratings);
  const items = new Uint32Array(ratings);
  const scores = new Float32Array(ratings);
  const owner = new Int32Array(nItems).fill(-1); // last user who drew the item: repeats are redrawn
  const degree = new Uint32Array(nItems);
  let at = 0;
  for (let u = 0; u < nUsers; u++) {
    const userBias = 0.4 * normal(random);
    for (let k = 0; k < counts[u]; k++) {
      let item;
      do item = drawItem();
      while (owner[item] === u);
      owner[item] = u;
      degree[item]++;
      users[at] = u;
      items[at] = item;
      scores[at] = Math.min(5, Math.max(1, Math.round(3.58 + itemBias[item] + userBias + 0.9 * normal(random))));
      at++;
    }
  }
  // every item rated: an unrated item (no user has it, so no pair repeats) takes over a row,
  // from the last backwards, whose item has other ratings
  let from = ratings - 1;
  for (let item = 0; item < nItems; item++) {
    if (degree[item] > 0) continue;
    while (degree[items[from]] < 2) from--;
    degree[items[from]]--;
    items[from] = item;
    degree[item] = 1;
    from--;
  }
  return { users, items, scores, nUsers, nItems };
}
