/** `grove rules`: association rules of a transaction file. */
import { nTransactions } from '../fim/encode.js';
import { toItemsets } from '../fim/itemsets.js';
import { associationRules, type RuleMetric } from '../fim/rules.js';
import { INPUT_HELP, INPUT_OPTIONS, MINING_HELP, MINING_OPTIONS, OUTPUT_HELP, OUTPUT_OPTIONS, choice, inputFlags, miningFlags, numberFlag, parseCommand } from './args.js';
import { writeRules } from './format-rules.js';
import { checkMiningFlags, loadTransactions, mineParams, mineTable, withFlagNames } from './mining.js';
import { OUTPUT_FORMATS, Output, writeOutput, type OutputFormat } from './output.js';
import { Progress } from './progress.js';

const OPTIONS = { ...INPUT_OPTIONS, ...MINING_OPTIONS, metric: { type: 'string' }, 'min-threshold': { type: 'string' }, 'max-rules': { type: 'string' }, ...OUTPUT_OPTIONS } as const;
const METRICS: readonly RuleMetric[] = ['confidence', 'lift', 'leverage', 'conviction', 'support'];

export const RULES_HELP = `Usage: grove rules FILE --min-support S [options]

Association rules X ==> Y between the frequent itemsets of FILE, one per line:
"1 2 ==> 3 #SUP: 45 #CONF: 0.8 #LIFT: 1.7" (SUP counts the transactions holding X and Y).

${INPUT_HELP}

${MINING_HELP}

Rules
  --metric M            confidence (default) | lift | leverage | conviction | support
  --min-threshold T     keep rules whose metric is at least T (default 0.8)
  --max-rules N         stop with an error when more rules than N pass (default 10000000,
                        about 4 GB of rules held in memory)

Output
  --format F            spmf (default) | json (an array of rule objects with every metric;
                        an infinite conviction is null) | csv (one column per field, items
                        separated by a blank, an infinite conviction is inf)
${OUTPUT_HELP}

Example: grove rules groceries.csv --min-support 0.01 --metric lift --min-threshold 2
`;

export async function rules(argv: string[]): Promise<void> {
  const { values, file } = parseCommand('rules', argv, OPTIONS);
  if (values.help) {
    process.stdout.write(RULES_HELP);
    return;
  }
  const input = inputFlags('rules', file, values);
  const mining = miningFlags('rules', values);
  const metric = choice<RuleMetric>('rules', 'metric', values.metric, METRICS, 'confidence');
  const minThreshold = numberFlag('rules', 'min-threshold', values['min-threshold']); // absent: the library's 0.8
  const maxRules = numberFlag('rules', 'max-rules', values['max-rules']); // absent: the library's 10M
  const format = choice<OutputFormat>('rules', 'format', values.format, OUTPUT_FORMATS, 'spmf');
  checkMiningFlags('rules', mining, 'all');

  const outPath = values.out as string | undefined;
  const progress = new Progress(Output.isTerminal(outPath));
  const db = await loadTransactions(input, progress);
  const params = mineParams('rules', mining, 'all', db, progress);
  const itemsets = toItemsets(mineTable(db, params, mining.algo), db);
  progress.stage(`rules from ${itemsets.length} itemsets`);
  const found = withFlagNames(() => associationRules(itemsets, { metric, minThreshold, maxRules, nTransactions: nTransactions(db) }));
  writeOutput(outPath, (out) => writeRules(out, found, format));
  progress.finish(`grove rules: ${found.length} rules (${itemsets.length} itemsets, ${nTransactions(db)} transactions)`);
}
