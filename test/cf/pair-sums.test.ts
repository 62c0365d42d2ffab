// Partitioned pair sums: a hand-worked example, any partition merged in any order equals the
// whole bit for bit (fast-check, integer scores), finalize against a dense brute-force cosine,
// the byte format (round trip, every truncation, corrupt fields), shards built in child
// processes, and ML-100K split four ways.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { ByteWriter } from '../../src/cf/bytes.js';
import { Interactions, type Id, type InteractionRecord } from '../../src/cf/interactions.js';
import { finalize, mergePairSums, pairSums, pairSumsFromBytes, pairSumsToBytes, type PairSums } from '../../src/cf/pair-sums.js';
import { readRatings } from '../../src/io/ratings-file.js';
import { GroveArgumentError, GroveDataError } from '../../src/runtime/errors.js';
import { sharedDir } from '../helpers/shared.js';

const u32 = (xs: number[]) => Uint32Array.from(xs);
/** Byte equality without a deep diff (toEqual walks large typed arrays key by key). */
const sameBytes = (a: Uint8Array, b: Uint8Array) => expect(Buffer.compare(a, b)).toBe(0);
const f64 = (xs: number[]) => Float64Array.from(xs);

// users 1, 2, 3; items 'a', 'b', 3 (canonical order: 3, 'a', 'b'); user 1 rates 'a' twice (2 kept)
//          3   a   b
//   1   [  1   2   1 ]
//   2   [  2   1   . ]
//   3   [  .   .   4 ]
const HAND: InteractionRecord[] = [
  { user: 1, item: 'a', score: 1 },
  { user: 1, item: 'b', score: 1 },
  { user: 2, item: 3, score: 2 },
  { user: 1, item: 'a', score: 2 },
  { user: 3, item: 'b', score: 4 },
  { user: 2, item: 'a', score: 1 },
  { user: 1, item: 3, score: 1 },
];
const HAND_SUMS: PairSums = {
  items: [3, 'a', 'b'],
  squares: f64([1 + 4, 4 + 1, 1 + 16]),
  support: u32([2, 2, 2]),
  indptr: u32([0, 2, 3, 3]),
  indices: u32([1, 2, 2]),
  sums: f64([1 * 2 + 2 * 1, 1 * 1, 2 * 1]), // (3,a) users 1 and 2; (3,b) user 1; (a,b) user 1
  coCounts: u32([2, 1, 1]),
};

/** Records of random users, mixed-type item ids (1 and "1" both), integer scores, duplicates. */
const records = fc.array(
  fc.record({
    user: fc.integer({ min: 0, max: 11 }),
    item: fc.oneof(fc.integer({ min: -3, max: 9 }), fc.constantFrom('1', 'x', 'y', 'é', '')),
    score: fc.integer({ min: -2, max: 5 }),
  }),
  { maxLength: 80 },
);

describe('pairSums', () => {
  test('a hand-worked example: canonical item order, duplicates merged, pairs of co-occurring items', () => {
    expect(pairSums(HAND)).toEqual(HAND_SUMS);
    expect(pairSums(Interactions.fromRecords(HAND))).toEqual(HAND_SUMS);
    const columns = { users: HAND.map((r) => r.user), items: HAND.map((r) => r.item), scores: HAND.map((r) => r.score) };
    expect(pairSums(columns)).toEqual(HAND_SUMS);
    // weighting applies when building: binarised, every value is 1
    expect(pairSums(HAND, { weighting: 'binarize' })).toMatchObject({ squares: f64([2, 2, 2]), sums: f64([2, 1, 1]) });
  });

  test('users split into two parts merge to the whole', () => {
    const part = (users: number[]) => pairSums(HAND.filter((r) => users.includes(r.user as number)));
    expect(mergePairSums(part([1, 3]), part([2]))).toEqual(HAND_SUMS);
    expect(mergePairSums(part([2]), part([]), part([3]), part([1]))).toEqual(HAND_SUMS);
  });

  test('any partition of the users, merged in any order, equals the whole bit for bit', () => {
    const partition = fc.array(fc.nat(3), { minLength: 12, maxLength: 12 });
    const order = fc.shuffledSubarray([0, 1, 2, 3], { minLength: 4, maxLength: 4 });
    fc.assert(
      fc.property(records, partition, order, fc.boolean(), (recs, partOf, perm, variadic) => {
        const whole = pairSums(recs);
        const parts = perm.map((p) => pairSums(recs.filter((r) => partOf[r.user as number] === p)));
        const merged = variadic ? mergePairSums(...parts) : mergePairSums(parts[0], mergePairSums(parts[1], mergePairSums(parts[2], parts[3])));
        expect(merged).toEqual(whole);
        sameBytes(pairSumsToBytes(merged), pairSumsToBytes(whole));
      }),
      { numRuns: 200 },
    );
  });

  test('options only where interactions are built', () => {
    expect(() => pairSums(Interactions.fromRecords(HAND), { weighting: 'raw' })).toThrow(GroveArgumentError);
    expect(() => pairSums([{ user: 1, item: 2, score: NaN }])).toThrow(/record 0 has score NaN/);
  });
});

describe('mergePairSums', () => {
  test('rejects no arguments and malformed sums', () => {
    expect(() => mergePairSums()).toThrow(GroveArgumentError);
    expect(() => mergePairSums(HAND_SUMS, { ...HAND_SUMS, items: ['a', 3, 'b'] })).toThrow(/argument 1.*items\[1\]/);
    expect(() => mergePairSums({ ...HAND_SUMS, sums: [4, 1, 2] as unknown as Float64Array })).toThrow(/sums must be a Float64Array/);
    expect(() => mergePairSums({ ...HAND_SUMS, indices: u32([1, 2, 1]) })).toThrow(/row 1 has index 1/);
  });
});

/** Dense cosine between item columns in canonical order, computed from the records directly. */
function bruteCosine(recs: InteractionRecord[]): { items: Id[]; cos: number[][] } {
  const cell = new Map<string, number>();
  const key = (u: Id, i: Id) => JSON.stringify([u, i]);
  for (const r of recs) cell.set(key(r.user, r.item), Math.max(r.score, cell.get(key(r.user, r.item)) ?? -Infinity));
  const users = [...new Set(recs.map((r) => r.user))];
  const nums = [...new Set(recs.map((r) => r.item).filter((i) => typeof i === 'number'))].sort((a, b) => (a as number) - (b as number));
  const strs = [...new Set(recs.map((r) => r.item).filter((i) => typeof i === 'string'))].sort();
  const items = [...nums, ...strs];
  const col = items.map((i) => users.map((u) => cell.get(key(u, i)) ?? 0));
  const dot = (x: number[], y: number[]) => x.reduce((s, v, t) => s + v * y[t], 0);
  const cos = col.map((x) => col.map((y) => dot(x, y) / Math.sqrt(dot(x, x) * dot(y, y))));
  return { items, cos };
}

describe('finalize', () => {
  test('equals a dense brute-force cosine top-K (ties aside), best first, ties by smaller index', () => {
    fc.assert(
      fc.property(records, fc.integer({ min: 1, max: 6 }), (recs, k) => {
        const sim = finalize(pairSums(recs), { k });
        const { items, cos } = bruteCosine(recs);
        expect(sim.items).toEqual(items);
        const n = items.length;
        expect(sim.k).toBe(Math.min(k, Math.max(1, n - 1)));
        for (let a = 0; a < n; a++) {
          const ref = cos[a].map((v, b) => [v, b] as const).filter(([v, b]) => b !== a && v > 0).sort((x, y) => y[0] - x[0] || x[1] - y[1]);
          const len = sim.length[a];
          expect(len).toBe(Math.min(sim.k, ref.length));
          const got = Array.from({ length: len }, (_, r) => [sim.value[a * sim.k + r], sim.index[a * sim.k + r]] as const);
          got.forEach(([v, b], r) => {
            expect(Math.abs(v - cos[a][b])).toBeLessThan(1e-6); // the right value for that neighbour
            expect(Math.abs(v - ref[r][0])).toBeLessThan(1e-6); // at the right rank
            if (r > 0) expect(got[r - 1][0] > v || (got[r - 1][0] === v && got[r - 1][1] < b)).toBe(true);
          });
          // every neighbour clearly above the last kept value is kept
          const last = len > 0 ? got[len - 1][0] : Infinity;
          for (const [v, b] of ref) if (v > last + 1e-6) expect(got.map((g) => g[1])).toContain(b);
        }
      }),
      { numRuns: 200 },
    );
  });

  test('hand-worked cosines; equal similarities keep the smaller position', () => {
    const sim = finalize(HAND_SUMS, { k: 1 });
    // cos(3,a) = 4/√(5·5) = 0.8, cos(3,b) = 1/√(5·17), cos(a,b) = 2/√(5·17)
    expect(Array.from(sim.index)).toEqual([1, 0, 1]);
    expect(Array.from(sim.value)).toEqual([0.8, 0.8, 2 / Math.sqrt(85)].map(Math.fround));
    // x co-occurs once with each of c, b, a (first seen in that order): three equal cosines 1/√3
    const tie = finalize(pairSums(['c', 'b', 'a'].flatMap((item, u) => [{ user: u, item: 'x', score: 1 }, { user: u, item, score: 1 }])), { k: 2 });
    expect(tie.items).toEqual(['a', 'b', 'c', 'x']);
    expect(Array.from(tie.index.subarray(3 * 2, 3 * 2 + 2))).toEqual([0, 1]);
    expect(Array.from(tie.value.subarray(3 * 2, 3 * 2 + 2))).toEqual([1 / Math.sqrt(3), 1 / Math.sqrt(3)].map(Math.fround));
  });

  test('empty sums and bad options', () => {
    expect(finalize(pairSums([]))).toMatchObject({ items: [], k: 1, length: new Int32Array(0) });
    expect(() => finalize(HAND_SUMS, { k: 0 })).toThrow(/k must be an integer ≥ 1. Got 0/);
    expect(() => finalize(HAND_SUMS, { kk: 2 } as never)).toThrow(/unknown option "kk"/);
  });
});

describe('pairSumsToBytes / pairSumsFromBytes', () => {
  test('round-trips exactly, string ids included', () => {
    fc.assert(
      fc.property(records, (recs) => {
        const s = pairSums(recs);
        const bytes = pairSumsToBytes(s);
        expect(pairSumsFromBytes(bytes)).toEqual(s);
        sameBytes(pairSumsToBytes(pairSumsFromBytes(bytes)), bytes);
      }),
    );
    const odd: PairSums = { ...HAND_SUMS, items: [-0.5, 'a\u{d800}', '字'] }; // a lone surrogate survives
    expect(pairSumsFromBytes(pairSumsToBytes(odd))).toEqual(odd);
  });

  test('every truncation, trailing bytes, another magic or version: GroveDataError saying so', () => {
    const bytes = pairSumsToBytes(HAND_SUMS);
    for (let n = 0; n < bytes.length; n++) {
      expect(() => pairSumsFromBytes(bytes.subarray(0, n))).toThrow(GroveDataError);
      expect(() => pairSumsFromBytes(bytes.subarray(0, n))).toThrow(/truncated: .* needs \d+ bytes at offset/);
    }
    expect(() => pairSumsFromBytes(Uint8Array.from([...bytes, 0]))).toThrow(/1 unexpected bytes after the last field/);
    expect(() => pairSumsFromBytes(Uint8Array.from([...bytes].map((b, i) => (i === 0 ? 0x58 : b))))).toThrow(/not grove pair sums \(magic "XRVP"/);
    expect(() => pairSumsFromBytes(Uint8Array.from([...bytes].map((b, i) => (i === 4 ? 2 : b))))).toThrow(/version 2 is not supported/);
    expect(() => pairSumsFromBytes([1, 2] as unknown as Uint8Array)).toThrow(GroveArgumentError);
  });

  test('corrupt contents are named', () => {
    const write = (s: PairSums, items: unknown[] = s.items) => {
      const w = new ByteWriter('GRVP', 1);
      w.ids(items as Id[]);
      for (const a of [s.squares, s.support, s.indptr, s.indices, s.sums, s.coCounts]) w.array(a);
      return w.finish();
    };
    const corrupt: Array<[PairSums, RegExp]> = [
      [{ ...HAND_SUMS, items: ['b', 'a', 3] }, /items\[1\] \("a"\) is not after items\[0\] \("b"\)/],
      [{ ...HAND_SUMS, items: [3, 3, 'b'] }, /items\[1\] \(3\) is not after/],
      [{ ...HAND_SUMS, indices: u32([1, 2, 7]) }, /pair 2 of row 1 has index 7/],
      [{ ...HAND_SUMS, indptr: u32([0, 1, 0, 3]) }, /indptr\[2\] = 0 is not within/],
      [{ ...HAND_SUMS, indptr: u32([0, 2, 3, 2]) }, /indptr must run from 0 to 3/],
      [{ ...HAND_SUMS, sums: f64([4, NaN, 2]) }, /sums\[1\] is NaN/],
      [{ ...HAND_SUMS, squares: f64([5, Infinity, 17]) }, /squares\[1\] is Infinity/],
      [{ ...HAND_SUMS, coCounts: u32([2, 0, 1]) }, /coCounts\[1\] is 0/],
    ];
    for (const [s, message] of corrupt) {
      expect(() => pairSumsFromBytes(write(s))).toThrow(GroveDataError);
      expect(() => pairSumsFromBytes(write(s))).toThrow(message);
    }
    expect(() => pairSumsFromBytes(write({ ...HAND_SUMS, sums: f64([4, 1]) }))).toThrow(/sums has 2 entries, expected 3/);
    const badTag = write(HAND_SUMS);
    badTag[12] = 9; // the first id's tag (after magic, version and the id count)
    expect(() => pairSumsFromBytes(badTag)).toThrow(/items\[0\] has id tag 9/);
  });
});

describe('shards from other processes', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'grove-pair-sums-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('pair sums built in child processes and shipped as bytes combine to the whole', () => {
    // The child reads JSON records on stdin and writes pairSumsToBytes on stdout.
    const script = join(dir, 'shard.mjs');
    buildSync({
      stdin: {
        contents: `import { pairSums, pairSumsToBytes } from './src/cf/pair-sums.ts';
          const chunks = [];
          process.stdin.on('data', (c) => chunks.push(c)).on('end', () => process.stdout.write(pairSumsToBytes(pairSums(JSON.parse(Buffer.concat(chunks).toString())))));`,
        resolveDir: root,
        loader: 'ts',
      },
      bundle: true, platform: 'node', format: 'esm', outfile: script, logLevel: 'warning',
    });
    let seed = 7;
    const next = (m: number) => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % m;
    const recs = Array.from({ length: 3000 }, () => ({ user: `u${next(200)}`, item: next(300), score: 1 + next(5) }));
    const shards = [0, 1, 2].map((s) => {
      const run = spawnSync(process.execPath, [script], { input: JSON.stringify(recs.filter((r) => Number(r.user.slice(1)) % 3 === s)), maxBuffer: 1 << 26 });
      expect(run.status, run.stderr.toString()).toBe(0);
      return pairSumsFromBytes(new Uint8Array(run.stdout));
    });
    sameBytes(pairSumsToBytes(mergePairSums(...shards)), pairSumsToBytes(pairSums(recs)));
  });
});

const movielens = sharedDir('data/movielens/ml-100k');

describe.skipIf(!movielens.present)(`ML-100K${movielens.skipReason}`, () => {
  test('four user partitions merge to the whole bit for bit, and finalize keeps K per item', async () => {
    const cols = await readRatings(`${movielens.path}/u.data`);
    const part = (p: number) => {
      const rows = cols.users.flatMap((u, r) => ((u as number) % 4 === p ? [r] : []));
      return pairSums({ users: rows.map((r) => cols.users[r]), items: rows.map((r) => cols.items[r]), scores: rows.map((r) => cols.scores[r]) });
    };
    const whole = pairSums(cols);
    sameBytes(pairSumsToBytes(mergePairSums(part(2), part(0), part(3), part(1))), pairSumsToBytes(whole));
    expect(whole.items.length).toBe(1682);
    expect(whole.support.reduce((s, c) => s + c, 0)).toBe(100_000);
    const sim = finalize(whole, { k: 20 });
    expect(sim.length.every((len) => len === 20)).toBe(true); // every ML-100K movie has ≥ 20 co-rated movies
  });
});
