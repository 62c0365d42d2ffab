/**
 * `grove train`: fits a gradient-boosted model on a CSV file and writes it as Grove's JSON model
 * (with its feature names and target column, so predict and evaluate find their columns).
 *
 * Without --objective the target decides: numbers with more than two distinct values mean
 * regression; anything else (two values, or text labels) a classifier — binary:logistic for two
 * classes, multi:softprob for more. The choice is said on stderr.
 */
import { EVAL_METRICS, metricsFor, type EvalMetric } from '../boost/eval-metrics.js';
import { GradientBoostingClassifier, GradientBoostingRegressor, type Label } from '../boost/gradient-boosting.js';
import { BOOST_OBJECTIVES, numGroups, type BoostObjective } from '../boost/model.js';
import { PARAM_NAMES, resolveParams, type BoostParams } from '../boost/params.js';
import type { RoundInfo } from '../boost/train.js';
import { readTable } from '../io/table-file.js';
import type { NumericTable, TableLabel } from '../io/table.js';
import { GroveArgumentError, GroveDataError } from '../runtime/errors.js';
import { choice, parseCommand, type Values } from './args.js';
import { CSV_NOTE, TABLE_HELP, TABLE_OPTIONS, classIndices, columnIndex, droppedColumns, modelColumns, numericLabels, saveModel } from './model-file.js';
import { Output } from './output.js';
import { Progress } from './progress.js';
import { integerFlag } from './ratings-input.js';

const COMMAND = 'train';
const OPTIONS = {
  ...TABLE_OPTIONS,
  target: { type: 'string' },
  model: { type: 'string' },
  objective: { type: 'string' },
  'tree-method': { type: 'string' },
  param: { type: 'string', multiple: true },
  valid: { type: 'string' },
  'early-stopping': { type: 'string' },
  'eval-metric': { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const TRAIN_HELP = `Usage: grove train FILE --target COL --out MODEL [options]

Fits a gradient-boosted tree model (XGBoost-style, second order) on the rows of FILE and
writes it to MODEL as JSON, for grove predict and grove evaluate.

Input
  FILE                  CSV file with the target column and numeric feature columns
  --target COL          required: the column to learn (a name, or a 0-based index)
${TABLE_HELP}
  --valid FILE          validation rows (same columns): scored after every round

Model
  --model M             gbdt (default: gradient-boosted trees)
  --objective O         reg:squarederror | binary:logistic | multi:softprob. Default: from
                        the target: numbers with more than 2 distinct values → regression,
                        otherwise a classifier (class labels may be text)
  --tree-method T       hist (default) | exact | approx
  --param NAME=VALUE    an estimator option, repeatable: nEstimators (100), learningRate
                        (0.3), maxDepth (6), maxLeaves, minChildWeight, lambda, alpha,
                        gamma, subsample, colsampleBytree, colsampleBylevel, colsampleBynode,
                        maxBin (256), sketchEps, proposal, baseScore, scalePosWeight, seed,
                        nThreads (1; hist and approx)
  --early-stopping N    stop when the validation metric has not improved for N rounds and
                        keep the best round's model (needs --valid)
  --eval-metric M       validation metric: rmse, mae (regression); logloss, error, auc,
                        rmse, mae (binary); mlogloss, merror (multiclass). Default: the first

Output
  --out MODEL           required: the model file, replaced only once training succeeds; "-"
                        writes to stdout
  -h, --help            show this help

${CSV_NOTE}

Example: grove train higgs_train.csv.gz --target label --param nEstimators=100 \\
           --param maxDepth=6 --param learningRate=0.1 --out higgs.json
`;

export async function train(argv: string[]): Promise<void> {
  const { values, file } = parseCommand(COMMAND, argv, OPTIONS);
  if (values.help) {
    process.stdout.write(TRAIN_HELP);
    return;
  }
  if (file === undefined) throw new GroveArgumentError(`${COMMAND}: missing input FILE (see grove ${COMMAND} --help)`);
  if (typeof values.target !== 'string') throw new GroveArgumentError(`${COMMAND}: --target COL is required (the column to learn)`);
  const outPath = values.out;
  if (typeof outPath !== 'string') throw new GroveArgumentError(`${COMMAND}: --out MODEL is required (the model file to write; "-" for stdout)`);
  choice(COMMAND, 'model', values.model, ['gbdt'], 'gbdt');
  const asked = values.objective === undefined ? undefined : choice<BoostObjective>(COMMAND, 'objective', values.objective, BOOST_OBJECTIVES, 'reg:squarederror');
  const params = paramFlags(values);
  const validPath = values.valid as string | undefined;
  const earlyStopping = values['early-stopping'] === undefined ? undefined : integerFlag(COMMAND, 'early-stopping', values['early-stopping'], 1, 1);
  const metricFlag = values['eval-metric'] === undefined ? undefined : choice<EvalMetric>(COMMAND, 'eval-metric', values['eval-metric'], EVAL_METRICS, 'rmse');
  if (validPath === undefined && earlyStopping !== undefined) throw new GroveArgumentError(`${COMMAND}: --early-stopping needs --valid FILE (the rows it watches)`);
  if (validPath === undefined && metricFlag !== undefined) throw new GroveArgumentError(`${COMMAND}: --eval-metric needs --valid FILE (the rows it scores)`);
  const header = values['no-header'] !== true;
  const target = values.target;

  const progress = new Progress(Output.isTerminal(outPath));
  progress.stage(`reading ${file}`);
  const data = await readTable(file, {
    header,
    select: (names) => {
      const label = columnIndex(COMMAND, file, names, target, '--target');
      const drop = droppedColumns(COMMAND, file, names, values.drop);
      if (drop.has(label)) throw new GroveArgumentError(`${COMMAND}: --drop leaves out the target column ${JSON.stringify(names[label])}`);
      return { features: names.map((_, i) => i).filter((i) => i !== label && !drop.has(i)), label };
    },
  });
  const y = data.label!;
  if (data.X.rows === 0) throw new GroveDataError(`${COMMAND}: ${file} has no data rows`);
  if (data.X.cols === 0) throw new GroveDataError(`${COMMAND}: ${file} has no feature columns besides the target ${JSON.stringify(y.name)}`);
  const objective = chooseObjective(file, data, asked);
  const metric = metricFlag ?? metricsFor(objective)[0];
  if (!metricsFor(objective).includes(metric)) throw new GroveArgumentError(`${COMMAND}: --eval-metric ${metric} does not fit ${objective} (use ${metricsFor(objective).join(', ')})`);

  let valid: NumericTable | undefined;
  if (validPath !== undefined) {
    progress.stage(`reading ${validPath}`);
    const columns = { featureNames: data.featureNames, numFeature: data.X.cols };
    valid = await readTable(validPath, { header, select: modelColumns(COMMAND, validPath, columns, true, {}, y.name) });
    if (valid.X.rows === 0) throw new GroveDataError(`${COMMAND}: ${validPath} has no data rows`);
  }

  const total = params.nEstimators ?? resolveParams({}, COMMAND).nEstimators;
  const callbacks = progress.active ? [showRound(progress, metric, total)] : [];
  const fitOptions = { ...(earlyStopping !== undefined && { earlyStoppingRounds: earlyStopping }), evalMetric: metric, callbacks };
  let estimator: GradientBoostingRegressor | GradientBoostingClassifier;
  if (objective === 'reg:squarederror') {
    const evalSet: Array<[NumericTable['X'], Float64Array]> = valid ? [[valid.X, numericLabels(validPath!, valid.label!, valid.lines)]] : [];
    estimator = new GradientBoostingRegressor(params).fit(data.X, numericLabels(file, y, data.lines), { ...fitOptions, evalSet });
  } else {
    const labels = classLabels(y);
    const classes = [...new Set(labels)];
    const evalSet: Array<[NumericTable['X'], Label[]]> = valid ? [[valid.X, Array.from(classIndices(validPath!, valid.label!, valid.lines, classes, `the classes of ${file}`), (c) => classes[c])]] : [];
    estimator = new GradientBoostingClassifier(params).fit(data.X, labels, { ...fitOptions, evalSet });
  }
  const model = { ...estimator.model, featureNames: data.featureNames };
  progress.stage(`writing ${outPath}`);
  saveModel(outPath, model, y.name);

  const rounds = model.trees.tree_info.length / numGroups(model);
  const best = estimator.bestIteration === undefined ? '' : `, best round ${estimator.bestIteration + 1}`;
  const scores = valid ? estimator.evalsResult.validation_0[metric] : [];
  const score = valid ? `; validation ${metric} ${format(scores[rounds - 1])}${best}` : '';
  progress.finish(`grove train: ${objective}, ${rounds} rounds (${estimator.params.treeMethod}) on ${data.X.rows} rows × ${data.X.cols} features${score}`);
}

/** The objective asked for, checked against the target; or the one the target implies (said on stderr). */
function chooseObjective(file: string, data: NumericTable, asked: BoostObjective | undefined): BoostObjective {
  const y = data.label!;
  const numeric = !y.values.some((v) => Number.isNaN(v));
  const distinct = numeric ? new Set(y.values).size : new Set(y.texts).size;
  const name = JSON.stringify(y.name);
  if (asked === 'reg:squarederror') {
    numericLabels(file, y, data.lines);
    return asked;
  }
  if (asked === 'binary:logistic' && distinct !== 2) throw new GroveDataError(`${COMMAND}: binary:logistic needs a target with 2 classes; ${name} has ${distinct} distinct values in ${file}`);
  if (asked === 'multi:softprob' && distinct < 3) throw new GroveDataError(`${COMMAND}: multi:softprob needs a target with at least 3 classes; ${name} has ${distinct} in ${file} (use binary:logistic)`);
  if (asked) return asked;
  if (distinct === 1) throw new GroveDataError(`${COMMAND}: the target ${name} holds one value (${y.texts[0]}) in every row of ${file}: there is nothing to learn`);
  const chosen: BoostObjective = numeric && distinct > 2 ? 'reg:squarederror' : distinct === 2 ? 'binary:logistic' : 'multi:softprob';
  const why = chosen === 'reg:squarederror' ? `${distinct} distinct numbers` : numeric ? '2 distinct values' : `${distinct} distinct text labels`;
  // few distinct integers may well be class codes
  const codes = chosen === 'reg:squarederror' && distinct <= 100 && y.values.every(Number.isInteger);
  const other = codes ? '; pass --objective multi:softprob to learn them as classes' : '';
  process.stderr.write(`grove: ${COMMAND}: target ${name} has ${why}: objective ${chosen}${other}\n`);
  return chosen;
}

/** Class labels: numbers when every label is one, else the texts. */
function classLabels(y: TableLabel): Label[] {
  return y.values.some((v) => Number.isNaN(v)) ? y.texts : Array.from(y.values);
}

/** The estimator options of the --param and --tree-method flags, checked. */
function paramFlags(values: Values): Partial<BoostParams> {
  const defaults = resolveParams({}, COMMAND);
  const options: Record<string, number | string> = {};
  for (const item of (values.param as string[] | undefined) ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new GroveArgumentError(`${COMMAND}: --param must be NAME=VALUE. Got ${JSON.stringify(item)}`);
    const name = item.slice(0, eq).trim();
    const text = item.slice(eq + 1).trim();
    if (!(PARAM_NAMES as readonly string[]).includes(name)) throw new GroveArgumentError(`${COMMAND}: --param ${name}: unknown option (known: ${PARAM_NAMES.join(', ')})`);
    if (name in options) throw new GroveArgumentError(`${COMMAND}: --param ${name} is given twice`);
    const numeric = typeof defaults[name as keyof BoostParams] === 'number';
    if (numeric && (text === '' || !Number.isFinite(Number(text)))) throw new GroveArgumentError(`${COMMAND}: --param ${name} must be a number. Got ${JSON.stringify(text)}`);
    options[name] = numeric ? Number(text) : text;
  }
  if (values['tree-method'] !== undefined) {
    const method = choice(COMMAND, 'tree-method', values['tree-method'], ['exact', 'approx', 'hist'], 'hist');
    if (options.treeMethod !== undefined && options.treeMethod !== method) throw new GroveArgumentError(`${COMMAND}: --tree-method ${method} contradicts --param treeMethod=${options.treeMethod}`);
    options.treeMethod = method;
  }
  try {
    resolveParams(options, COMMAND); // range checks
  } catch (err) {
    if (err instanceof GroveArgumentError) err.message = err.message.replace(`${COMMAND}: `, `${COMMAND}: --param `);
    throw err;
  }
  return options as Partial<BoostParams>;
}

/** A training callback that redraws the progress line with the round and validation score. */
function showRound(progress: Progress, metric: EvalMetric, total: number): (info: RoundInfo) => void {
  return ({ iteration, evals }) => {
    const score = evals.validation_0?.[metric];
    const label = score === undefined ? 'training' : `training (validation ${metric} ${format(score)})`;
    progress.miner(label, 'rounds')?.({ done: iteration + 1, total });
  };
}

function format(x: number): string {
  return String(Number(x.toPrecision(6)));
}
