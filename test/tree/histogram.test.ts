// The histogram kernels (assembly/tree/histogram.ts) against plain TS references on random
// inputs (fast-check) —
// NaN-heavy, constant and duplicate-heavy columns, empty ranges, one row, one feature — plus
// designed cases for the documented tie rule, the byte-sized codes and empty sides.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesAt, f32At } from '../../src/runtime/heap.js';
import { inKernel } from '../helpers/kernel.js';
import { quantileCuts, type Cuts } from '../../src/tree/binning.js';

const f32 = Math.fround;

// ---- generators ----

/** Values that collide with each other and with cuts (so `≤` vs `<` matters), or spread ones. */
const valueArb = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -3, max: 3 }) },
  { weight: 1, arbitrary: fc.integer({ min: -8, max: 8 }).map((v) => v / 2) },
  { weight: 2, arbitrary: fc.float({ min: -1000, max: 1000, noNaN: true }) },
);

/** One column of n values: NaN-heavy, constant (possibly all NaN), duplicate-heavy or spread. */
const columnArb = (n: number) =>
  fc.oneof(
    fc.array(fc.oneof({ weight: 4, arbitrary: fc.constant(NaN) }, { weight: 1, arbitrary: valueArb }), { minLength: n, maxLength: n }),
    fc.oneof(valueArb, fc.constant(NaN)).map((v) => new Array<number>(n).fill(v)),
    fc.array(fc.constantFrom(0, 1, 1, 1, 2, -1.5), { minLength: n, maxLength: n }),
    fc.array(fc.oneof({ weight: 6, arbitrary: valueArb }, { weight: 1, arbitrary: fc.constant(NaN) }), { minLength: n, maxLength: n }),
  );

interface Data {
  n: number;
  m: number;
  X: Float32Array;
  /** Gradient pairs by row id (float32 g, h). */
  g: number[];
  h: number[];
}

const dataArb = (maxRows = 40, maxCols = 5) =>
  fc
    .record({ n: fc.integer({ min: 0, max: maxRows }), m: fc.integer({ min: 1, max: maxCols }) })
    .chain(({ n, m }) =>
      fc.record({
        columns: fc.array(columnArb(n), { minLength: m, maxLength: m }),
        g: fc.array(fc.float({ min: -2, max: 2, noNaN: true }), { minLength: n, maxLength: n }),
        h: fc.array(fc.float({ min: f32(0.02), max: 2, noNaN: true }), { minLength: n, maxLength: n }),
      }).map(({ columns, g, h }): Data => {
        const X = new Float32Array(n * m);
        for (let r = 0; r < n; r++) for (let f = 0; f < m; f++) X[r * m + f] = columns[f][r];
        return { n, m, X, g, h };
      }),
    );

/** A permutation of 0 … n−1 and a range [from, to) of it. */
const nodeArb = (n: number) =>
  fc.record({
    keys: fc.array(fc.double({ noNaN: true }), { minLength: n, maxLength: n }),
    a: fc.integer({ min: 0, max: n }),
    b: fc.integer({ min: 0, max: n }),
  }).map(({ keys, a, b }) => ({
    rows: Int32Array.from(keys.map((k, i) => [k, i] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1]), ([, i]) => i),
    from: Math.min(a, b),
    to: Math.max(a, b),
  }));

// ---- scalar references ----

/** Bin code of x: the number of cuts ≤ x, or nCuts + 1 (the missing bin) for NaN. */
function refBin(x: number, cuts: ArrayLike<number>): number {
  if (Number.isNaN(x)) return cuts.length + 1;
  let count = 0;
  for (let i = 0; i < cuts.length; i++) if (cuts[i] <= x) count++;
  return count;
}

function refBins(d: Data, cuts: Cuts): Uint8Array {
  const out = new Uint8Array(d.n * d.m);
  for (let r = 0; r < d.n; r++) {
    for (let f = 0; f < d.m; f++) out[r * d.m + f] = refBin(d.X[r * d.m + f], cuts.values.subarray(cuts.ptr[f], cuts.ptr[f + 1]));
  }
  return out;
}

/** Node-ordered gradient pairs of `rows` (f32 g, h per position). */
function nodePairs(d: Data, rows: Int32Array): Float32Array {
  const gh = new Float32Array(2 * rows.length);
  rows.forEach((r, i) => {
    gh[2 * i] = d.g[r];
    gh[2 * i + 1] = d.h[r];
  });
  return gh;
}

// ---- kernel wrappers ----

function kernelBins(X: Float32Array, n: number, m: number, values: Float32Array, ptr: Int32Array): Uint8Array {
  return inKernel((k, heap) => {
    const out = heap.alloc(n * m);
    k.tree_bin_rows(heap.copyIn(X), m, 0, 0, n, heap.copyIn(values), heap.copyIn(ptr), out);
    return bytesAt(k, out, n * m).slice();
  });
}

/** The codes of `rows` in their order (m bytes each): the node-ordered copy the kernels read. */
function gatherCodes(bins: Uint8Array, m: number, rows: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(rows.length * m);
  for (let i = 0; i < rows.length; i++) out.set(bins.subarray(rows[i] * m, rows[i] * m + m), i * m);
  return out;
}

function kernelHistogram(bins: Uint8Array, m: number, rows: Int32Array, gh: Float32Array, from: number, to: number, cuts: Cuts, start: Float64Array): Float64Array {
  return inKernel((k, heap) => {
    // the kernel's own gather must give the reference's node-ordered codes
    const codes = heap.alloc(rows.length * m);
    const [pb, pr, pg, histOff] = [heap.copyIn(bins), heap.copyIn(rows), heap.copyIn(gh), heap.copyIn(cuts.histOff)];
    k.tree_gather_rows(pb, m, pr, rows.length, codes);
    expect(bytesAt(k, codes, rows.length * m).slice()).toEqual(gatherCodes(bins, m, rows));
    const ordered = heap.copyIn(start);
    k.tree_build_histogram(codes, m, 0, pg, from, to, histOff, ordered);
    // reading each row's codes and pair by its id adds the same pairs in the same order
    const pairsById = new Float32Array(gh.length);
    rows.forEach((r, i) => pairsById.set(gh.subarray(2 * i, 2 * i + 2), 2 * r));
    const byId = heap.copyIn(start);
    k.tree_build_histogram(pb, m, pr, heap.copyIn(pairsById), from, to, histOff, byId);
    const hist = new Float64Array(k.memory.buffer, ordered, start.length).slice();
    expect(new Float64Array(k.memory.buffer, byId, start.length).slice()).toEqual(hist);
    return hist;
  });
}

interface KernelSplit {
  gain: number;
  feature: number;
  bin: number;
  defaultLeft: boolean;
  GL: number;
  HL: number;
  condition: number;
  missing: number;
}

const FLT_MAX = 3.4028234663852886e38;

/** A node for tree_best_splits: its histogram, totals and feature mask. */
interface SplitNode {
  hist: Float64Array;
  G: number;
  H: number;
  mask: Uint8Array;
}

/** tree_best_splits of `nodes` in one call (cuts: zeros of the right length when not given). */
function kernelBestSplits(nodes: SplitNode[], m: number, histOff: Int32Array, nBins: Int32Array, lambda: number, alpha: number, mcw: number, cuts?: Cuts): KernelSplit[] {
  const values = cuts?.values ?? new Float32Array(Math.max(...nBins));
  const ptr = cuts?.ptr ?? new Int32Array(m + 1);
  return inKernel((k, heap) => {
    const table = new Float64Array(3 * nodes.length);
    nodes.forEach((nd, i) => table.set([heap.copyIn(nd.hist), nd.G, nd.H], 3 * i));
    const masks = new Uint8Array(m * nodes.length);
    nodes.forEach((nd, i) => masks.set(nd.mask, m * i));
    const out = heap.alloc(64 * nodes.length);
    k.tree_best_splits(heap.copyIn(table), nodes.length, m, heap.copyIn(histOff), heap.copyIn(nBins), heap.copyIn(masks), heap.copyIn(values), heap.copyIn(ptr), lambda, alpha, mcw, out);
    const r = new Float64Array(k.memory.buffer, out, 8 * nodes.length).slice();
    return nodes.map((_, i) => {
      const [gain, feature, bin, defaultLeft, GL, HL, condition, missing] = r.subarray(8 * i, 8 * i + 8);
      return { gain, feature, bin, defaultLeft: defaultLeft !== 0, GL, HL, condition, missing };
    });
  });
}

function kernelBestSplit(hist: Float64Array, m: number, histOff: Int32Array, nBins: Int32Array, mask: Uint8Array, G: number, H: number, lambda: number, alpha: number, mcw: number, cuts?: Cuts): KernelSplit {
  return kernelBestSplits([{ hist, G, H, mask }], m, histOff, nBins, lambda, alpha, mcw, cuts)[0];
}

describe('tree_bin_rows', () => {
  it('codes = the number of cuts ≤ x, NaN → nCuts + 1, for any ascending cuts', () => {
    const cutsArb = fc.uniqueArray(valueArb.map(f32), { maxLength: 12 }).map((c) => Float32Array.from(c).sort());
    fc.assert(
      fc.property(dataArb(), fc.array(cutsArb, { minLength: 5, maxLength: 5 }), (d, perFeature) => {
        const ptr = new Int32Array(d.m + 1);
        for (let f = 0; f < d.m; f++) ptr[f + 1] = ptr[f] + perFeature[f].length;
        const values = new Float32Array(ptr[d.m]);
        for (let f = 0; f < d.m; f++) values.set(perFeature[f], ptr[f]);
        const got = kernelBins(d.X, d.n, d.m, values, ptr);
        for (let r = 0; r < d.n; r++) {
          for (let f = 0; f < d.m; f++) expect(got[r * d.m + f]).toBe(refBin(d.X[r * d.m + f], perFeature[f]));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('uses the whole byte: 254 cuts put NaN at code 255, 255 cuts put the largest value at 255', () => {
    const n = 600;
    const X = new Float32Array(n);
    for (let r = 0; r < n; r++) X[r] = r % 7 === 0 ? NaN : r;
    const cuts = quantileCuts(X, n, 1, 256);
    expect(cuts.nBins[0]).toBe(255); // missing values present: 255 regular bins + the missing one
    const got = kernelBins(X, n, 1, cuts.values, cuts.ptr);
    expect(got).toEqual(Uint8Array.from(X, (x) => refBin(x, cuts.values)));
    expect(got[0]).toBe(255);
    const full = Float32Array.from({ length: n }, (_, r) => r);
    const fullCuts = quantileCuts(full, n, 1, 256);
    expect(fullCuts.nBins[0]).toBe(256);
    const codes = kernelBins(full, n, 1, fullCuts.values, fullCuts.ptr);
    expect(codes[n - 1]).toBe(255);
    expect(codes).toEqual(Uint8Array.from(full, (x) => refBin(x, fullCuts.values)));
  });
});

describe('tree_build_histogram and tree_subtract_histogram', () => {
  it('adds each node row\'s (g, h) into its bins in f64, on top of what the histogram held', () => {
    fc.assert(
      fc.property(
        // up to 9 features: the kernel adds four a step, then the rest one by one
        dataArb(40, 9).chain((d) => fc.record({ d: fc.constant(d), node: nodeArb(d.n), maxBin: fc.integer({ min: 2, max: 6 }), start: fc.boolean() })),
        ({ d, node, maxBin, start }) => {
          const cuts = quantileCuts(d.X, d.n, d.m, maxBin);
          const bins = refBins(d, cuts);
          const gh = nodePairs(d, node.rows);
          const initial = Float64Array.from({ length: 2 * cuts.histPairs }, (_, i) => (start ? (i % 5) - 2.25 : 0));
          const want = initial.slice();
          for (let i = node.from; i < node.to; i++) {
            const r = node.rows[i];
            for (let f = 0; f < d.m; f++) {
              const at = cuts.histOff[f] + bins[r * d.m + f];
              want[2 * at] += gh[2 * i];
              want[2 * at + 1] += gh[2 * i + 1];
            }
          }
          expect(kernelHistogram(bins, d.m, node.rows, gh, node.from, node.to, cuts, initial)).toEqual(want);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('subtracts pair by pair, into a third buffer or in place', () => {
    const f64 = fc.double({ min: -1e6, max: 1e6, noNaN: true });
    fc.assert(
      fc.property(fc.array(fc.tuple(f64, f64, f64, f64), { maxLength: 30 }), (quads) => {
        const a = Float64Array.from(quads.flatMap(([g, h]) => [g, h]));
        const b = Float64Array.from(quads.flatMap(([, , g, h]) => [g, h]));
        const want = a.map((v, i) => v - b[i]);
        const pairs = quads.length;
        const [apart, inPlace] = inKernel((k, heap) => {
          const pa = heap.copyIn(a);
          const pb = heap.copyIn(b);
          const out = heap.alloc(a.byteLength);
          k.tree_subtract_histogram(pa, pb, out, pairs);
          const first = new Float64Array(k.memory.buffer, out, 2 * pairs).slice();
          k.tree_subtract_histogram(pa, pb, pa, pairs);
          return [first, new Float64Array(k.memory.buffer, pa, 2 * pairs).slice()];
        });
        expect(apart).toEqual(want);
        expect(inPlace).toEqual(want);
      }),
    );
  });

  it('parent − smaller child = the larger child\'s histogram (to rounding)', () => {
    fc.assert(
      fc.property(
        dataArb().chain((d) => fc.record({ d: fc.constant(d), node: nodeArb(d.n), split: fc.nat() })),
        ({ d, node, split }) => {
          const cuts = quantileCuts(d.X, d.n, d.m, 4);
          const bins = refBins(d, cuts);
          const gh = nodePairs(d, node.rows);
          const mid = node.from + (node.to > node.from ? split % (node.to - node.from + 1) : 0);
          const zero = new Float64Array(2 * cuts.histPairs);
          const parent = kernelHistogram(bins, d.m, node.rows, gh, node.from, node.to, cuts, zero);
          const left = kernelHistogram(bins, d.m, node.rows, gh, node.from, mid, cuts, zero);
          const right = kernelHistogram(bins, d.m, node.rows, gh, mid, node.to, cuts, zero);
          const derived = parent.map((v, i) => v - left[i]);
          derived.forEach((v, i) => expect(Math.abs(v - right[i])).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(parent[i]))));
        },
      ),
      { numRuns: 100 },
    );
  });
});

// ---- best split: a brute force over the rows ----

const thresholdL1 = (g: number, alpha: number) => (g > alpha ? g - alpha : g < -alpha ? g + alpha : 0);
/** XGBoost's CalcGain: T_α(G)²/(H + λ), 0 for a side without hessian. */
const score = (g: number, h: number, lambda: number, alpha: number) => (h > 0 ? thresholdL1(g, alpha) ** 2 / (h + lambda) : 0);

interface Candidate {
  feature: number;
  bin: number;
  defaultLeft: boolean;
  gain: number;
  GL: number;
  HL: number;
  /** The rows sent left. */
  left: string;
  /** The two sides, unordered: candidates with the same partition are the same split (only
   *  missing rows apart from the rest can come both ways: b = −1 left, b = nBins − 1 right). */
  partition: string;
  /** score(L) + score(R), for the rounding scale. */
  children: number;
}

/**
 * Every split the kernel documents, in its enumeration order (feature, then bin b from −1 to
 * nBins − 1, missing right before missing left), with G and H summed over the rows of each side:
 * bins ≤ b go left, the missing rows as a group right (b ≥ 0; at b = nBins − 1 only when there
 * are missing rows) or left (only when there are missing rows, b < nBins − 1); both sides need
 * hessian ≥ minChildWeight. gain = score(L) + score(R) − score(parent).
 */
function bruteForceSplits(rows: number[], bins: Uint8Array, m: number, nBins: Int32Array, g: number[], h: number[], mask: Uint8Array, lambda: number, alpha: number, mcw: number) {
  const sum = (rs: number[], v: number[]) => rs.reduce((s, r) => s + v[r], 0);
  const G = sum(rows, g);
  const H = sum(rows, h);
  const parent = score(G, H, lambda, alpha);
  const out: Candidate[] = [];
  for (let f = 0; f < m; f++) {
    if (!mask[f]) continue;
    const nb = nBins[f];
    const hasMissing = rows.some((r) => bins[r * m + f] === nb);
    for (let b = -1; b < nb; b++) {
      for (const defaultLeft of [false, true]) {
        const allowed = defaultLeft ? hasMissing && b < nb - 1 : b >= 0 && (b < nb - 1 || hasMissing);
        if (!allowed) continue;
        const goesLeft = (r: number) => (bins[r * m + f] === nb ? defaultLeft : bins[r * m + f] <= b);
        const L = rows.filter(goesLeft);
        const R = rows.filter((r) => !goesLeft(r));
        const [GL, HL, GR, HR] = [sum(L, g), sum(L, h), sum(R, g), sum(R, h)];
        if (!(HL >= mcw && HR >= mcw)) continue;
        const children = score(GL, HL, lambda, alpha) + score(GR, HR, lambda, alpha);
        const [left, right] = [L, R].map((side) => [...side].sort((x, y) => x - y).join(','));
        out.push({ feature: f, bin: b, defaultLeft, gain: children - parent, GL, HL, left, partition: [left, right].sort().join('|'), children });
      }
    }
  }
  return { G, H, parent, candidates: out };
}

describe('tree_best_splits', () => {
  it('equals a brute force over every (feature, bin, missing side) on the node\'s rows', () => {
    let decided = 0;
    fc.assert(
      fc.property(
        dataArb(30, 4).chain((d) =>
          fc.record({
            d: fc.constant(d),
            node: nodeArb(d.n),
            maxBin: fc.integer({ min: 2, max: 7 }),
            mask: fc.array(fc.boolean(), { minLength: d.m, maxLength: d.m }),
            lambda: fc.constantFrom(0, 0.5, 1, 3),
            alpha: fc.constantFrom(0, 0.2, 1),
            // > 0 with h ≥ 0.02, so an empty side (H exactly 0 here, ±rounding in the kernel)
            // is rejected by both; empty sides at minChildWeight 0 have their own test below
            mcw: fc.constantFrom(0.01, 0.3, 1.5),
          }),
        ),
        ({ d, node, maxBin, mask, lambda, alpha, mcw }) => {
          const cuts = quantileCuts(d.X, d.n, d.m, maxBin);
          const bins = refBins(d, cuts);
          const gh = nodePairs(d, node.rows);
          const hist = kernelHistogram(bins, d.m, node.rows, gh, node.from, node.to, cuts, new Float64Array(2 * cuts.histPairs));
          const rows = Array.from(node.rows.subarray(node.from, node.to));
          const maskBytes = Uint8Array.from(mask, Number);
          const ref = bruteForceSplits(rows, bins, d.m, cuts.nBins, d.g, d.h, maskBytes, lambda, alpha, mcw);
          const got = kernelBestSplit(hist, d.m, cuts.histOff, cuts.nBins, maskBytes, ref.G, ref.H, lambda, alpha, mcw, cuts);
          if (ref.candidates.length === 0) {
            expect(got.gain).toBe(-Infinity);
            expect(got.feature).toBe(-1);
            return;
          }
          const best = ref.candidates.reduce((a, c) => (c.gain > a.gain ? c : a));
          const tol = 1e-9 * (1 + ref.parent + Math.max(...ref.candidates.map((c) => c.children)));
          expect(Math.abs(got.gain - best.gain)).toBeLessThanOrEqual(tol);
          // the chosen split, when no different partition comes within rounding of the best
          const rival = ref.candidates.filter((c) => c.partition !== best.partition).reduce((a, c) => Math.max(a, c.gain), -Infinity);
          if (best.gain - rival > 1e3 * tol) {
            decided++;
            // among candidates sending the same rows left (empty bins), the first in order wins
            const chosen = ref.candidates.find((c) => c.partition === best.partition && c.feature === got.feature && c.bin === got.bin && c.defaultLeft === got.defaultLeft);
            expect(chosen, `kernel chose ${JSON.stringify(got)}, best ${JSON.stringify(best)}`).toBeDefined();
            expect(ref.candidates.find((c) => c.left === chosen!.left)).toBe(chosen);
            expect(Math.abs(got.GL - chosen!.GL)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(chosen!.GL)) * rows.length);
            expect(Math.abs(got.HL - chosen!.HL)).toBeLessThanOrEqual(1e-9 * (1 + chosen!.HL) * rows.length);
            // the threshold is the cut after the bin (none: only missing rows go left), and the missing code the feature's
            expect(got.condition).toBe(got.bin < 0 ? -FLT_MAX : cuts.values[cuts.ptr[got.feature] + got.bin]);
            expect(got.missing).toBe(cuts.nBins[got.feature]);
          }
        },
      ),
      { numRuns: 400 },
    );
    expect(decided).toBeGreaterThan(40); // the split identity was compared (about 1 run in 5)
  });

  it('scores a level\'s nodes in one call exactly as each alone', () => {
    fc.assert(
      fc.property(
        dataArb(30, 4).chain((d) =>
          fc.record({
            d: fc.constant(d),
            nodes: fc.array(fc.record({ node: nodeArb(d.n), mask: fc.array(fc.boolean(), { minLength: d.m, maxLength: d.m }) }), { minLength: 1, maxLength: 5 }),
            lambda: fc.constantFrom(0, 1),
            mcw: fc.constantFrom(0, 0.3),
          }),
        ),
        ({ d, nodes, lambda, mcw }) => {
          const cuts = quantileCuts(d.X, d.n, d.m, 6);
          const bins = refBins(d, cuts);
          const level = nodes.map(({ node, mask }) => {
            const gh = nodePairs(d, node.rows);
            const rows = Array.from(node.rows.subarray(node.from, node.to));
            return {
              hist: kernelHistogram(bins, d.m, node.rows, gh, node.from, node.to, cuts, new Float64Array(2 * cuts.histPairs)),
              G: rows.reduce((a, r) => a + d.g[r], 0),
              H: rows.reduce((a, r) => a + d.h[r], 0),
              mask: Uint8Array.from(mask, Number),
            };
          });
          const together = kernelBestSplits(level, d.m, cuts.histOff, cuts.nBins, lambda, 0, mcw, cuts);
          expect(together).toEqual(level.map((nd) => kernelBestSplit(nd.hist, d.m, cuts.histOff, cuts.nBins, nd.mask, nd.G, nd.H, lambda, 0, mcw, cuts)));
          // no split: feature −1 and zeros, whatever the memory held
          together.filter((s) => s.gain === -Infinity).forEach((s) => expect(s).toEqual({ gain: -Infinity, feature: -1, bin: 0, defaultLeft: false, GL: 0, HL: 0, condition: 0, missing: 0 }));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('resolves ties as documented: missing right before left, then the earlier feature', () => {
    // two identical features, bins 0 and 1 hold (g, h) = (−1, 1) and (1, 1), the missing bin
    // (0, 1): sending the missing rows left or right gains the same
    const hist = Float64Array.from([-1, 1, 1, 1, 0, 1, -1, 1, 1, 1, 0, 1]);
    const got = kernelBestSplit(hist, 2, Int32Array.of(0, 3), Int32Array.of(2, 2), Uint8Array.of(1, 1), 0, 3, 1, 0, 0);
    // score(L) + score(R) − score(P) = 1/2 + 1/3 − 0 (missing right)
    expect(got.gain).toBeCloseTo(1 / 2 + 1 / 3, 12);
    expect(got).toMatchObject({ feature: 0, bin: 0, defaultLeft: false, GL: -1, HL: 1 });
    // with feature 0 masked out, feature 1
    expect(kernelBestSplit(hist, 2, Int32Array.of(0, 3), Int32Array.of(2, 2), Uint8Array.of(0, 1), 0, 3, 1, 0, 0).feature).toBe(1);
    // no feature allowed: no split
    const none = kernelBestSplit(hist, 2, Int32Array.of(0, 3), Int32Array.of(2, 2), Uint8Array.of(0, 0), 0, 3, 1, 0, 0);
    expect(none).toMatchObject({ gain: -Infinity, feature: -1 });
  });

  it('splits missing from present rows, even on a constant column', () => {
    // one regular bin (G, H) = (1.5, 3), missing bin (−1.5, 3); λ = 1: each side scores
    // 1.5²/4 = 0.5625, the parent 0, so the gain is 1.125 (XGBoost's, see test/boost/train.test.ts)
    const hist = Float64Array.from([1.5, 3, -1.5, 3]);
    const got = kernelBestSplit(hist, 1, Int32Array.of(0), Int32Array.of(1), Uint8Array.of(1), 0, 6, 1, 0, 1);
    expect(got.gain).toBeCloseTo(1.125, 12);
    // missing alone on the left (bin −1) or alone on the right (the last bin): the same split
    expect([[-1, true, -1.5, 3], [0, false, 1.5, 3]]).toContainEqual([got.bin, got.defaultLeft, got.GL, got.HL]);
    // without missing rows a single bin cannot split
    const none = kernelBestSplit(Float64Array.from([1.5, 3, 0, 0]), 1, Int32Array.of(0), Int32Array.of(1), Uint8Array.of(1), 1.5, 3, 1, 0, 0);
    expect(none).toMatchObject({ gain: -Infinity, feature: -1 });
  });

  it('never lets an empty side win when λ = 0 and minChildWeight = 0 (XGBoost\'s CalcGain is 0 for H ≤ 0)', () => {
    // Bins 0, 1 hold (−1, 1) and (1, 1); bin 2 is empty in this node, as upper bins of a child
    // often are. G arrives from another summation order than the histogram's prefix sums (the
    // grower derives a child's G as parent − sibling), so G − G_L is a rounding residue while
    // H − H_L is exactly 0 (integer hessians): the split after bin 1 leaves the right side empty.
    const hist = Float64Array.from([-1, 1, 1, 1, 0, 0, 0, 0]);
    const G = 2 ** -50;
    const got = kernelBestSplit(hist, 1, Int32Array.of(0), Int32Array.of(3), Uint8Array.of(1), G, 2, 0, 0, 0);
    // the real split: bin 0 | bin 1, gain 1/1 + 1/1 − score(parent ≈ 0)
    expect(got.gain).toBeCloseTo(2, 9);
    expect(got.bin).toBe(0);
  });
});

describe('tree_partition', () => {
  it('is a stable filter: rows going left first, in order, then the rest, by codes or recorded decisions; in node order pairs and codes move with their rows, by row id only the ids move', () => {
    fc.assert(
      fc.property(
        dataArb().chain((d) =>
          fc.record({ d: fc.constant(d), node: nodeArb(d.n), f: fc.nat({ max: d.m - 1 }), bin: fc.nat({ max: 8 }), defaultLeft: fc.boolean(), maxBin: fc.integer({ min: 2, max: 8 }) }),
        ),
        ({ d, node, f, bin, defaultLeft, maxBin }) => {
          const cuts = quantileCuts(d.X, d.n, d.m, maxBin);
          const bins = refBins(d, cuts);
          const missing = cuts.nBins[f];
          const b = (bin % (cuts.nBins[f] + 1)) - 1; // −1 (no regular bin left) … nBins − 1 (all)
          const gh = nodePairs(d, node.rows);
          const { rows, from, to } = node;
          const goesLeft = (r: number) => (bins[r * d.m + f] === missing ? defaultLeft : bins[r * d.m + f] <= b);
          const range = Array.from(rows.subarray(from, to), (r, i) => ({ r, g: gh[2 * (from + i)], h: gh[2 * (from + i) + 1] }));
          const left = range.filter((e) => goesLeft(e.r));
          const ordered = [...left, ...range.filter((e) => !goesLeft(e.r))];
          const wantRows = rows.slice();
          const wantGh = gh.slice();
          ordered.forEach((e, i) => {
            wantRows[from + i] = e.r;
            wantGh[2 * (from + i)] = e.g;
            wantGh[2 * (from + i) + 1] = e.h;
          });
          // by the codes; by the sides tree_decide records (node-ordered codes, and codes by row
          // id), as shards do; then by codes read by row id from the binned matrix
          const [byCode, byDecision, byId, decisions, lefts] = inKernel((k, heap) => {
            const decisions = heap.alloc(d.n);
            const fromIds = heap.alloc(d.n);
            const lefts = [
              k.tree_decide(heap.copyIn(gatherCodes(bins, d.m, rows)), d.m, 0, from, to, f, b, missing, defaultLeft ? 1 : 0, decisions),
              k.tree_decide(heap.copyIn(bins), d.m, heap.copyIn(rows), from, to, f, b, missing, defaultLeft ? 1 : 0, fromIds),
            ];
            expect(bytesAt(k, fromIds, d.n).slice(from, to)).toEqual(bytesAt(k, decisions, d.n).slice(from, to));
            const run = (feature: number, codes: Uint8Array, moveCodes: boolean) => {
              const pr = heap.copyIn(rows);
              const pg = heap.copyIn(gh);
              const pc = heap.copyIn(codes);
              const nl = k.tree_partition(pc, d.m, pr, pg, from, to, feature, b, missing, defaultLeft ? 1 : 0, decisions, heap.alloc(4 * d.n), heap.alloc(8 * d.n), moveCodes ? heap.alloc(d.m * d.n) : 0);
              return { nl, rows: new Int32Array(k.memory.buffer, pr, d.n).slice(), gh: f32At(k, pg, 2 * d.n).slice(), codes: bytesAt(k, pc, d.m * d.n).slice() };
            };
            const first = run(f, gatherCodes(bins, d.m, rows), true);
            const second = run(-1, gatherCodes(bins, d.m, rows), true);
            return [first, second, [run(f, bins, false), run(-1, bins, false)], bytesAt(k, decisions, d.n).slice(from, to), lefts];
          });
          expect(Array.from(decisions)).toEqual(Array.from(rows.subarray(from, to), (r) => (goesLeft(r) ? 1 : 0)));
          expect(lefts).toEqual([left.length, left.length]);
          for (const got of [byCode, byDecision, ...byId]) {
            expect(got.nl).toBe(left.length);
            expect(got.rows).toEqual(wantRows);
          }
          for (const got of [byCode, byDecision]) {
            expect(new Uint32Array(got.gh.buffer)).toEqual(new Uint32Array(wantGh.buffer)); // each row's pair and codes moved with it
            expect(got.codes).toEqual(gatherCodes(bins, d.m, wantRows));
          }
          for (const got of byId) {
            // codes and pairs by row id stay put
            expect(got.codes).toEqual(bins);
            expect(new Uint32Array(got.gh.buffer)).toEqual(new Uint32Array(gh.buffer));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('a tree level in three calls: tree_begin, tree_partition_splits, tree_split_histograms (codes and pairs by row id)', () => {
  /** f64 (G, H) per bin of the rows at positions [from, to), added in position order. */
  const refHistogram = (bins: Uint8Array, m: number, cuts: Cuts, rows: Int32Array, gh: Float32Array, from: number, to: number) => {
    const hist = new Float64Array(2 * cuts.histPairs);
    for (let i = from; i < to; i++) {
      for (let f = 0; f < m; f++) {
        const at = 2 * (cuts.histOff[f] + bins[rows[i] * m + f]);
        hist[at] += gh[2 * i];
        hist[at + 1] += gh[2 * i + 1];
      }
    }
    return hist;
  };

  it('starts a tree on sampled rows: sums their pairs in order, read by row id or gathered into node order', () => {
    fc.assert(
      fc.property(dataArb(40, 1), fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), (d, keep) => {
        const rows = Int32Array.from({ length: d.n }, (_, r) => r).filter((r) => keep[r]);
        const pairs = Float32Array.from({ length: 2 * d.n }, (_, i) => (i % 2 ? d.h[i >> 1] : d.g[i >> 1]));
        let [G, H] = [0, 0];
        for (const r of rows) [G, H] = [G + pairs[2 * r], H + pairs[2 * r + 1]];
        inKernel((k, heap) => {
          const pp = heap.copyIn(pairs);
          for (const gather of [false, true]) {
            const pr = heap.copyIn(rows);
            const pg = gather ? heap.copyIn(new Float32Array(2 * rows.length).fill(NaN)) : 0;
            const sums = heap.alloc(16);
            k.tree_begin(pr, 0, pp, pg, rows.length, sums);
            expect(Array.from(new Float64Array(k.memory.buffer, sums, 2))).toEqual([G, H]);
            expect(new Int32Array(k.memory.buffer, pr, rows.length).slice()).toEqual(rows); // sampled ids kept
            if (gather) expect(f32At(k, pg, 2 * rows.length).slice()).toEqual(Float32Array.from({ length: 2 * rows.length }, (_, i) => pairs[2 * rows[i >> 1] + (i % 2)]));
          }
          expect(f32At(k, pp, 2 * d.n).slice()).toEqual(pairs);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('numbers the rows and sums their pairs in order; partitions every node of a level and builds each smaller child\'s histogram, the larger as parent − smaller', () => {
    fc.assert(
      fc.property(
        dataArb(40, 4).chain((d) =>
          fc.record({
            d: fc.constant(d),
            maxBin: fc.integer({ min: 2, max: 8 }),
            // a level: consecutive node ranges, each split by a feature and bin (or another shard's: skipped)
            bounds: fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, d.n - 1) }), { maxLength: 3 }),
            splits: fc.array(fc.record({ f: fc.nat({ max: d.m - 1 }), bin: fc.nat({ max: 8 }), defaultLeft: fc.boolean(), mine: fc.boolean() }), { minLength: 4, maxLength: 4 }),
          }),
        ),
        ({ d, maxBin, bounds, splits }) => {
          const cuts = quantileCuts(d.X, d.n, d.m, maxBin);
          const bins = refBins(d, cuts);
          const edges = [0, ...bounds.filter((b) => b < d.n).sort((a, b) => a - b), d.n];
          const nodes = edges.slice(1).map((to, i) => {
            const s = splits[i];
            return { from: edges[i], to, f: s.mine ? s.f : -2, bin: (s.bin % (cuts.nBins[s.f] + 1)) - 1, missing: cuts.nBins[s.f], defaultLeft: s.defaultLeft };
          });
          const gh = nodePairs(d, Int32Array.from({ length: d.n }, (_, r) => r));
          // reference: each node's rows stably filtered, left first
          const wantRows = Int32Array.from({ length: d.n }, (_, r) => r);
          const counts = nodes.map((nd) => {
            if (nd.f < -1) return -1;
            const goesLeft = (r: number) => (bins[r * d.m + nd.f] === nd.missing ? nd.defaultLeft : bins[r * d.m + nd.f] <= nd.bin);
            const range = Array.from(wantRows.subarray(nd.from, nd.to));
            const left = range.filter(goesLeft);
            wantRows.set([...left, ...range.filter((r) => !goesLeft(r))], nd.from);
            return left.length;
          });
          const wantGh = nodePairs(d, wantRows);
          inKernel((k, heap) => {
            const pr = heap.alloc(4 * d.n);
            const pg = heap.copyIn(gh);
            const sums = heap.alloc(16);
            k.tree_begin(pr, 1, pg, 0, d.n, sums); // pairs stay by row id
            expect(Array.from(new Int32Array(k.memory.buffer, pr, d.n))).toEqual(Array.from({ length: d.n }, (_, r) => r));
            let [G, H] = [0, 0];
            for (let r = 0; r < d.n; r++) [G, H] = [G + gh[2 * r], H + gh[2 * r + 1]];
            expect(Array.from(new Float64Array(k.memory.buffer, sums, 2))).toEqual([G, H]);

            const table = new Int32Array(9 * nodes.length);
            nodes.forEach((nd, i) => table.set([nd.from, nd.to, nd.f, nd.bin, nd.missing, nd.defaultLeft ? 1 : 0, -7], 9 * i));
            const pt = heap.copyIn(table);
            const pb = heap.copyIn(bins);
            k.tree_partition_splits(pt, nodes.length, pb, d.m, pr, pg, heap.alloc(d.n), heap.alloc(4 * d.n), heap.alloc(8 * d.n), 0);
            const done = new Int32Array(k.memory.buffer, pt, 9 * nodes.length).slice();
            expect(nodes.map((_, i) => done[9 * i + 6])).toEqual(counts.map((c) => (c < 0 ? -7 : c))); // skipped nodes untouched
            expect(new Int32Array(k.memory.buffer, pr, d.n).slice()).toEqual(wantRows);
            expect(new Uint32Array(f32At(k, pg, 2 * d.n).slice().buffer)).toEqual(new Uint32Array(gh.buffer)); // only ids moved

            // histograms of the partitioned nodes' children
            const parted = nodes.map((nd, i) => ({ ...nd, left: counts[i] })).filter((nd) => nd.left >= 0);
            const hists = parted.map((nd) => {
              const parent = refHistogram(bins, d.m, cuts, wantRows, wantGh, nd.from, nd.to);
              return { parent, at: heap.copyIn(parent), small: heap.copyIn(new Float64Array(parent.length).fill(NaN)) };
            });
            const records = new Int32Array(9 * parted.length);
            parted.forEach((nd, i) => records.set([nd.from, nd.to, 0, 0, 0, 0, nd.left, hists[i].at, hists[i].small], 9 * i));
            k.tree_split_histograms(heap.copyIn(records), parted.length, pb, d.m, pr, pg, heap.copyIn(cuts.histOff), cuts.histPairs);
            parted.forEach((nd, i) => {
              const mid = nd.from + nd.left;
              const [a, b] = mid - nd.from <= nd.to - mid ? [nd.from, mid] : [mid, nd.to];
              const small = refHistogram(bins, d.m, cuts, wantRows, wantGh, a, b);
              const len = small.length;
              expect(new Float64Array(k.memory.buffer, hists[i].small, len).slice()).toEqual(small);
              expect(new Float64Array(k.memory.buffer, hists[i].at, len).slice()).toEqual(hists[i].parent.map((v, j) => v - small[j]));
            });
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
