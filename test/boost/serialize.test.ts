/**
 * Grove's JSON and byte formats for boosted models (and XGBoost JSON on the same random
 * forests): round trips over random small forests, deleted nodes and −0 included, and corrupt,
 * truncated or foreign input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BOOST_OBJECTIVES, DELETED_SPLIT_INDEX, forestFromTrees, type BoostedModel, type BoostObjective, type TreeArrays } from '../../src/boost/model.js';
import { predictLeaf, predictRaw } from '../../src/boost/predict-reference.js';
import { modelFromBytes, modelFromJSON, modelToBytes, modelToJSON } from '../../src/boost/serialize.js';
import { readXGBoostJSON, writeXGBoostJSON } from '../../src/interop/xgboost-json.js';
import { GroveArgumentError, GroveDataError } from '../../src/runtime/errors.js';

// Any finite float32, with −0 and round values often enough to matter.
const float32 = fc.oneof({ arbitrary: fc.float({ noNaN: true, noDefaultInfinity: true }), weight: 4 }, fc.constantFrom(-0, 0, 1, -2.5));

interface Step {
  prune: boolean;
  at: number;
  feature: number;
  cond: number;
  leaf: [number, number];
  dleft: boolean;
  stats: [number, number, number];
}

/** One growth step: split a leaf (chosen by `at`), or prune a split whose children are leaves. */
const step: fc.Arbitrary<Step> = fc.record({ prune: fc.boolean(), at: fc.nat(), feature: fc.nat(), cond: float32, leaf: fc.tuple(float32, float32), dleft: fc.boolean(), stats: fc.tuple(float32, float32, float32) });

/** Trees grown the way XGBoost numbers nodes: children appended in pairs, pruned children kept as deleted. */
function growTree(steps: Step[], numFeature: number, rootValue: number): TreeArrays {
  const left = [-1];
  const right = [-1];
  const feature = [0];
  const cond = [rootValue];
  const dleft = [0];
  const stats: number[][] = [[0, 1, 0]];
  for (const s of steps) {
    const leaves = left.map((_, i) => i).filter((i) => left[i] === -1 && !(feature[i] === DELETED_SPLIT_INDEX && dleft[i] === 1));
    const prunable = left.map((_, i) => i).filter((i) => left[i] !== -1 && left[left[i]] === -1 && left[right[i]] === -1 && feature[left[i]] !== DELETED_SPLIT_INDEX);
    if (s.prune && prunable.length > 0) {
      const i = prunable[s.at % prunable.length];
      for (const c of [left[i], right[i]]) [feature[c], dleft[c]] = [DELETED_SPLIT_INDEX, 1];
      [left[i], right[i], feature[i], dleft[i], cond[i]] = [-1, -1, 0, 0, s.leaf[0]];
      continue;
    }
    const i = leaves[s.at % leaves.length];
    const n = left.length;
    [left[i], right[i], feature[i], cond[i], dleft[i]] = [n, n + 1, s.feature % numFeature, s.cond, s.dleft ? 1 : 0];
    for (const v of s.leaf) {
      left.push(-1);
      right.push(-1);
      feature.push(0);
      cond.push(v);
      dleft.push(0);
      stats.push([...s.stats]);
    }
    stats[i] = [...s.stats];
  }
  return {
    left_children: Int32Array.from(left),
    right_children: Int32Array.from(right),
    split_indices: Int32Array.from(feature),
    split_conditions: Float32Array.from(cond),
    default_left: Uint8Array.from(dleft),
    base_weights: Float32Array.from(stats, (s) => s[0]),
    sum_hessian: Float32Array.from(stats, (s) => s[1]),
    loss_changes: Float32Array.from(stats, (s) => s[2]),
  };
}

const modelArb: fc.Arbitrary<BoostedModel> = fc
  .record({
    objective: fc.constantFrom(...BOOST_OBJECTIVES),
    classes: fc.integer({ min: 2, max: 4 }),
    numFeature: fc.integer({ min: 1, max: 5 }),
    baseScore: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
    names: fc.option(fc.array(fc.string(), { minLength: 5, maxLength: 5 })),
    trees: fc.array(fc.record({ steps: fc.array(step, { maxLength: 8 }), root: float32, info: fc.nat() }), { maxLength: 5 }),
  })
  .map(({ objective, classes, numFeature, baseScore, names, trees }) => {
    const numClass = objective === 'multi:softprob' ? classes : objective === 'binary:logistic' ? 2 : 1;
    const groups = objective === 'multi:softprob' ? classes : 1;
    return {
      objective: objective as BoostObjective,
      numClass,
      numFeature,
      baseScore,
      ...(names ? { featureNames: names.slice(0, numFeature) } : {}),
      trees: forestFromTrees(
        trees.map((t) => growTree(t.steps, numFeature, t.root)),
        trees.map((t) => t.info % groups),
      ),
    };
  });

/** Rows of NaNs and the model's own thresholds and leaf values (so x = threshold occurs). */
function rowsFor(model: BoostedModel, seed: number) {
  const rows = 7;
  const data = new Float64Array(rows * model.numFeature);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    data[i] = s % 9 === 0 ? NaN : model.trees.split_conditions[s % Math.max(1, model.trees.split_conditions.length)] ?? 0;
  }
  return { data, rows, cols: model.numFeature };
}

function expectSame(a: BoostedModel, b: BoostedModel, normalizeZero = false): void {
  const fix = (x: ArrayLike<number>) => Array.from(x, (v) => (normalizeZero ? v + 0 : v));
  expect({ ...b, trees: undefined }).toEqual({ ...a, trees: undefined });
  for (const [name, array] of Object.entries(a.trees)) {
    const other = b.trees[name as keyof typeof a.trees];
    expect(other.constructor, name).toBe(array.constructor);
    expect(fix(other), name).toEqual(fix(array));
  }
}

describe('round trips over random forests', () => {
  it('bytes keep every bit (−0 included) and predictions', () => {
    fc.assert(
      fc.property(modelArb, fc.nat(), (model, seed) => {
        const back = modelFromBytes(modelToBytes(model));
        expectSame(model, back);
        const X = rowsFor(model, seed);
        expect(predictRaw(back, X)).toEqual(predictRaw(model, X));
      }),
      { numRuns: 200 },
    );
  });

  it('JSON: exact as an object, exact up to the sign of zero through text', () => {
    fc.assert(
      fc.property(modelArb, (model) => {
        expectSame(model, modelFromJSON(modelToJSON(model)));
        expectSame(model, modelFromJSON(JSON.stringify(modelToJSON(model))), true);
      }),
      { numRuns: 200 },
    );
  });

  it('XGBoost JSON keeps every array (−0 included); base_score as float32', () => {
    fc.assert(
      fc.property(modelArb, fc.nat(), (model, seed) => {
        const back = readXGBoostJSON(writeXGBoostJSON(model));
        expectSame({ ...model, baseScore: Math.fround(model.baseScore) }, { ...back, baseScore: Math.fround(back.baseScore) });
        const X = rowsFor(model, seed);
        expect(predictRaw(back, X)).toEqual(predictRaw(model, X));
        expect(predictLeaf(back, X)).toEqual(predictLeaf(model, X));
      }),
      { numRuns: 200 },
    );
  });

  it('float32 text is the shortest decimal that reads back', () => {
    fc.assert(
      fc.property(float32, (x) => {
        const model = readXGBoostJSON(writeXGBoostJSON(tiny({ leaf: x })));
        expect(Object.is(model.trees.split_conditions[1], x)).toBe(true);
      }),
    );
    const text = writeXGBoostJSON(tiny({ leaf: Math.fround(0.1) }));
    expect(text).toContain('"split_conditions":[1.5,0.1,-0.5]');
    expect(writeXGBoostJSON(tiny({ leaf: 2 }))).toContain('"split_conditions":[1.5,2.0,-0.5]');
  });
});

/** One stump: x0 < 1.5 ? leaf : −0.5. */
function tiny({ leaf = 0.25, objective = 'reg:squarederror' as BoostObjective } = {}): BoostedModel {
  return {
    objective,
    numClass: objective === 'binary:logistic' ? 2 : 1,
    numFeature: 2,
    baseScore: 0.5,
    featureNames: ['a', 'b'],
    trees: forestFromTrees(
      [
        {
          left_children: Int32Array.of(1, -1, -1),
          right_children: Int32Array.of(2, -1, -1),
          split_indices: Int32Array.of(0, 0, 0),
          split_conditions: Float32Array.of(1.5, leaf, -0.5),
          default_left: Uint8Array.of(1, 0, 0),
          base_weights: Float32Array.of(0, 1, -2),
          sum_hessian: Float32Array.of(10, 6, 4),
          loss_changes: Float32Array.of(3, 0, 0),
        },
      ],
      [0],
    ),
  };
}

function dataError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(GroveDataError);
    return (e as Error).message;
  }
  throw new Error('expected a GroveDataError');
}

describe('corrupt bytes', () => {
  const bytes = modelToBytes(tiny());

  it('every truncation is named', () => {
    for (let n = 0; n < bytes.length; n++) expect(dataError(() => modelFromBytes(bytes.slice(0, n)))).toMatch(/modelFromBytes: the bytes are truncated/);
  });

  it('wrong magic, version, trailing bytes and objective code', () => {
    const edit = (at: number, f: (v: DataView) => void): Uint8Array => {
      const b = bytes.slice();
      f(new DataView(b.buffer, at));
      return b;
    };
    expect(dataError(() => modelFromBytes(edit(0, (v) => v.setUint8(0, 0x58))))).toMatch(/not a grove boosted model \(magic "XRVB"/);
    expect(dataError(() => modelFromBytes(edit(4, (v) => v.setUint32(0, 2, true))))).toMatch(/version 2 is not supported/);
    expect(dataError(() => modelFromBytes(edit(8, (v) => v.setUint32(0, 9, true))))).toMatch(/unknown objective code/);
    expect(dataError(() => modelFromBytes(Uint8Array.of(...bytes, 0)))).toMatch(/1 unexpected bytes after the last field/);
    expect(() => modelFromBytes('GRVB' as unknown as Uint8Array)).toThrow(GroveArgumentError);
  });

  it('contents that break the model contract', () => {
    const model = tiny();
    const withNaN = { ...model, trees: { ...model.trees, split_conditions: Float32Array.of(NaN, 0.25, -0.5) } };
    expect(() => modelToBytes(withNaN)).toThrow(/node 0 splits at NaN/);
    // Corrupt a serialized valid model in place: find the split_conditions bit pattern of 1.5.
    const b = bytes.slice();
    const view = new DataView(b.buffer);
    const at = findU32(b, new Uint32Array(Float32Array.of(1.5).buffer)[0]);
    view.setFloat32(at, NaN, true);
    expect(dataError(() => modelFromBytes(b))).toMatch(/modelFromBytes: invalid model: tree 0: node 0 splits at NaN/);
    const c = bytes.slice();
    // left_children = [1, -1, -1] follows tree_info; set the root's left child to 7.
    const left = findSequence(c, Int32Array.of(1, -1, -1));
    new DataView(c.buffer).setInt32(left, 7, true);
    expect(dataError(() => modelFromBytes(c))).toMatch(/node 0 has child 7, outside \[1, 3\)/);
  });

  it('random byte flips give a valid model or a GroveDataError, never anything else', () => {
    const big = modelToBytes(readXGBoostJSON(writeXGBoostJSON(tiny())));
    fc.assert(
      fc.property(fc.nat(big.length - 1), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const b = big.slice();
        b[at] ^= xor;
        try {
          const model = modelFromBytes(b);
          expect(() => modelToBytes(model)).not.toThrow();
        } catch (e) {
          expect(e).toBeInstanceOf(GroveDataError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

function findU32(b: Uint8Array, value: number): number {
  return findSequence(b, Uint32Array.of(value));
}

function findSequence(b: Uint8Array, values: Int32Array | Uint32Array): number {
  const needle = new Uint8Array(values.length * 4);
  const dv = new DataView(needle.buffer);
  values.forEach((v, i) => dv.setUint32(4 * i, v >>> 0, true));
  for (let i = 0; i + needle.length <= b.length; i++) if (needle.every((x, j) => b[i + j] === x)) return i;
  throw new Error('pattern not found');
}

describe('corrupt JSON', () => {
  const good = (): Record<string, any> => JSON.parse(JSON.stringify(modelToJSON(tiny())));
  const cases: [string, (d: Record<string, any>) => unknown, RegExp][] = [
    ['not JSON', () => '{', /the text is not JSON/],
    ['an XGBoost document', () => JSON.parse(writeXGBoostJSON(tiny())), /format is undefined, expected "grove-boost" \(an XGBoost model\? use readXGBoostJSON\)/],
    ['another version', (d) => void (d.version = 2), /version 2 is not supported/],
    ['no trees', (d) => void delete d.trees, /trees is missing/],
    ['a missing array', (d) => void delete d.trees.tree_info, /trees\.tree_info must be an array of numbers/],
    ['a string in an array', (d) => void (d.trees.split_indices[0] = '0'), /trees\.split_indices must be an array of numbers/],
    ['a negative offset', (d) => void (d.trees.tree_offsets[0] = -1), /trees\.tree_offsets\[0\] = -1 does not fit a Uint32Array/],
    ['a fractional child', (d) => void (d.trees.left_children[0] = 1.5), /trees\.left_children\[0\] = 1\.5 does not fit a Int32Array/],
    ['an overflowing float', (d) => void (d.trees.sum_hessian[0] = 1e39), /node 0 has sum_hessian Infinity/],
    ['a short array', (d) => void d.trees.base_weights.pop(), /trees\.base_weights has 2 entries, expected 3/],
    ['offsets past the nodes', (d) => void (d.trees.tree_offsets = [0, 4]), /tree_offsets must run from 0 to the node count 3/],
    ['an unknown objective', (d) => void (d.objective = 'reg:gamma'), /objective "reg:gamma" is not one of/],
    ['numClass against the objective', (d) => void (d.numClass = 3), /numClass 3 does not fit reg:squarederror/],
    ['a cycle', (d) => void (d.trees.right_children = [1, -1, -1]), /node 1 is reached twice/],
    ['feature names of the wrong length', (d) => void (d.featureNames = ['a']), /featureNames must be 2 strings/],
  ];
  for (const [what, edit, message] of cases) {
    it(`rejects ${what}`, () => {
      const doc = good();
      const replaced = edit(doc);
      expect(dataError(() => modelFromJSON((replaced as object | string | undefined) ?? doc))).toMatch(new RegExp(`^modelFromJSON: .*${message.source}`));
    });
  }

  it('keeps the documented shape', () => {
    const json = modelToJSON(tiny());
    expect(json).toMatchObject({ format: 'grove-boost', version: 1, objective: 'reg:squarederror', numClass: 1, numFeature: 2, baseScore: 0.5, featureNames: ['a', 'b'] });
    expect(json.trees.split_conditions).toEqual([1.5, 0.25, -0.5]);
    expect(json.trees.tree_offsets).toEqual([0, 3]);
  });
});
