/**
 * Every user's top-N list as a contestant of bench:cf wrote it, and the agreement check between
 * two contestants. Layout (little-endian, run_scipy.py writes the same):
 *   header  2 × uint32: nUsers, n
 *   items   int32[nUsers · n]    row u = user u's list, best first, -1 after its end
 *   scores  float32[nUsers · n]
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';

/** `fill(put)` calls `put(user, [{ item, score }, …])` for each user index. */
export function writeLists(path, nUsers, n, fill) {
  const items = new Int32Array(nUsers * n).fill(-1);
  const scores = new Float32Array(nUsers * n);
  fill((user, list) => {
    list.forEach(({ item, score }, r) => {
      items[user * n + r] = item;
      scores[user * n + r] = score;
    });
  });
  const fd = openSync(path, 'w');
  try {
    for (const a of [new Uint32Array([nUsers, n]), items, scores]) writeSync(fd, a);
  } finally {
    closeSync(fd);
  }
}

export function readLists(path) {
  const bytes = readFileSync(path);
  const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
  const [nUsers, n] = new Uint32Array(buf, 0, 2);
  return { nUsers, n, items: new Int32Array(buf, 8, nUsers * n), scores: new Float32Array(buf, 8 + 4 * nUsers * n, nUsers * n) };
}

/**
 * Per user: `identical` (same items in the same order), `ties` (the items differ but the score
 * at every rank agrees within `rtol`: another choice or order among equal scores, or float
 * rounding), or `different`. Returns the counts and up to three users of the last kind.
 */
export function compareLists(a, b, rtol = 1e-4) {
  if (a.nUsers !== b.nUsers || a.n !== b.n) throw new Error(`lists of ${a.nUsers}×${a.n} and ${b.nUsers}×${b.n} cannot be compared`);
  const out = { users: a.nUsers, identical: 0, ties: 0, different: 0, examples: [] };
  for (let u = 0; u < a.nUsers; u++) {
    let same = true;
    let close = true;
    for (let r = u * a.n; r < (u + 1) * a.n; r++) {
      if (a.items[r] !== b.items[r]) same = false;
      if ((a.items[r] < 0) !== (b.items[r] < 0)) close = false;
      else if (Math.abs(a.scores[r] - b.scores[r]) > rtol * Math.max(Math.abs(a.scores[r]), Math.abs(b.scores[r]))) close = false;
    }
    if (same) out.identical++;
    else if (close) out.ties++;
    else {
      out.different++;
      if (out.examples.length < 3) {
        const row = (x) => Array.from(x.items.subarray(u * a.n, (u + 1) * a.n)).filter((i) => i >= 0);
        out.examples.push({ user: u, ours: row(a), peer: row(b) });
      }
    }
  }
  return out;
}
