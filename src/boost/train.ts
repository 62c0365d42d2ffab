/**
 * The boosting loop (SPEC 2, XGBoost-style): each round computes every row's gradient pair from
 * the current margins, grows one tree per output group on them, and adds the trees' leaf values
 * to the margins. Evaluation sets are scored after every round; early stopping keeps the rounds
 * up to the best one; a callback can stop training; an aborted `signal` throws its reason.
 */
import { GroveArgumentError, GroveError } from '../runtime/errors.js';
import { NumpyRandom } from '../random/numpy.js';
import { quantileCuts } from '../tree/binning.js';
import { ExactGrower } from '../tree/exact-grower.js';
import { sampleFeatures, type Grower } from '../tree/grown-tree.js';
import { HistogramGrower } from '../tree/hist-grower.js';
import type { Matrix } from '../tree/matrix.js';
import { evalMetric, metricImproves, type EvalMetric } from './eval-metrics.js';
import { baseMargin, forestFromTrees, numGroups, type BoostedModel, type BoostObjective, type TreeArrays } from './model.js';
import { TrainingMargins } from './margins.js';
import type { BoostParams } from './params.js';
import { addTreeMargins } from './predict.js';

export interface EvalSet {
  X: Matrix;
  /** Labels as the objective reads them (class indices for softprob). */
  y: Float32Array;
  name: string;
}

/** What a callback sees after each round. */
export interface RoundInfo {
  iteration: number;
  /** Metric values of this round, by eval-set name then metric name. */
  evals: Record<string, Record<string, number>>;
}

export interface TrainOptions {
  sampleWeight?: Float32Array;
  evalSets?: EvalSet[];
  evalMetric?: EvalMetric[];
  /** Stop when the last eval set's first metric has not improved for this many rounds. */
  earlyStoppingRounds?: number;
  /** Return true (or 'stop') to stop after this round. */
  callbacks?: Array<(info: RoundInfo) => boolean | 'stop' | void>;
  signal?: AbortSignal;
}

export interface TrainResult {
  model: BoostedModel;
  history: Record<string, Record<string, number[]>>;
  bestIteration?: number;
  bestScore?: number;
}

/** Trains to the end in one synchronous call. */
export function train(objective: BoostObjective, numClass: number, params: BoostParams, X: Matrix, y: Float32Array, options: TrainOptions = {}): TrainResult {
  const steps = rounds(objective, numClass, params, X, y, options);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * Trains yielding to the event loop after every round, so an AbortSignal fired by a timer or
 * another task stops it (and other work runs meanwhile).
 */
export async function trainAsync(objective: BoostObjective, numClass: number, params: BoostParams, X: Matrix, y: Float32Array, options: TrainOptions = {}): Promise<TrainResult> {
  const steps = rounds(objective, numClass, params, X, y, options);
  try {
    for (;;) {
      const next = steps.next();
      if (next.done) return next.value;
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  } finally {
    steps.return(undefined as never); // frees the grower when stopped early
  }
}

/** The boosting loop, one round per step. */
function* rounds(objective: BoostObjective, numClass: number, params: BoostParams, X: Matrix, y: Float32Array, options: TrainOptions): Generator<void, TrainResult> {
  const { rows: n, cols: m } = X;
  const groups = numGroups({ objective, numClass });
  const rng = new NumpyRandom(params.seed);
  const weight = rowWeights(objective, y, options.sampleWeight, params.scalePosWeight);
  const base = baseMargin({ objective, baseScore: params.baseScore });
  const evalSets = options.evalSets ?? [];
  const evalMargins = evalSets.map((e) => new Float32Array(e.X.rows * groups).fill(base));
  const metrics = options.evalMetric ?? [];
  const history: TrainResult['history'] = Object.fromEntries(evalSets.map((e) => [e.name, Object.fromEntries(metrics.map((k) => [k, [] as number[]]))]));
  const trees: TreeArrays[] = [];
  const treeInfo: number[] = [];
  let best: { iteration: number; score: number } | undefined;
  const margins = new TrainingMargins(objective, y, weight, groups, base);
  let grower: Grower;
  try {
    grower = makeGrower(params, X, objective, options.sampleWeight);
  } catch (err) {
    margins.dispose();
    throw err;
  }
  const grow = { ...params, eta: params.learningRate };
  const all = Uint32Array.from({ length: n }, (_, r) => r);
  try {
    for (let round = 0; round < params.nEstimators; round++) {
      if (options.signal?.aborted) throw options.signal.reason ?? new GroveError('training aborted');
      margins.gradients();
      const sample = params.subsample < 1 ? all.filter(() => rng.random() < params.subsample) : all;
      const features = sampleFeatures(new Uint8Array(m).fill(1), params.colsampleBytree, rng);
      const first = trees.length;
      for (let k = 0; k < groups; k++) {
        const tree = grower.grow(sample, margins.pairs(k), features, grow, rng);
        trees.push(tree);
        treeInfo.push(k);
        if (sample === all) grower.addLeafValues(tree, margins.address, groups, k);
      }
      // this round's trees as a forest, for the rows they did not see (subsample) and eval sets
      const forest = sample !== all || evalSets.length > 0 ? forestFromTrees(trees.slice(first), treeInfo.slice(first)) : undefined;
      if (forest && sample !== all) margins.edit((margin) => addTreeMargins(forest, X.data, n, m, groups, margin));
      const evals: RoundInfo['evals'] = {};
      evalSets.forEach((e, i) => {
        addTreeMargins(forest!, e.X.data, e.X.rows, m, groups, evalMargins[i]);
        evals[e.name] = {};
        for (const metric of metrics) {
          const value = evalMetric(metric, objective, e.y, evalMargins[i], groups);
          evals[e.name][metric] = value;
          history[e.name][metric].push(value);
        }
      });
      let stop = false;
      for (const cb of options.callbacks ?? []) {
        const said = cb({ iteration: round, evals });
        if (said === true || said === 'stop') stop = true;
      }
      if (options.earlyStoppingRounds !== undefined && evalSets.length > 0 && metrics.length > 0) {
        const score = evals[evalSets[evalSets.length - 1].name][metrics[0]];
        if (!best || metricImproves(metrics[0], score, best.score)) best = { iteration: round, score };
        else if (round - best.iteration >= options.earlyStoppingRounds) stop = true;
      }
      if (stop) break;
      yield;
    }
  } finally {
    grower.dispose();
    margins.dispose();
  }
  const rounds = best ? best.iteration + 1 : trees.length / groups;
  const model: BoostedModel = {
    objective,
    numClass,
    numFeature: m,
    baseScore: params.baseScore,
    trees: forestFromTrees(trees.slice(0, rounds * groups), treeInfo.slice(0, rounds * groups)),
  };
  return { model, history, ...(best ? { bestIteration: best.iteration, bestScore: best.score } : {}) };
}

/**
 * The split strategy of `treeMethod`, with XGBoost 1.7's cuts (binning.ts): `hist` cuts the
 * rows once (weighted by the sample weights); `approx` cuts by each tree's hessians (`proposal:
 * 'global'`) or each node's (`'local'`), except for squared error, whose hessians are the sample
 * weights: XGBoost then cuts once, by their squares (the hessian × the weight).
 */
function makeGrower(params: BoostParams, X: Matrix, objective: BoostObjective, sampleWeight?: Float32Array): Grower {
  const { data, rows, cols } = X;
  const { treeMethod, maxBin, nThreads } = params;
  if (treeMethod === 'exact') {
    if (nThreads > 1) throw new GroveArgumentError(`nThreads > 1 works with treeMethod 'hist' and 'approx'; 'exact' runs on one thread. Got nThreads ${nThreads}`);
    return new ExactGrower(data, rows, cols);
  }
  if (treeMethod === 'hist') return new HistogramGrower(data, rows, cols, { kind: 'fixed', cuts: quantileCuts(data, rows, cols, maxBin, sampleWeight) }, nThreads);
  if (objective === 'reg:squarederror') {
    return new HistogramGrower(data, rows, cols, { kind: 'fixed', cuts: quantileCuts(data, rows, cols, maxBin, sampleWeight?.map((w) => w * w)) }, nThreads);
  }
  return new HistogramGrower(data, rows, cols, { kind: params.proposal === 'local' ? 'node' : 'tree', maxBin }, nThreads);
}

/** Per-row weights: the sample weights (default 1), × scalePosWeight on positive binary labels. */
function rowWeights(objective: BoostObjective, y: Float32Array, sampleWeight: Float32Array | undefined, scalePosWeight: number): Float32Array {
  const w = sampleWeight ? sampleWeight.slice() : new Float32Array(y.length).fill(1);
  if (objective === 'binary:logistic' && scalePosWeight !== 1) for (let r = 0; r < y.length; r++) if (y[r] === 1) w[r] = Math.fround(w[r] * scalePosWeight);
  return w;
}
