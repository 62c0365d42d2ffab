/**
 * `grove evaluate`: a model's scores on the labelled rows of a CSV file — rmse, mae and r2 for
 * regression; auc, logloss and error (threshold 0.5) for binary classifiers; mlogloss, merror
 * and accuracy for multiclass ones. The definitions are scikit-learn's and XGBoost's
 * (metrics/classification.ts).
 */
import { GradientBoostingClassifier } from '../boost/gradient-boosting.js';
import { errorRate, logLoss, mae, multiError, multiLogLoss, r2Score, rmse, rocAuc } from '../metrics/classification.js';
import { readTable } from '../io/table-file.js';
import { GroveArgumentError, GroveDataError } from '../runtime/errors.js';
import { choice, parseCommand } from './args.js';
import { CSV_NOTE, TABLE_HELP, TABLE_OPTIONS, classIndices, describeModel, estimatorFor, loadModel, modelColumns, numericLabels } from './model-file.js';
import { Output } from './output.js';
import { Progress } from './progress.js';

const COMMAND = 'evaluate';
const OPTIONS = {
  ...TABLE_OPTIONS,
  model: { type: 'string' },
  target: { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const EVALUATE_HELP = `Usage: grove evaluate --model MODEL FILE [--target COL] [options]

Scores MODEL on the rows of FILE: rmse, mae and r2 for regression; auc, logloss and error
(share misclassified at p > 0.5) for binary classifiers; mlogloss, merror and accuracy for
multiclass ones.

Input
  --model MODEL         required: a model from grove train, or an XGBoost JSON model
  FILE                  CSV file with the model's feature columns and the target
  --target COL          the true values (a name, or a 0-based index). Default: the column
                        the model was trained on (models from grove train)
${TABLE_HELP}

Output
  --format F            text (default) | json (one object, metric name → value)
  -h, --help            show this help

${CSV_NOTE}

Example: grove evaluate --model higgs.json higgs_test.csv.gz --format json
`;

export async function evaluate(argv: string[]): Promise<void> {
  const { values, file } = parseCommand(COMMAND, argv, OPTIONS);
  if (values.help) {
    process.stdout.write(EVALUATE_HELP);
    return;
  }
  if (typeof values.model !== 'string') throw new GroveArgumentError(`${COMMAND}: --model MODEL is required (a model file from grove train, or XGBoost JSON)`);
  if (file === undefined) throw new GroveArgumentError(`${COMMAND}: missing input FILE (see grove ${COMMAND} --help)`);
  const format = choice(COMMAND, 'format', values.format, ['text', 'json'], 'text');
  const { model, target: trained } = loadModel(values.model);
  const target = (values.target as string | undefined) ?? trained;
  if (target === undefined) throw new GroveArgumentError(`${COMMAND}: --target COL is required (${values.model} does not name the column it learned)`);
  const progress = new Progress(Output.isTerminal());
  progress.stage(`reading ${file}`);
  const header = values['no-header'] !== true;
  const { X, label, lines } = await readTable(file, { header, select: modelColumns(COMMAND, file, { ...model, target: trained }, header, values, target) });
  if (X.rows === 0) throw new GroveDataError(`${COMMAND}: ${file} has no data rows`);
  progress.stage(`predicting ${X.rows} rows`);
  const estimator = estimatorFor(model);
  let metrics: Record<string, number>;
  if (!(estimator instanceof GradientBoostingClassifier)) {
    const y = numericLabels(file, label!, lines);
    const p = estimator.predict(X);
    metrics = { rmse: rmse(y, p), mae: mae(y, p), r2: r2Score(y, p) };
  } else {
    const classes = estimator.classes;
    const y = classIndices(file, label!, lines, classes, 'the model\'s classes');
    const p = estimator.predictProba(X);
    if (classes.length === 2) {
      const p1 = p.filter((_, i) => i % 2 === 1);
      metrics = { auc: rocAuc(y, p1), logloss: logLoss(y, p1), error: errorRate(y, p1) };
    } else {
      const merror = multiError(y, p, classes.length);
      metrics = { mlogloss: multiLogLoss(y, p, classes.length), merror, accuracy: 1 - merror };
    }
  }
  progress.clear();
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify(metrics)}\n`);
    return;
  }
  const head = `${describeModel(model)}; ${X.rows} rows of ${file}, target ${JSON.stringify(label!.name)}\n`;
  process.stdout.write(head + Object.entries(metrics).map(([name, value]) => `${name.padEnd(10)}${Number(value.toPrecision(6))}\n`).join(''));
}
