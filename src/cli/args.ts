/**
 * Command-line parsing shared by the commands: `util.parseArgs` in strict mode, its errors turned
 * into one-line `GroveArgumentError`s, and the flags every mining command has.
 */
import { parseArgs } from 'node:util';
import { formatForPath, type TransactionFormat } from '../io/transactions.js';
import { GroveArgumentError } from '../runtime/errors.js';

type OptionSpec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean };
export type OptionSpecs = Record<string, OptionSpec>;
/** A flag's value; a `multiple` string flag gives every occurrence. */
export type Values = Record<string, string | boolean | string[] | undefined>;

/** Flags and the single positional FILE of `grove <command> …`. */
export function parseCommand(command: string, argv: string[], options: OptionSpecs): { values: Values; file?: string } {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true }) as typeof parsed;
  } catch (err) {
    throw new GroveArgumentError(`${command}: ${describeParseError(err)} (see grove ${command} --help)`);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new GroveArgumentError(`${command}: expected one input FILE, got ${positionals.length}: ${positionals.join(' ')}`);
  return { values, file: positionals[0] };
}

function describeParseError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  // Node quotes the option as '--name', '--name <value>' or '-n, --name'
  const quoted = /'(-[^']*)'/.exec(message)?.[1] ?? '';
  const option = quoted.replace(/ <value>$/, '').split(', ').pop();
  switch ((err as { code?: string }).code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/does not take/.test(message)) return `${option} takes no value`;
      return /ambiguous/.test(message) ? `${option} needs a value; write ${option}=VALUE for one that starts with "-"` : `${option} needs a value`;
    default:
      return message.split('\n')[0];
  }
}

/** `value` if it is one of `allowed`, else a message listing them; `fallback` when absent. */
export function choice<T extends string>(command: string, flag: string, value: Values[string], allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) throw new GroveArgumentError(`${command}: --${flag} must be one of ${allowed.join(', ')}. Got ${String(value)}`);
  return value as T;
}

/** A finite number (`undefined` when absent). */
export function numberFlag(command: string, flag: string, value: Values[string]): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(n)) {
    throw new GroveArgumentError(`${command}: --${flag} must be a number. Got ${JSON.stringify(value)}`);
  }
  return n;
}

// ---- flags of the mining commands (fim, rules) ----

export const INPUT_OPTIONS: OptionSpecs = {
  'input-format': { type: 'string' },
  'csv-long': { type: 'boolean' },
  header: { type: 'boolean' },
};

export const MINING_OPTIONS: OptionSpecs = {
  'min-support': { type: 'string' },
  algo: { type: 'string' },
  'max-len': { type: 'string' },
};

export const OUTPUT_OPTIONS: OptionSpecs = {
  format: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

export const INPUT_HELP = `Input
  FILE                  transaction file; "-" reads stdin
  --input-format F      fimi (FIMI / SPMF: one transaction per line, integer items separated
                        by blanks) | csv (one basket per row, items in the fields) |
                        csv-long (one "transaction,item" pair per row).
                        Default: csv for a *.csv FILE, fimi otherwise
  --csv-long            same as --input-format csv-long
  --header              CSV: the first row holds column names`;

export const MINING_HELP = `Mining
  --min-support S       required: a fraction of the transactions in (0, 1], or an integer
                        count > 1 (an itemset is frequent when its count reaches it)
  --algo A              fpgrowth (default) | apriori
  --max-len N           longest itemset to mine (default: no limit)`;

/** The Output section's common lines (each command lists its --format first). */
export const OUTPUT_HELP = `  --out FILE            write to FILE, which is replaced only once the run succeeds;
                        "-" or absent: stdout
  -h, --help            show this help
Labels that contain blanks are unambiguous only in --format json.`;

export type Algo = 'fpgrowth' | 'apriori';

export interface InputFlags {
  file: string;
  format: TransactionFormat;
  header: boolean;
}

export interface MiningFlags {
  minSupport: number;
  algo: Algo;
  maxLen?: number;
}

export function inputFlags(command: string, file: string | undefined, values: Values): InputFlags {
  if (file === undefined) throw new GroveArgumentError(`${command}: missing input FILE (see grove ${command} --help)`);
  const explicit = choice<TransactionFormat | 'auto'>(command, 'input-format', values['input-format'], ['fimi', 'csv', 'csv-long'], 'auto');
  if (values['csv-long'] && explicit !== 'auto' && explicit !== 'csv-long') {
    throw new GroveArgumentError(`${command}: --csv-long contradicts --input-format ${explicit}`);
  }
  const format = values['csv-long'] ? 'csv-long' : explicit !== 'auto' ? explicit : formatForPath(file);
  if (values.header && format === 'fimi') throw new GroveArgumentError(`${command}: --header applies to CSV input only`);
  return { file, format, header: values.header === true };
}

export function miningFlags(command: string, values: Values): MiningFlags {
  const minSupport = numberFlag(command, 'min-support', values['min-support']);
  if (minSupport === undefined) throw new GroveArgumentError(`${command}: --min-support is required (a fraction in (0, 1] or an integer count > 1)`);
  const maxLen = numberFlag(command, 'max-len', values['max-len']);
  return { minSupport, algo: choice<Algo>(command, 'algo', values.algo, ['fpgrowth', 'apriori'], 'fpgrowth'), maxLen };
}
