/**
 * The file every contestant of bench:cf reads, so that all of them start from the same bytes and
 * none pays for parsing text inside its timed section:
 *   header  4 × uint32 little-endian: magic "GCF1", n (ratings), nUsers, nItems
 *   users   uint32[n]   dense user index in [0, nUsers)
 *   items   uint32[n]   dense item index in [0, nItems)
 *   scores  float32[n]
 * Every user and item index occurs at least once; no (user, item) pair repeats; indices are
 * numbered in order of first appearance, so grove's Interactions (which numbers ids that way)
 * gets the same dense indices, and its tie rule (equal scores: smaller index first) means the
 * same as run_scipy.py's. run_scipy.py reads the same layout with numpy.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';

const MAGIC = 0x31464347; // "GCF1" read as a little-endian uint32
const HEADER = 16;

/**
 * Writes `{ users, items, scores, nUsers, nItems }` (typed arrays of equal length, indices in
 * [0, nUsers) and [0, nItems)) to `path`, renumbering users and items by first appearance.
 */
export function writeTriples(path, { users, items, scores, nUsers, nItems }) {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, new Uint32Array([MAGIC, users.length, nUsers, nItems]));
    for (const a of [firstAppearance(users, nUsers), firstAppearance(items, nItems), Float32Array.from(scores)]) writeSync(fd, a);
  } finally {
    closeSync(fd);
  }
}

/** `ids` renumbered 0, 1, 2, … in order of first appearance. */
function firstAppearance(ids, n) {
  const label = new Int32Array(n).fill(-1);
  let next = 0;
  return Uint32Array.from(ids, (id) => (label[id] < 0 ? (label[id] = next++) : label[id]));
}

/** The columns of a triples file, as views on one buffer. */
export function readTriples(path) {
  const bytes = readFileSync(path);
  // typed-array views need 4-byte alignment; a pooled Buffer may not give it
  const buf = bytes.byteOffset % 4 === 0 ? bytes.buffer : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
  const base = buf === bytes.buffer ? bytes.byteOffset : 0;
  const [magic, n, nUsers, nItems] = new Uint32Array(buf, base, 4);
  if (magic !== MAGIC || bytes.length !== HEADER + 12 * n) throw new Error(`${path} is not a bench:cf triples file`);
  return {
    nUsers,
    nItems,
    users: new Uint32Array(buf, base + HEADER, n),
    items: new Uint32Array(buf, base + HEADER + 4 * n, n),
    scores: new Float32Array(buf, base + HEADER + 8 * n, n),
  };
}
