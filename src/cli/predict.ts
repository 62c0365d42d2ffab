/**
 * `grove predict`: predictions of a Grove or XGBoost JSON model for the rows of a CSV file, as
 * CSV: a `prediction` column (the value, or the most probable class label), or with --proba one
 * `p_<label>` column per class. Numbers are float32, written in the fewest digits that read back
 * as the same float32.
 */
import { GradientBoostingClassifier } from '../boost/gradient-boosting.js';
import { float32Decimal } from '../boost/model.js';
import { readTable } from '../io/table-file.js';
import { GroveArgumentError } from '../runtime/errors.js';
import { parseCommand } from './args.js';
import { CSV_NOTE, TABLE_HELP, TABLE_OPTIONS, describeModel, estimatorFor, loadModel, modelColumns } from './model-file.js';
import { Output, writeOutput } from './output.js';
import { Progress } from './progress.js';

const COMMAND = 'predict';
const OPTIONS = {
  ...TABLE_OPTIONS,
  model: { type: 'string' },
  proba: { type: 'boolean' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const PREDICT_HELP = `Usage: grove predict --model MODEL FILE [options]

Predicts every row of FILE with MODEL and writes CSV with a header: one "prediction" column
(a regression value, or a classifier's most probable class), or with --proba one "p_<class>"
column of probabilities per class.

Input
  --model MODEL         required: a model from grove train, or an XGBoost JSON model
                        (Booster.save_model("m.json"))
  FILE                  CSV file with the model's feature columns. A model that names its
                        features finds them by name (other columns, such as the target, are
                        ignored); otherwise the columns are the features in order
${TABLE_HELP}

Output
  --proba               class probabilities (classifiers)
  --out FILE            write to FILE, which is replaced only once the run succeeds;
                        "-" or absent: stdout
  -h, --help            show this help

${CSV_NOTE}

Example: grove predict --model higgs.json higgs_test.csv.gz --proba --out preds.csv
`;

export async function predict(argv: string[]): Promise<void> {
  const { values, file } = parseCommand(COMMAND, argv, OPTIONS);
  if (values.help) {
    process.stdout.write(PREDICT_HELP);
    return;
  }
  if (typeof values.model !== 'string') throw new GroveArgumentError(`${COMMAND}: --model MODEL is required (a model file from grove train, or XGBoost JSON)`);
  if (file === undefined) throw new GroveArgumentError(`${COMMAND}: missing input FILE (see grove ${COMMAND} --help)`);
  const { model, target } = loadModel(values.model);
  const estimator = estimatorFor(model);
  const proba = values.proba === true;
  if (proba && !(estimator instanceof GradientBoostingClassifier)) throw new GroveArgumentError(`${COMMAND}: --proba applies to classifiers; ${values.model} is a regression model`);
  const outPath = values.out as string | undefined;
  const progress = new Progress(Output.isTerminal(outPath));
  progress.stage(`reading ${file}`);
  const header = values['no-header'] !== true;
  const { X } = await readTable(file, { header, select: modelColumns(COMMAND, file, { ...model, target }, header, values) });
  progress.stage(`predicting ${X.rows} rows`);
  writeOutput(outPath, (out) => {
    if (!(estimator instanceof GradientBoostingClassifier)) {
      out.write('prediction\n');
      for (const v of estimator.predict(X)) out.write(`${float32Decimal(v)}\n`);
    } else if (proba) {
      const classes = estimator.classes;
      out.write(`${classes.map((c) => csvField(`p_${c}`)).join(',')}\n`);
      const p = estimator.predictProba(X);
      for (let r = 0; r < X.rows; r++) {
        let line = '';
        for (let j = 0; j < classes.length; j++) line += `${j > 0 ? ',' : ''}${float32Decimal(p[r * classes.length + j])}`;
        out.write(`${line}\n`);
      }
    } else {
      out.write('prediction\n');
      for (const label of estimator.predict(X)) out.write(`${csvField(String(label))}\n`);
    }
  });
  progress.finish(`grove predict: ${X.rows} rows (${describeModel(model)})`);
}

/** A CSV field, quoted when it holds a comma, quote or line break, or blanks at its edges. */
function csvField(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
