/** `grove fim`: frequent itemsets of a transaction file. */
import { nTransactions } from '../fim/encode.js';
import { fpGrowthSpmf } from '../fim/fpgrowth.js';
import { selectKind } from '../fim/itemsets.js';
import type { ItemsetKind } from '../fim/types.js';
import { INPUT_HELP, INPUT_OPTIONS, MINING_HELP, MINING_OPTIONS, OUTPUT_HELP, OUTPUT_OPTIONS, choice, inputFlags, miningFlags, parseCommand } from './args.js';
import { writeItemsets } from './format-itemsets.js';
import { checkMiningFlags, loadTransactions, mineParams, mineTable } from './mining.js';
import { OUTPUT_FORMATS, Output, writeOutput, type OutputFormat } from './output.js';
import { Progress } from './progress.js';

const OPTIONS = { ...INPUT_OPTIONS, ...MINING_OPTIONS, kind: { type: 'string' }, ...OUTPUT_OPTIONS } as const;

export const FIM_HELP = `Usage: grove fim FILE --min-support S [options]

Frequent itemsets of the transactions in FILE, one per line: "1 2 3 #SUP: 45" (items
ascending, then the number of transactions that hold them all).

${INPUT_HELP}

${MINING_HELP}
  --kind K              all (default) | closed (no superset has the same count) |
                        maximal (no superset is frequent)

Output
  --format F            spmf (default) | json (an array of {"items","count","support"}) |
                        csv (items,count,support; items separated by a blank)
${OUTPUT_HELP}

Example: grove fim retail.dat --min-support 0.01 --kind closed --out closed.txt
`;

export async function fim(argv: string[]): Promise<void> {
  const { values, file } = parseCommand('fim', argv, OPTIONS);
  if (values.help) {
    process.stdout.write(FIM_HELP);
    return;
  }
  const input = inputFlags('fim', file, values);
  const mining = miningFlags('fim', values);
  const kind = choice<ItemsetKind>('fim', 'kind', values.kind, ['all', 'closed', 'maximal'], 'all');
  const format = choice<OutputFormat>('fim', 'format', values.format, OUTPUT_FORMATS, 'spmf');
  checkMiningFlags('fim', mining, kind);

  const outPath = values.out as string | undefined;
  const progress = new Progress(Output.isTerminal(outPath));
  const db = await loadTransactions(input, progress);
  const params = mineParams('fim', mining, kind, db, progress);
  const count = writeOutput(outPath, (out) => {
    if (mining.algo === 'fpgrowth' && kind === 'all' && format === 'spmf') {
      // the fast path: the kernel's text goes straight from WebAssembly memory to the file
      return fpGrowthSpmf(db, params, (chunk) => out.writeBytes(chunk));
    }
    const table = selectKind(mineTable(db, params, mining.algo), kind);
    progress.stage(`writing ${table.size} itemsets`);
    writeItemsets(out, table, db, format);
    return table.size;
  });
  progress.finish(`grove fim: ${count} itemsets (${nTransactions(db)} transactions, min count ${params.minCount})`);
}
