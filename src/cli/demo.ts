/**
 * `grove demo`: mines the bundled grocery baskets (data/demo/groceries.csv, made by
 * scripts/make-demo-data.mjs) and prints the most frequent itemsets and the strongest rules.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { nTransactions } from '../fim/encode.js';
import { fpGrowthTable } from '../fim/fpgrowth.js';
import { toItemsets } from '../fim/itemsets.js';
import { resolveMineOptions } from '../fim/options.js';
import { associationRules } from '../fim/rules.js';
import type { Item } from '../fim/types.js';
import { readTransactions } from '../io/transactions.js';
import { GroveArgumentError } from '../runtime/errors.js';
import { parseCommand } from './args.js';

const MIN_SUPPORT = 0.01;
const MIN_CONFIDENCE = 0.3;
const TOP = 10;

export const DEMO_HELP = `Usage: grove demo

Mines a bundled data set of 2,000 synthetic grocery baskets (data/demo/groceries.csv) with
FP-growth at ${MIN_SUPPORT * 100}% minimum support, then prints the ${TOP} most frequent itemsets of two or
more products and the ${TOP} association rules with the highest lift (confidence ≥ ${MIN_CONFIDENCE}).
The same work from the command line:
  grove fim data/demo/groceries.csv --min-support ${MIN_SUPPORT}
  grove rules data/demo/groceries.csv --min-support ${MIN_SUPPORT} --min-threshold ${MIN_CONFIDENCE}

  -h, --help   show this help
`;

/** The data set next to the bundle (dist/cli.js) or, run from source, at the repository root. */
function demoPath(): string {
  for (const rel of ['../data/demo/groceries.csv', '../../data/demo/groceries.csv']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error('the demo data set data/demo/groceries.csv is missing from this installation');
}

export async function demo(argv: string[]): Promise<void> {
  const { values, file } = parseCommand('demo', argv, { help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(DEMO_HELP);
    return;
  }
  if (file !== undefined) throw new GroveArgumentError('demo: takes no FILE (see grove demo --help)');
  const start = performance.now();
  const db = await readTransactions(demoPath(), { format: 'csv' });
  const nTx = nTransactions(db);
  const params = resolveMineOptions({ minSupport: MIN_SUPPORT }, nTx, 'demo');
  const itemsets = toItemsets(fpGrowthTable(db, params), db);
  const rules = associationRules(itemsets, { metric: 'confidence', minThreshold: MIN_CONFIDENCE, nTransactions: nTx });
  const ms = performance.now() - start;

  const names = (items: readonly Item[]) => items.join(' + ');
  const top = itemsets
    .filter((s) => s.items.length >= 2)
    .sort((a, b) => b.count - a.count || (names(a.items) < names(b.items) ? -1 : 1))
    .slice(0, TOP);
  const strongest = [...rules].sort((a, b) => b.lift - a.lift || b.confidence - a.confidence).slice(0, TOP);
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  process.stdout.write(
    `grove demo: ${nTx} grocery baskets over ${db.labels.length} products (data/demo/groceries.csv), ` +
      `read and mined with FP-growth in ${ms.toFixed(0)} ms\n` +
      `minimum support ${pct(MIN_SUPPORT)} (${params.minCount} baskets): ${itemsets.length} frequent itemsets, ` +
      `${rules.length} rules with confidence ≥ ${MIN_CONFIDENCE}\n\n` +
      `Most frequent itemsets of two or more products\n` +
      table(['support', 'baskets', 'itemset'], top.map((s) => [pct(s.support), String(s.count), names(s.items)])) +
      `\nStrongest rules by lift (if a basket holds the left side, how much likelier is the right side)\n` +
      table(
        ['lift', 'confidence', 'support', 'rule'],
        strongest.map((r) => [r.lift.toFixed(2), pct(r.confidence), pct(r.support), `${names(r.antecedent)} → ${names(r.consequent)}`]),
      ),
  );
}

/** Columns padded to their widest cell; numbers right-aligned, the last column left-aligned. */
function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    '  ' + cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padStart(widths[c]))).join('  ') + '\n';
  return line(headers) + rows.map(line).join('');
}
