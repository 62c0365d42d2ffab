/**
 * `GradientBoostingRegressor` and `GradientBoostingClassifier`: XGBoost-style second-order
 * boosting (SPEC 2) with scikit-learn's shape — parameters in the constructor (params.ts),
 * `fit(X, y, options)` validates, forgets any earlier fit and returns `this`, fitted state behind
 * getters that throw `GroveNotFittedError` before `fit`.
 *
 * X: rows of numbers or `{ data, rows, cols }` (tree/matrix.ts; NaN or null = missing).
 * Regression labels are finite numbers. Classifier labels are numbers or strings; the sorted
 * distinct labels are `classes` and the model learns their indices: two classes →
 * `binary:logistic`, more → `multi:softprob`. `predict` returns values / labels, `predictProba`
 * an n × nClasses row-major Float32Array, `predictRaw` the margins (n × groups).
 */
import { GroveArgumentError, GroveDataError, GroveNotFittedError } from '../runtime/errors.js';
import { toMatrix, type Matrix, type MatrixLike } from '../tree/matrix.js';
import { EVAL_METRICS, metricsFor, type EvalMetric } from './eval-metrics.js';
import { baseMargin, featureImportance, numGroups, probaFromMargins, validateModel, type BoostedModel, type BoostObjective, type FeatureImportance } from './model.js';
import { modelFromBytes, modelFromJSON, modelToBytes, modelToJSON, type BoostedModelJSON } from './serialize.js';
import { readXGBoostJSON, writeXGBoostJSON } from '../interop/xgboost-json.js';
import { checkBaseScore, resolveParams, type BoostParams } from './params.js';
import { addTreeMargins } from './predict.js';
import { train, trainAsync, type RoundInfo, type TrainResult } from './train.js';

export type ImportanceType = keyof FeatureImportance;

export interface FitOptions<L> {
  sampleWeight?: ArrayLike<number>;
  /** Sets scored after every round; early stopping watches the last one. */
  evalSet?: Array<[MatrixLike, ArrayLike<L>]>;
  earlyStoppingRounds?: number;
  /** Default: the objective's first (rmse, logloss, mlogloss). */
  evalMetric?: EvalMetric | EvalMetric[];
  callbacks?: Array<(info: RoundInfo) => boolean | 'stop' | void>;
  signal?: AbortSignal;
}

abstract class GradientBoosting<L> {
  readonly params: BoostParams;
  protected fitted?: { model: BoostedModel; result: Omit<TrainResult, 'model'> };

  constructor(protected readonly name: string, options: Partial<BoostParams>) {
    this.params = resolveParams(options, name);
  }

  /** The fitted (or loaded) model. */
  get model(): BoostedModel {
    return this.state().model;
  }

  /** Metric values per round, by eval-set name (`validation_0`, …) then metric. */
  get evalsResult(): Record<string, Record<string, number[]>> {
    return this.state().result.history;
  }

  /** The round early stopping kept as best (undefined without early stopping). */
  get bestIteration(): number | undefined {
    return this.state().result.bestIteration;
  }

  /** Per-feature importance (`weight`, `gain`, `cover`, `totalGain`, `totalCover`). */
  featureImportances(type: ImportanceType = 'gain'): Float64Array {
    const all = featureImportance(this.model);
    if (!(type in all)) throw new GroveArgumentError(`${this.name}.featureImportances: type must be one of ${Object.keys(all).join(', ')}. Got ${String(type)}`);
    return all[type];
  }

  /** Grove's JSON (versioned; `fromJSON` reads it back). */
  toJSON(): BoostedModelJSON {
    return modelToJSON(this.model);
  }

  /** Grove's compact binary form (`fromBytes` reads it back). */
  toBytes(): Uint8Array {
    return modelToBytes(this.model);
  }

  /** The model as XGBoost 1.7's JSON (`Booster.load_model` reads it and predicts the same). */
  toXGBoostJSON(): string {
    return writeXGBoostJSON(this.model);
  }

  /** Margins: n × groups, row-major. */
  predictRaw(X: MatrixLike): Float32Array {
    const model = this.model;
    const x = toMatrix(X, `${this.name}.predictRaw`);
    if (x.cols !== model.numFeature && x.rows > 0) throw new GroveDataError(`${this.name}.predictRaw: X has ${x.cols} columns, the model ${model.numFeature}`);
    const groups = numGroups(model);
    const margin = new Float32Array(x.rows * groups).fill(baseMargin(model));
    addTreeMargins(model.trees, x.data, x.rows, x.cols, groups, margin);
    return margin;
  }

  /** Trains on `X`, `y` (forgetting any earlier fit); returns `this`. */
  fit(X: MatrixLike, y: ArrayLike<L>, options: FitOptions<L> = {}): this {
    const { args, classes } = this.task(X, y, options);
    this.fitted = undefined;
    return this.finish(train(...args), classes);
  }

  /**
   * `fit` that yields to the event loop after every round: an AbortSignal fired by a timer or
   * another task stops it (the signal's reason is thrown), and other work runs meanwhile.
   */
  async fitAsync(X: MatrixLike, y: ArrayLike<L>, options: FitOptions<L> = {}): Promise<this> {
    const { args, classes } = this.task(X, y, options);
    this.fitted = undefined;
    return this.finish(await trainAsync(...args), classes);
  }

  /** Validated training arguments (and a classifier's labels). */
  protected abstract task(X: MatrixLike, y: ArrayLike<L>, options: FitOptions<L>): { args: Parameters<typeof train>; classes?: Label[] };

  private finish({ model, ...result }: TrainResult, classes?: Label[]): this {
    this.fitted = { model: classes ? { ...model, classes } : model, result };
    return this;
  }

  protected prepare(objective: BoostObjective, numClass: number, X: MatrixLike, y: Float32Array, options: FitOptions<L>, labels: (y: ArrayLike<L>, fn: string) => Float32Array): Parameters<typeof train> {
    const fn = `${this.name}.fit`;
    checkBaseScore(objective, this.params.baseScore, fn);
    const x = toMatrix(X, fn);
    if (x.rows === 0) throw new GroveDataError(`${fn}: X has no rows`);
    if (x.cols === 0) throw new GroveDataError(`${fn}: X has no columns`);
    if (y.length !== x.rows) throw new GroveDataError(`${fn}: y has ${y.length} labels for ${x.rows} rows of X`);
    const { sampleWeight, evalSet = [], earlyStoppingRounds, callbacks, signal } = checkFitOptions(options, fn);
    const weight = sampleWeight === undefined ? undefined : weights(sampleWeight, x.rows, fn);
    const evalSets = evalSet.map(([ex, ey], i) => {
      const m: Matrix = toMatrix(ex, fn, `evalSet[${i}] X`);
      if (m.cols !== x.cols) throw new GroveDataError(`${fn}: evalSet[${i}] has ${m.cols} columns, X has ${x.cols}`);
      const yy = labels(ey, `${fn}: evalSet[${i}]`);
      if (yy.length !== m.rows) throw new GroveDataError(`${fn}: evalSet[${i}] has ${yy.length} labels for ${m.rows} rows`);
      return { X: m, y: yy, name: `validation_${i}` };
    });
    const allowed = metricsFor(objective);
    const evalMetric = options.evalMetric === undefined ? [allowed[0]] : [options.evalMetric].flat();
    for (const metric of evalMetric) {
      if (!allowed.includes(metric)) throw new GroveArgumentError(`${fn}: evalMetric "${String(metric)}" does not fit ${objective} (use ${allowed.join(', ')})`);
    }
    if (earlyStoppingRounds !== undefined && evalSets.length === 0) throw new GroveArgumentError(`${fn}: earlyStoppingRounds needs an evalSet`);
    return [objective, numClass, this.params, x, y, { sampleWeight: weight, evalSets, evalMetric, earlyStoppingRounds, callbacks, signal }];
  }

  protected state(): NonNullable<GradientBoosting<L>['fitted']> {
    if (!this.fitted) throw new GroveNotFittedError(`${this.name}: call fit() first`);
    return this.fitted;
  }

  protected adopt(model: BoostedModel, fn: string): void {
    validateModel(model, fn);
    this.fitted = { model, result: { history: {} } };
  }
}

export class GradientBoostingRegressor extends GradientBoosting<number> {
  constructor(options: Partial<BoostParams> = {}) {
    super('GradientBoostingRegressor', options);
  }

  protected task(X: MatrixLike, y: ArrayLike<number>, options: FitOptions<number>) {
    return { args: this.prepare('reg:squarederror', 1, X, numericLabels(y, `${this.name}.fit: y`), options, numericLabels) };
  }

  predict(X: MatrixLike): Float32Array {
    return this.predictRaw(X);
  }

  static fromXGBoostJSON(json: string | object): GradientBoostingRegressor {
    return GradientBoostingRegressor.fromModel(readXGBoostJSON(json));
  }

  static fromJSON(json: string | object): GradientBoostingRegressor {
    return GradientBoostingRegressor.fromModel(modelFromJSON(json));
  }

  static fromBytes(bytes: Uint8Array): GradientBoostingRegressor {
    return GradientBoostingRegressor.fromModel(modelFromBytes(bytes));
  }

  /** A regressor around a loaded model. */
  static fromModel(model: BoostedModel): GradientBoostingRegressor {
    if (model.objective !== 'reg:squarederror') throw new GroveDataError(`GradientBoostingRegressor.fromModel: objective ${model.objective} is a classifier's (use GradientBoostingClassifier)`);
    const r = new GradientBoostingRegressor({ baseScore: model.baseScore });
    r.adopt(model, 'GradientBoostingRegressor.fromModel');
    return r;
  }
}

export type Label = number | string;

export class GradientBoostingClassifier extends GradientBoosting<Label> {
  constructor(options: Partial<BoostParams> = {}) {
    super('GradientBoostingClassifier', options);
  }

  /** The distinct training labels, sorted (numbers ascending, then strings). */
  get classes(): readonly Label[] {
    const model = this.model;
    return model.classes ?? Array.from({ length: model.numClass }, (_, i) => i);
  }

  protected task(X: MatrixLike, y: ArrayLike<Label>, options: FitOptions<Label>) {
    const fn = `${this.name}.fit`;
    if (y == null || typeof y.length !== 'number') throw new GroveArgumentError(`${fn}: y must be an array of labels`);
    const { classes, codes } = labelClasses(y, `${fn}: y`);
    if (classes.length < 2) throw new GroveDataError(`${fn}: y has ${classes.length} distinct label(s); a classifier needs at least 2`);
    const index = new Map(classes.map((c, i) => [c, i]));
    const encode = (labels: ArrayLike<Label>, where: string) =>
      Float32Array.from(labels, (v, i) => {
        const c = index.get(checkLabel(v, where, i));
        if (c === undefined) throw new GroveDataError(`${where}[${i}] = ${JSON.stringify(v)} is not a class of y (${classes.join(', ')})`);
        return c;
      });
    const objective = classes.length === 2 ? 'binary:logistic' : 'multi:softprob';
    return { args: this.prepare(objective, classes.length, X, codes, options, encode), classes };
  }

  /** The most probable class label per row. */
  predict(X: MatrixLike): Label[] {
    const p = this.predictProba(X);
    const labels = this.classes;
    const k = labels.length;
    return Array.from({ length: p.length / k }, (_, r) => {
      let best = 0;
      for (let j = 1; j < k; j++) if (p[r * k + j] > p[r * k + best]) best = j;
      return labels[best];
    });
  }

  /** Class probabilities, n × nClasses row-major (binary: [1 − p, p]). */
  predictProba(X: MatrixLike): Float32Array {
    return probaFromMargins(this.model, this.predictRaw(X));
  }

  static fromXGBoostJSON(json: string | object): GradientBoostingClassifier {
    return GradientBoostingClassifier.fromModel(readXGBoostJSON(json));
  }

  static fromJSON(json: string | object): GradientBoostingClassifier {
    return GradientBoostingClassifier.fromModel(modelFromJSON(json));
  }

  static fromBytes(bytes: Uint8Array): GradientBoostingClassifier {
    return GradientBoostingClassifier.fromModel(modelFromBytes(bytes));
  }

  /** A classifier around a loaded model; its classes are `model.classes`, else 0 … numClass − 1. */
  static fromModel(model: BoostedModel): GradientBoostingClassifier {
    if (model.objective === 'reg:squarederror') throw new GroveDataError('GradientBoostingClassifier.fromModel: objective reg:squarederror is a regressor\'s (use GradientBoostingRegressor)');
    const c = new GradientBoostingClassifier({ baseScore: model.baseScore });
    c.adopt(model, 'GradientBoostingClassifier.fromModel');
    return c;
  }
}

function numericLabels(y: ArrayLike<number>, where: string): Float32Array {
  if (y == null || typeof y.length !== 'number') throw new GroveArgumentError(`${where} must be an array of numbers`);
  return Float32Array.from(y, (v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(Math.fround(v))) throw new GroveDataError(`${where}[${i}] is ${String(v)}; labels must be finite numbers`);
    return v;
  });
}

/** Label `where[i]` (the message is built only on error: this runs once per row). */
function checkLabel(v: Label, where: string, i: number): Label {
  if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) return v;
  throw new GroveDataError(`${where}[${i}] is ${String(v)}; labels must be finite numbers or strings`);
}

/**
 * The distinct labels of `y`, sorted (numbers ascending, then strings), and each row's index
 * among them. Plain loops: this runs once per row, cold, on every fit.
 */
function labelClasses(y: ArrayLike<Label>, where: string): { classes: Label[]; codes: Float32Array } {
  // typed labels 0 … K − 1 (the usual case) are their own codes: found natively, with no loop
  // here for V8 to compile on every fit
  if (ArrayBuffer.isView(y) && !(y instanceof DataView) && !(y instanceof BigInt64Array) && !(y instanceof BigUint64Array)) {
    const t = y as unknown as Float64Array;
    const bad = [t.findIndex(Number.isNaN), t.indexOf(Infinity), t.indexOf(-Infinity)].filter((i) => i >= 0);
    if (bad.length > 0) checkLabel(t[Math.min(...bad)], where, Math.min(...bad));
    const classes = [...new Set(t)].sort((a, b) => a - b);
    if (classes.every((c, i) => c === i)) return { classes, codes: Float32Array.from(t) };
  }
  const n = y.length;
  const seen = new Map<Label, number>();
  const firstSeen = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = checkLabel(y[i], where, i);
    let k = seen.get(v);
    if (k === undefined) seen.set(v, (k = seen.size));
    firstSeen[i] = k;
  }
  const classes = [...seen.keys()].sort(compareLabels);
  const rank = new Float32Array(classes.length);
  classes.forEach((c, i) => (rank[seen.get(c)!] = i));
  const codes = new Float32Array(n);
  for (let i = 0; i < n; i++) codes[i] = rank[firstSeen[i]];
  return { classes, codes };
}

function compareLabels(a: Label, b: Label): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function weights(w: ArrayLike<number>, n: number, fn: string): Float32Array {
  if (w.length !== n) throw new GroveDataError(`${fn}: sampleWeight has ${w.length} entries for ${n} rows`);
  return Float32Array.from(w, (v, i) => {
    if (!(typeof v === 'number' && v >= 0 && Number.isFinite(v))) throw new GroveDataError(`${fn}: sampleWeight[${i}] is ${String(v)}; weights must be finite numbers ≥ 0`);
    return v;
  });
}

function checkFitOptions<L>(options: FitOptions<L>, fn: string): FitOptions<L> {
  if (options == null || typeof options !== 'object') throw new GroveArgumentError(`${fn}: options must be an object`);
  const known = ['sampleWeight', 'evalSet', 'earlyStoppingRounds', 'evalMetric', 'callbacks', 'signal'];
  for (const key of Object.keys(options)) if (!known.includes(key)) throw new GroveArgumentError(`${fn}: unknown option "${key}" (known: ${known.join(', ')})`);
  const { earlyStoppingRounds, evalMetric } = options;
  if (earlyStoppingRounds !== undefined && !(Number.isInteger(earlyStoppingRounds) && earlyStoppingRounds >= 1)) throw new GroveArgumentError(`${fn}: earlyStoppingRounds must be an integer ≥ 1. Got ${String(earlyStoppingRounds)}`);
  for (const m of evalMetric === undefined ? [] : [evalMetric].flat()) {
    if (!EVAL_METRICS.includes(m)) throw new GroveArgumentError(`${fn}: evalMetric must be among ${EVAL_METRICS.join(', ')}. Got ${String(m)}`);
  }
  return options;
}
