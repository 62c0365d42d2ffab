/**
 * The boosting parameters: XGBoost's, camelCased, with its defaults (1.7) and ranges. One table
 * drives validation and the error messages (`name must be … Got …`), like LightGBM's annotated
 * parameter list.
 */
import { GroveArgumentError } from '../runtime/errors.js';
import type { BoostObjective } from './model.js';

export type TreeMethod = 'exact' | 'approx' | 'hist';
export type Proposal = 'global' | 'local';

export interface BoostParams {
  /** Boosting rounds. */
  nEstimators: number;
  /** η: shrinkage of every leaf value. */
  learningRate: number;
  maxDepth: number;
  /** 0 = no limit. */
  maxLeaves: number;
  /** Least hessian sum in a child. */
  minChildWeight: number;
  /** L2 penalty on leaf weights. */
  lambda: number;
  /** L1 penalty on leaf weights. */
  alpha: number;
  /** Least loss reduction to keep a split (min_split_loss). */
  gamma: number;
  /** Share of rows sampled per tree. */
  subsample: number;
  colsampleBytree: number;
  colsampleBylevel: number;
  colsampleBynode: number;
  treeMethod: TreeMethod;
  /** Bins per feature (hist). */
  maxBin: number;
  /**
   * Accepted as XGBoost 1.7 accepts it, and ignored as there: its cuts (and ours, which are
   * the same) follow `maxBin` for every tree method.
   */
  sketchEps: number;
  /** approx: candidate splits once per tree (global) or per node (local). */
  proposal: Proposal;
  /** Initial prediction (a probability for binary:logistic). */
  baseScore: number;
  /** Weight of positive rows (binary:logistic). */
  scalePosWeight: number;
  seed: number;
  /**
   * Threads for split search (hist, approx): features are shared out among this many, the
   * calling thread and nThreads − 1 workers (Node, Deno, Bun). The model does not depend on it.
   * Each tree level costs two round trips between threads, so small data sets train faster on
   * one (README: measured speed-ups).
   */
  nThreads: number;
}

type Check = { kind: 'int'; min: number; max?: number } | { kind: 'real'; min: number; max?: number; openMin?: boolean } | { kind: 'choice'; values: readonly string[] };

const PARAMS: { [K in keyof BoostParams]: { default: BoostParams[K]; check: Check } } = {
  nEstimators: { default: 100, check: { kind: 'int', min: 1 } },
  learningRate: { default: 0.3, check: { kind: 'real', min: 0, openMin: true } },
  maxDepth: { default: 6, check: { kind: 'int', min: 1, max: 30 } },
  maxLeaves: { default: 0, check: { kind: 'int', min: 0 } },
  minChildWeight: { default: 1, check: { kind: 'real', min: 0 } },
  lambda: { default: 1, check: { kind: 'real', min: 0 } },
  alpha: { default: 0, check: { kind: 'real', min: 0 } },
  gamma: { default: 0, check: { kind: 'real', min: 0 } },
  subsample: { default: 1, check: { kind: 'real', min: 0, max: 1, openMin: true } },
  colsampleBytree: { default: 1, check: { kind: 'real', min: 0, max: 1, openMin: true } },
  colsampleBylevel: { default: 1, check: { kind: 'real', min: 0, max: 1, openMin: true } },
  colsampleBynode: { default: 1, check: { kind: 'real', min: 0, max: 1, openMin: true } },
  treeMethod: { default: 'hist', check: { kind: 'choice', values: ['exact', 'approx', 'hist'] } },
  maxBin: { default: 256, check: { kind: 'int', min: 2, max: 256 } },
  sketchEps: { default: 0.03, check: { kind: 'real', min: 0, max: 1, openMin: true } },
  proposal: { default: 'global', check: { kind: 'choice', values: ['global', 'local'] } },
  baseScore: { default: 0.5, check: { kind: 'real', min: -Infinity } },
  scalePosWeight: { default: 1, check: { kind: 'real', min: 0, openMin: true } },
  seed: { default: 0, check: { kind: 'int', min: 0, max: 2 ** 53 - 1 } },
  nThreads: { default: 1, check: { kind: 'int', min: 1, max: 256 } },
};

export const PARAM_NAMES = Object.keys(PARAMS) as (keyof BoostParams)[];

/** `options` over the defaults; throws GroveArgumentError naming an unknown or bad option. */
export function resolveParams(options: Partial<BoostParams>, fn: string, extra: readonly string[] = []): BoostParams {
  if (options == null || typeof options !== 'object') throw new GroveArgumentError(`${fn}: options must be an object`);
  for (const key of Object.keys(options)) {
    if (!(key in PARAMS) && !extra.includes(key)) throw new GroveArgumentError(`${fn}: unknown option "${key}" (known: ${[...PARAM_NAMES, ...extra].join(', ')})`);
  }
  const out = {} as Record<string, unknown>;
  for (const name of PARAM_NAMES) {
    const value = (options as Record<string, unknown>)[name] ?? PARAMS[name].default;
    const problem = checkValue(value, PARAMS[name].check);
    if (problem) throw new GroveArgumentError(`${fn}: ${name} must be ${problem}. Got ${JSON.stringify(value) ?? String(value)}`);
    out[name] = value;
  }
  return out as unknown as BoostParams;
}

function checkValue(value: unknown, check: Check): string | undefined {
  if (check.kind === 'choice') return check.values.includes(value as string) ? undefined : `one of ${check.values.join(', ')}`;
  const range = `${check.kind === 'int' ? 'an integer' : 'a number'} ${rangeText(check)}`;
  if (typeof value !== 'number' || !Number.isFinite(value)) return range;
  if (check.kind === 'int' && !Number.isInteger(value)) return range;
  const { min, max } = check;
  const openMin = check.kind === 'real' && check.openMin;
  if (openMin ? !(value > min) : !(value >= min)) return range;
  if (max !== undefined && value > max) return range;
  return undefined;
}

function rangeText(check: Exclude<Check, { kind: 'choice' }>): string {
  if (check.min === -Infinity) return '(finite)';
  const open = check.kind === 'real' && check.openMin;
  if (check.max === undefined) return open ? `> ${check.min}` : `≥ ${check.min}`;
  return `in ${open ? '(' : '['}${check.min}, ${check.max}]`;
}

/** The objective's own checks on baseScore. */
export function checkBaseScore(objective: BoostObjective, baseScore: number, fn: string): void {
  if (objective === 'binary:logistic' && !(baseScore > 0 && baseScore < 1)) {
    throw new GroveArgumentError(`${fn}: baseScore must be a probability in (0, 1) for binary:logistic. Got ${baseScore}`);
  }
}
