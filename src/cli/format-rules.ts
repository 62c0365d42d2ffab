/**
 * Rules as SPMF-style lines (`1 2 ==> 3 #SUP: 4 #CONF: 0.8 #LIFT: 1.7`), JSON (an array, one
 * rule per line) or CSV with a header row. Items appear in canonical order.
 */
import type { AssociationRule } from '../fim/rules.js';
import type { Item } from '../fim/types.js';
import type { Output, OutputFormat } from './output.js';

const RULE_NUMBERS = ['count', 'support', 'confidence', 'lift', 'leverage', 'conviction', 'antecedentSupport', 'consequentSupport'] as const;

/** Quotes a CSV field when it holds a delimiter, quote, line break or blanks at its edges. */
function csvField(text: string): string {
  return /[",\r\n]|^[ \t]|[ \t]$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** JSON has no infinity: an infinite conviction (confidence 1) is null. */
function jsonNumber(x: number): string {
  return Number.isFinite(x) ? String(x) : 'null';
}

/** Items of a rule side as one field: `a b c`. */
function itemsText(items: readonly Item[]): string {
  return items.map(String).join(' ');
}

/** Writes rules; SPMF lines carry count, confidence and lift, JSON and CSV every field. */
export function writeRules(out: Output, rules: readonly AssociationRule[], format: OutputFormat): void {
  if (format === 'spmf') {
    for (const r of rules) {
      out.write(`${itemsText(r.antecedent)} ==> ${itemsText(r.consequent)} #SUP: ${r.count} #CONF: ${r.confidence} #LIFT: ${r.lift}\n`);
    }
  } else if (format === 'csv') {
    out.write(`antecedent,consequent,${RULE_NUMBERS.join(',')}\n`);
    for (const r of rules) {
      out.write(`${csvField(itemsText(r.antecedent))},${csvField(itemsText(r.consequent))},${RULE_NUMBERS.map((k) => csvNumber(r[k])).join(',')}\n`);
    }
  } else {
    out.write(rules.length === 0 ? '[' : '[\n');
    rules.forEach((r, i) => {
      const numbers = RULE_NUMBERS.map((k) => `"${k}":${jsonNumber(r[k])}`).join(',');
      out.write(`${i === 0 ? '' : ',\n'}{"antecedent":${JSON.stringify(r.antecedent)},"consequent":${JSON.stringify(r.consequent)},${numbers}}`);
    });
    out.write(rules.length === 0 ? ']\n' : '\n]\n');
  }
}

/** Infinite conviction (confidence 1) is `inf` in CSV, as pandas reads it. */
function csvNumber(x: number): string {
  return Number.isFinite(x) ? String(x) : x > 0 ? 'inf' : String(x);
}
