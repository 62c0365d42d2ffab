/**
 * What the boosting commands (train, predict, evaluate) share: model files, the table flags and
 * matching a model's features and classes to the columns and labels of a CSV file.
 *
 * Model files: `grove train` writes Grove's JSON model (`modelToJSON`) with one more key,
 * `target`, the name of the column it learned (readers of Grove's format ignore it). `loadModel`
 * reads that, or an XGBoost JSON model (`Booster.save_model('m.json')`), told apart by its
 * top-level `learner` key.
 *
 * Columns: a model that names its features (`featureNames`: Grove models from `grove train`, and
 * XGBoost models saved with feature names) reads them by name, wherever they are in the file,
 * when the file has a header or every name is one of c0, c1, … (`--no-header`). Otherwise the
 * features are the file's columns in order, less the target and any `--drop`ped column.
 */
import { readFileSync } from 'node:fs';
import { GradientBoostingClassifier, GradientBoostingRegressor, type Label } from '../boost/gradient-boosting.js';
import type { BoostedModel } from '../boost/model.js';
import { modelFromJSON, modelToJSON } from '../boost/serialize.js';
import { readXGBoostJSON } from '../interop/xgboost-json.js';
import type { TableColumns, TableLabel } from '../io/table.js';
import { GroveArgumentError, GroveDataError } from '../runtime/errors.js';
import type { OptionSpecs, Values } from './args.js';
import { writeOutput } from './output.js';

export const TABLE_OPTIONS: OptionSpecs = {
  'no-header': { type: 'boolean' },
  drop: { type: 'string' },
};

export const TABLE_HELP = `  --no-header           the first row is data; columns are named c0, c1, … (and may be
                        given by index)
  --drop COLS           columns to leave out, by name or 0-based index, comma-separated`;

export const CSV_NOTE = `CSV input: a header row naming the columns; empty, NA, NaN and ? fields are missing values;
feature columns must be numeric (encode categorical columns as numbers first). Gzip'd files
are recognised by their content and decompressed; "-" reads stdin.`;

export interface LoadedModel {
  model: BoostedModel;
  /** The column the model learned, when the file says (Grove models from grove train). */
  target?: string;
  kind: 'grove' | 'xgboost';
}

/** Writes `model` as Grove's JSON model with its target column, replacing `path` only on success. */
export function saveModel(path: string, model: BoostedModel, target: string): void {
  const text = JSON.stringify({ ...modelToJSON(model), target });
  writeOutput(path, (out) => out.write(`${text}\n`));
}

/** A Grove or XGBoost JSON model file. */
export function loadModel(path: string): LoadedModel {
  const text = readFileSync(path, 'utf8');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new GroveDataError(`${path}: not a JSON model file (${(err as Error).message})`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new GroveDataError(`${path}: not a model (expected a JSON object)`);
  const d = doc as Record<string, unknown>;
  try {
    if ('learner' in d) return { model: readXGBoostJSON(d), kind: 'xgboost' };
    if (d.target !== undefined && typeof d.target !== 'string') throw new GroveDataError(`target must be a column name. Got ${JSON.stringify(d.target)}`);
    return { model: modelFromJSON(d), kind: 'grove', ...(d.target !== undefined ? { target: d.target as string } : {}) };
  } catch (err) {
    if (err instanceof GroveDataError) err.message = `${path}: ${err.message}`;
    throw err;
  }
}

/** The estimator that predicts with `model`. */
export function estimatorFor(model: BoostedModel): GradientBoostingRegressor | GradientBoostingClassifier {
  return model.objective === 'reg:squarederror' ? GradientBoostingRegressor.fromModel(model) : GradientBoostingClassifier.fromModel(model);
}

/** "binary:logistic model, 100 rounds, 28 features" and the like. */
export function describeModel(model: BoostedModel): string {
  const groups = model.objective === 'multi:softprob' ? model.numClass : 1;
  const classes = model.objective === 'multi:softprob' ? ` (${model.numClass} classes)` : '';
  return `${model.objective}${classes} model, ${model.trees.tree_info.length / groups} rounds, ${model.numFeature} features`;
}

/** The column `spec` names: a column name, else a 0-based index. */
export function columnIndex(command: string, file: string, names: readonly string[], spec: string, flag: string): number {
  const byName = names.indexOf(spec);
  if (byName >= 0) return byName;
  if (/^\d+$/.test(spec) && Number(spec) < names.length) return Number(spec);
  throw new GroveArgumentError(`${command}: ${flag} ${JSON.stringify(spec)}: ${file} has no such column (columns: ${listNames(names)})`);
}

/** The column indices `--drop` names. */
export function droppedColumns(command: string, file: string, names: readonly string[], drop: Values[string]): Set<number> {
  if (drop === undefined) return new Set();
  const specs = String(drop).split(',').map((s) => s.trim());
  if (specs.some((s) => s === '')) throw new GroveArgumentError(`${command}: --drop must be column names or indices separated by commas. Got ${JSON.stringify(drop)}`);
  return new Set(specs.map((s) => columnIndex(command, file, names, s, '--drop')));
}

/** What a file must provide to a model: features by name or by count, and the target's name. */
export interface ModelColumns {
  featureNames?: readonly string[];
  numFeature: number;
  target?: string;
}

/**
 * A `select` for readTable: the model's features (see the contract above) and, when `label` is
 * given, that column as the label.
 */
export function modelColumns(command: string, file: string, wanted: ModelColumns, header: boolean, values: Values, label?: string): (names: readonly string[]) => TableColumns {
  return (names) => {
    const labelAt = label === undefined ? undefined : columnIndex(command, file, names, label, '--target');
    const drop = droppedColumns(command, file, names, values.drop);
    const known = wanted.featureNames;
    let features: number[];
    if (known && (header || known.every((n) => names.includes(n)))) {
      features = known.map((name) => {
        const at = names.indexOf(name);
        if (at < 0) throw new GroveDataError(`${command}: ${file} has no column ${JSON.stringify(name)}, a feature of the model (columns: ${listNames(names)})`);
        if (drop.has(at)) throw new GroveArgumentError(`${command}: --drop leaves out ${JSON.stringify(name)}, a feature of the model`);
        return at;
      });
    } else {
      const targetAt = wanted.target === undefined ? -1 : names.indexOf(wanted.target);
      features = names.map((_, i) => i).filter((i) => i !== labelAt && i !== targetAt && !drop.has(i));
      if (features.length !== wanted.numFeature) {
        const why = known ? 'the model names its features, but the file has no header' : 'the model does not name its features';
        throw new GroveDataError(`${command}: ${file} has ${features.length} feature columns (${listNames(features.map((i) => names[i]))}), the model takes ${wanted.numFeature}; ${why}, so columns are taken in order: leave others out with --drop`);
      }
    }
    if (labelAt !== undefined && features.includes(labelAt)) throw new GroveArgumentError(`${command}: --target ${JSON.stringify(label)} is a feature of the model`);
    return { features, ...(labelAt !== undefined ? { label: labelAt } : {}) };
  };
}

/** Each row's class index in `classes`; a label that is none of them is an error naming its line. */
export function classIndices(file: string, label: TableLabel, lines: Uint32Array, classes: readonly Label[], what: string): Uint32Array {
  const index = new Map<Label, number>(classes.map((c, i) => [c, i]));
  return Uint32Array.from(label.texts, (text, r) => {
    const v = label.values[r];
    const at = (typeof classes[0] === 'number' && !Number.isNaN(v) ? index.get(v) : undefined) ?? index.get(text);
    if (at === undefined) throw new GroveDataError(`${file}:${lines[r]}: ${label.name} = ${JSON.stringify(text)} is not one of ${what} (${listNames(classes.map(String))})`);
    return at;
  });
}

/** The label column as numbers; a non-numeric label is an error naming its line. */
export function numericLabels(file: string, label: TableLabel, lines: Uint32Array): Float64Array {
  const bad = label.values.findIndex((v) => Number.isNaN(v));
  if (bad >= 0) throw new GroveDataError(`${file}:${lines[bad]}: ${label.name} = ${JSON.stringify(label.texts[bad])} is not a number (a regression target must be numeric)`);
  return label.values;
}

/** Names for a message: all of them when few, else the first ones and a count. */
function listNames(names: readonly string[]): string {
  const shown = names.slice(0, 12).map((n) => JSON.stringify(n)).join(', ');
  return names.length > 12 ? `${shown}, … ${names.length} in all` : shown;
}
