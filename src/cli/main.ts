/**
 * `grove`: command dispatch and the exit-status contract. 0: success; 2: a usage or input
 * problem (bad flag, missing or malformed file), told in one line on stderr; 1: anything else.
 */
import { readFileSync } from 'node:fs';
import '../runtime/init.node.js';
import '../tree/worker-threads.node.js'; // --param nThreads=N
import { GroveArgumentError, GroveDataError } from '../runtime/errors.js';
import { demo } from './demo.js';
import { evaluate } from './evaluate.js';
import { evaluateRec } from './evaluate-rec.js';
import { fim } from './fim.js';
import { predict } from './predict.js';
import { recommend } from './recommend.js';
import { rules } from './rules.js';
import { train } from './train.js';

const COMMANDS: Record<string, (argv: string[]) => Promise<void>> = { fim, rules, demo, recommend, 'evaluate-rec': evaluateRec, train, predict, evaluate };

const HELP = `Usage: grove <command> [options]

Commands
  demo            mine a bundled grocery-basket data set and show its top itemsets and rules
  fim             frequent itemsets of a transaction file (FIMI / SPMF or CSV)
  rules           association rules of a transaction file
  recommend       top-N items for one user of a ratings file (item-/user-KNN, popularity, hybrid)
  evaluate-rec    top-N evaluation of a recommender on a train/test split of a ratings file
  train           fit a gradient-boosted tree model on a CSV file
  predict         predictions of a trained (or XGBoost JSON) model for the rows of a CSV file
  evaluate        a model's scores (rmse, auc, logloss, …) on labelled rows of a CSV file

Run "grove <command> --help" for a command's options.
  -h, --help      show this help
  -v, --version   show the version
Exit status: 0 on success, 2 for a bad flag or a missing or malformed input, 1 otherwise.
`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(HELP);
    return;
  }
  if (command === '-v' || command === '--version') {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    process.stdout.write(`${pkg.version}\n`);
    return;
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!run) throw new GroveArgumentError(`unknown command "${command}" (commands: ${Object.keys(COMMANDS).join(', ')}; see grove --help)`);
  await run(rest);
}

/** Exit status and one-line message for a failure (no message: exit quietly). */
function failure(err: unknown): { status: number; message?: string } {
  const sys = err as NodeJS.ErrnoException;
  if (sys?.code === 'EPIPE') return { status: 0 }; // the reader of stdout went away (… | head)
  if (err instanceof GroveArgumentError || err instanceof GroveDataError) return { status: 2, message: err.message };
  if (err instanceof Error && typeof sys.syscall === 'string') {
    const what = sys.path ? `${sys.path}: ` : '';
    return { status: 2, message: `${what}${(SYSTEM_ERRORS[sys.code ?? ''] ?? err.message)}` };
  }
  return { status: 1, message: `internal error: ${err instanceof Error ? err.message : String(err)}` };
}

const SYSTEM_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  ENOSPC: 'no space left on the device',
};

main(process.argv.slice(2)).then(
  () => {},
  (err: unknown) => {
    const { status, message } = failure(err);
    if (message !== undefined) {
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
      process.stderr.write(`grove: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    }
    process.exitCode = status;
  },
);
