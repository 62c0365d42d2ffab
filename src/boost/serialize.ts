/**
 * Grove's own formats for a `BoostedModel`.
 *
 * - JSON (`modelToJSON` → an object for `JSON.stringify`; `modelFromJSON` takes that object or
 *   its text): `{ format: 'grove-boost', version: 1, objective, numClass, numFeature, baseScore,
 *   featureNames?, classes?, trees: { <ForestArrays field>: number[] } }`. Float32 values are written as
 *   the shortest numbers that read back as the same float32 (−0 comes back as 0).
 * - Bytes (`modelToBytes` / `modelFromBytes`): magic "GRVB", version 1, then the objective's index
 *   in `BOOST_OBJECTIVES` (so that list only ever grows at its end),
 *   numClass, numFeature (u32), baseScore (f64), feature names (empty list = none) and the
 *   `ForestArrays` fields in `FOREST_FIELDS` order, each a u32 length and its 32-bit elements
 *   (int32 and float32 as their bit patterns, so every bit survives), `default_left` as a byte
 *   string; the little-endian layout of ../cf/bytes.ts.
 *
 * Readers check the format, version, types and lengths, then the model contract
 * (`validateModel`), and throw a `GroveDataError` naming what is wrong.
 */
import { ByteReader, ByteWriter } from '../cf/bytes.js';
import { GroveDataError } from '../runtime/errors.js';
import { BOOST_OBJECTIVES, FOREST_TYPES, float32Decimal, NODE_FIELDS, validateModel, type BoostedModel, type BoostObjective, type ForestArrays } from './model.js';

export const MODEL_FORMAT = 'grove-boost';
export const MODEL_VERSION = 1;

/** Every array of `ForestArrays`, in storage order. */
const FOREST_FIELDS = ['tree_offsets', 'tree_info', ...NODE_FIELDS] as const satisfies readonly (keyof ForestArrays)[];

export interface BoostedModelJSON {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  objective: BoostObjective;
  numClass: number;
  numFeature: number;
  baseScore: number;
  featureNames?: string[];
  classes?: Array<number | string>;
  trees: Record<keyof ForestArrays, number[]>;
}

export function modelToJSON(model: BoostedModel): BoostedModelJSON {
  validateModel(model, 'modelToJSON');
  const trees = {} as Record<keyof ForestArrays, number[]>;
  for (const name of FOREST_FIELDS) {
    const a = model.trees[name];
    trees[name] = a instanceof Float32Array ? Array.from(a, float32Decimal) : Array.from(a);
  }
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    objective: model.objective,
    numClass: model.numClass,
    numFeature: model.numFeature,
    baseScore: model.baseScore,
    ...(model.featureNames ? { featureNames: [...model.featureNames] } : {}),
    ...(model.classes ? { classes: [...model.classes] } : {}),
    trees,
  };
}

export function modelFromJSON(json: string | object): BoostedModel {
  const fn = 'modelFromJSON';
  const fail = (what: string): never => {
    throw new GroveDataError(`${fn}: ${what}`);
  };
  let doc: unknown = json;
  if (typeof json === 'string') {
    try {
      doc = JSON.parse(json);
    } catch (e) {
      fail(`the text is not JSON (${(e as Error).message})`);
    }
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return fail('expected a model object');
  const d = doc as Partial<Record<keyof BoostedModelJSON, unknown>>;
  if (d.format !== MODEL_FORMAT) fail(`format is ${JSON.stringify(d.format)}, expected "${MODEL_FORMAT}" (an XGBoost model? use readXGBoostJSON)`);
  if (d.version !== MODEL_VERSION) fail(`version ${JSON.stringify(d.version)} is not supported (this build reads version ${MODEL_VERSION})`);
  const treesDoc = d.trees;
  if (treesDoc === null || typeof treesDoc !== 'object') return fail('trees is missing');
  const trees = {} as Record<keyof ForestArrays, ForestArrays[keyof ForestArrays]>;
  for (const name of FOREST_FIELDS) {
    const values = (treesDoc as Record<string, unknown>)[name];
    if (!Array.isArray(values) || !values.every((v) => typeof v === 'number')) return fail(`trees.${name} must be an array of numbers`);
    const typed = new FOREST_TYPES[name](values.length);
    typed.set(values);
    // Floats round to float32 (validateModel rejects overflow); integer arrays would wrap or
    // truncate what does not fit, and such values are corruption.
    const bad = typed instanceof Float32Array ? -1 : values.findIndex((v, i) => typed[i] !== v);
    if (bad >= 0) fail(`trees.${name}[${bad}] = ${values[bad]} does not fit a ${FOREST_TYPES[name].name}`);
    trees[name] = typed;
  }
  if (d.featureNames !== undefined && !Array.isArray(d.featureNames)) fail('featureNames must be an array of strings');
  if (d.classes !== undefined && !Array.isArray(d.classes)) fail('classes must be an array of labels');
  const model = {
    objective: d.objective,
    numClass: d.numClass,
    numFeature: d.numFeature,
    baseScore: d.baseScore,
    ...(d.featureNames !== undefined ? { featureNames: d.featureNames } : {}),
    ...(d.classes !== undefined ? { classes: d.classes } : {}),
    trees,
  } as BoostedModel;
  validateModel(model, fn);
  return model;
}


const MAGIC = 'GRVB';

export function modelToBytes(model: BoostedModel): Uint8Array {
  validateModel(model, 'modelToBytes');
  const names = model.featureNames ?? [];
  const nodes = model.trees.left_children.length;
  const w = new ByteWriter(MAGIC, MODEL_VERSION, 128 + [...names, ...(model.classes ?? []).map(String)].reduce((s, id) => s + 5 + 2 * id.length, 0) + 33 * nodes + 8 * model.trees.tree_info.length);
  w.u32(BOOST_OBJECTIVES.indexOf(model.objective));
  w.u32(model.numClass);
  w.u32(model.numFeature);
  w.f64(model.baseScore);
  w.ids(names);
  w.ids(model.classes ?? []);
  for (const name of FOREST_FIELDS) {
    const a = model.trees[name];
    if (a instanceof Uint8Array) w.bytes(a);
    else w.array(new Uint32Array(a.buffer, a.byteOffset, a.length));
  }
  return w.finish();
}

export function modelFromBytes(bytes: Uint8Array): BoostedModel {
  const fn = 'modelFromBytes';
  const r = new ByteReader(bytes, fn, 'a grove boosted model', MAGIC, MODEL_VERSION);
  const objective = BOOST_OBJECTIVES[r.u32('the objective')];
  if (objective === undefined) r.fail(`unknown objective code (expected 0 … ${BOOST_OBJECTIVES.length - 1})`);
  const numClass = r.u32('numClass');
  const numFeature = r.u32('numFeature');
  const baseScore = r.f64('baseScore');
  const names = r.ids('featureNames');
  if (names.some((s) => typeof s !== 'string')) r.fail('featureNames must be strings');
  const classes = r.ids('classes');
  const trees = {} as Record<keyof ForestArrays, ForestArrays[keyof ForestArrays]>;
  for (const name of FOREST_FIELDS) {
    const Type = FOREST_TYPES[name];
    // Fresh arrays from the reader, so the views below own their buffers.
    trees[name] = Type === Uint8Array ? r.bytes(name).slice() : new Type(r.u32s(name).buffer as ArrayBuffer);
  }
  r.end();
  const model = { objective, numClass, numFeature, baseScore, ...(names.length > 0 ? { featureNames: names as string[] } : {}), ...(classes.length > 0 ? { classes } : {}), trees } as BoostedModel;
  validateModel(model, fn);
  return model;
}
