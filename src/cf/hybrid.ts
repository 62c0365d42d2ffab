/**
 * Hybrid recommendation (SPEC §3, cold start; the seed's 冷启动 §4): several fitted recommenders
 * combined, either switched by how much history a user has or blended by weighted scores. Any
 * object with `recommend(user, n)` returning `{ item, score }[]` best first fits as a model
 * (the KNN, popularity, demographic and content recommenders, or your own).
 *
 * Contract:
 * - `fit(data)` records each user's history length (their items in `data`; 0 for a user not in
 *   it) and the users `recommendAll` iterates over. It does not fit the models: fit them
 *   yourself, normally on the same data;
 * - `switch`: rules `{ minHistory, model }` with strictly increasing thresholds, the first 0; a
 *   user is served by the rule with the largest threshold their history reaches, e.g.
 *   `[{ minHistory: 0, model: popularity }, { minHistory: 5, model: itemKnn }]`. The chosen
 *   model sees the user's id as given, so it must know that user (a user outside the data goes
 *   to the rule with threshold 0: give it a model that serves new users, such as a
 *   DemographicRecommender whose attributes hold the user);
 * - `blend`: parts `{ model, weight }` (weights > 0, need not sum to 1). Each model is asked for
 *   its top `depth` items (default 100, at least n); its scores are divided by the largest
 *   score in its list, so every model's best item counts 1 whatever the scale of its scores
 *   (counts for popularity, sums of similarities for KNN, cosines for content); an item absent
 *   from a model's list gets 0 from it. The blended score is Σ weight · normalised score; the
 *   best `n` with a positive blend are returned, equal blends in the order they were first met
 *   (part by part, best first). A list whose largest score is not positive adds nothing.
 *   Every model must know the user.
 */
import { GroveArgumentError, GroveDataError, GroveNotFittedError } from '../runtime/errors.js';
import type { Id, Interactions } from './interactions.js';
import { checkN, type Recommendation } from './knn.js';

/** What a model needs to take part in a hybrid. */
export interface Recommends {
  recommend(user: Id, n: number): Recommendation[];
}

export interface SwitchRule {
  /** Fewest items in the user's history for this rule to apply (integer ≥ 0). */
  minHistory: number;
  model: Recommends;
}

export interface BlendPart {
  model: Recommends;
  /** A finite number > 0. */
  weight: number;
}

export type HybridOptions = { switch: readonly SwitchRule[] } | { blend: readonly BlendPart[]; depth?: number };

const NAME = 'HybridRecommender';

export class HybridRecommender {
  readonly rules?: readonly SwitchRule[];
  readonly parts?: readonly BlendPart[];
  readonly depth: number = 100;
  private data?: Interactions;

  constructor(options: HybridOptions) {
    if (options == null || typeof options !== 'object') throw new GroveArgumentError(`${NAME}: options must be { switch: rules } or { blend: parts, depth? }`);
    const keys = Object.keys(options);
    const known = 'switch' in options ? ['switch'] : ['blend', 'depth'];
    const unknown = keys.filter((k) => !known.includes(k));
    if (unknown.length > 0 || !('switch' in options || 'blend' in options)) {
      throw new GroveArgumentError(`${NAME}: options must be { switch: rules } or { blend: parts, depth? }. Got keys: ${keys.join(', ') || 'none'}`);
    }
    if ('switch' in options) this.rules = checkRules(options.switch);
    else {
      this.parts = checkParts(options.blend);
      if (options.depth !== undefined) {
        if (!Number.isInteger(options.depth) || options.depth < 1) throw new GroveArgumentError(`${NAME}: depth must be an integer ≥ 1. Got ${String(options.depth)}`);
        this.depth = options.depth;
      }
    }
  }

  /** Records the history lengths (forgetting any earlier fit); returns `this`. */
  fit(data: Interactions): this {
    if (data.nnz === 0) throw new GroveArgumentError(`${NAME}.fit: the interactions are empty`);
    this.data = data;
    return this;
  }

  /** `user`'s top `n`, from the rule their history selects or from the blend. */
  recommend(user: Id, n = 10): Recommendation[] {
    const data = this.state();
    checkN(n, `${NAME}.recommend`);
    if (this.rules) {
      const u = data.userIndex(user);
      const history = u < 0 ? 0 : data.indptr[u + 1] - data.indptr[u];
      let r = this.rules.length - 1;
      while (this.rules[r].minHistory > history) r--;
      return this.rules[r].model.recommend(user, n);
    }
    return this.blend(user, n);
  }

  /** Top `n` for each user (dense user indices of the fitted data, default all), in that order. */
  recommendAll(n = 10, users?: ArrayLike<number>): Recommendation[][] {
    const data = this.state();
    checkN(n, `${NAME}.recommendAll`);
    const list = Array.from(users ?? Array.from({ length: data.nUsers }, (_, u) => u));
    for (const u of list) {
      if (!(Number.isInteger(u) && u >= 0 && u < data.nUsers)) throw new GroveArgumentError(`${NAME}.recommendAll: user index ${u} out of range [0, ${data.nUsers})`);
    }
    return list.map((u) => this.recommend(data.userId(u), n));
  }

  private blend(user: Id, n: number): Recommendation[] {
    const blended = new Map<Id, number>();
    this.parts!.forEach(({ model, weight }, m) => {
      const list = model.recommend(user, Math.max(n, this.depth));
      if (!Array.isArray(list)) throw new GroveDataError(`${NAME}: blend part ${m} returned ${String(list)}, not an array of { item, score }`);
      let max = 0;
      for (const r of list) {
        if (r == null || typeof r.score !== 'number' || !Number.isFinite(r.score)) throw new GroveDataError(`${NAME}: blend part ${m} returned a score of ${String(r?.score)}; scores must be finite numbers`);
        if (r.score > max) max = r.score;
      }
      if (max === 0) return;
      for (const { item, score } of list) blended.set(item, (blended.get(item) ?? 0) + (weight * score) / max);
    });
    // Array.prototype.sort is stable: equal blends keep the order they were first met in
    return [...blended]
      .filter(([, score]) => score > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([item, score]) => ({ item, score }));
  }

  private state(): Interactions {
    if (!this.data) throw new GroveNotFittedError(`${NAME}: call fit() first`);
    return this.data;
  }
}

function checkModel(model: unknown, where: string): void {
  if (model == null || typeof (model as Recommends).recommend !== 'function') throw new GroveArgumentError(`${NAME}: ${where}.model must have a recommend(user, n) method`);
}

function checkRules(rules: readonly SwitchRule[]): readonly SwitchRule[] {
  if (!Array.isArray(rules) || rules.length === 0) throw new GroveArgumentError(`${NAME}: switch must be a non-empty array of { minHistory, model }`);
  rules.forEach((rule, r) => {
    if (rule == null || typeof rule !== 'object') throw new GroveArgumentError(`${NAME}: switch[${r}] must be { minHistory, model }`);
    const { minHistory } = rule;
    if (!Number.isInteger(minHistory) || minHistory < 0) throw new GroveArgumentError(`${NAME}: switch[${r}].minHistory must be an integer ≥ 0. Got ${String(minHistory)}`);
    if (r === 0 && minHistory !== 0) throw new GroveArgumentError(`${NAME}: switch[0].minHistory must be 0, so that every user has a model. Got ${minHistory}`);
    if (r > 0 && minHistory <= rules[r - 1].minHistory) throw new GroveArgumentError(`${NAME}: switch thresholds must increase strictly; switch[${r}].minHistory is ${minHistory} after ${rules[r - 1].minHistory}`);
    checkModel(rule.model, `switch[${r}]`);
  });
  return [...rules];
}

function checkParts(parts: readonly BlendPart[]): readonly BlendPart[] {
  if (!Array.isArray(parts) || parts.length === 0) throw new GroveArgumentError(`${NAME}: blend must be a non-empty array of { model, weight }`);
  parts.forEach((part, m) => {
    if (part == null || typeof part !== 'object') throw new GroveArgumentError(`${NAME}: blend[${m}] must be { model, weight }`);
    const { weight } = part;
    if (typeof weight !== 'number' || !(weight > 0) || !Number.isFinite(weight)) throw new GroveArgumentError(`${NAME}: blend[${m}].weight must be a finite number > 0. Got ${String(weight)}`);
    checkModel(part.model, `blend[${m}]`);
  });
  return [...parts];
}
