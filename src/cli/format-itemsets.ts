/**
 * Itemsets as SPMF lines, JSON (an array, one element per line) or CSV (`items,count,support`),
 * written byte by byte into the output buffer: each label is encoded once and the end of a line
 * (count, support) once per distinct count, so millions of itemsets make no string each. Items
 * appear in the table's order (canonical item order).
 */
import type { EncodedDb } from '../fim/encode.js';
import type { ItemsetTable } from '../fim/itemsets.js';
import type { Output, OutputFormat } from './output.js';

const encoder = new TextEncoder();
const QUOTE = 34;

/** The fixed text around the items of each itemset, per format. */
const LAYOUTS = {
  spmf: { header: '', next: '', open: '', sep: ' ', tail: (count: number) => ` #SUP: ${count}\n`, footer: '' },
  csv: { header: 'items,count,support\n', next: '', open: '', sep: ' ', tail: (count: number, n: number) => `,${count},${count / n}\n`, footer: '' },
  json: {
    header: '[\n', next: ',\n', open: '{"items":[', sep: ',',
    tail: (count: number, n: number) => `],"count":${count},"support":${count / n}}`, footer: '\n]\n',
  },
} as const;

export function writeItemsets(out: Output, table: ItemsetTable, db: EncodedDb, format: OutputFormat): void {
  if (format === 'json' && table.size === 0) return out.write('[]\n');
  const n = db.offsets.length - 1;
  const layout = LAYOUTS[format];
  const text = db.labels.map((l) => (format === 'json' ? JSON.stringify(l) : String(l)));
  const plain = text.map((t) => encoder.encode(t));
  // CSV: the items field is quoted when a label holds a delimiter or quote, or blanks at its edges
  const csv = format === 'csv';
  const escaped = csv ? text.map((t) => encoder.encode(t.replace(/"/g, '""'))) : plain;
  const special = Uint8Array.from(text, (t) => (csv && /[",\r\n]/.test(t) ? 1 : 0));
  const blankStart = Uint8Array.from(text, (t) => (csv && /^[ \t]/.test(t) ? 1 : 0));
  const blankEnd = Uint8Array.from(text, (t) => (csv && /[ \t]$/.test(t) ? 1 : 0));
  const widest = Math.max(0, ...escaped.map((b) => b.length));
  const sep = layout.sep.charCodeAt(0);
  const open = encoder.encode(layout.open);
  const next = encoder.encode(layout.next);
  const tails = new Map<number, Uint8Array>();
  const { ids, start, counts } = table;

  out.write(layout.header);
  for (let i = 0; i < table.size; i++) {
    const from = start[i];
    const to = start[i + 1];
    let tail = tails.get(counts[i]);
    if (tail === undefined) {
      tail = encoder.encode(layout.tail(counts[i], n));
      tails.set(counts[i], tail);
    }
    let quote = false;
    if (csv) {
      quote = to > from && (blankStart[ids[from]] === 1 || blankEnd[ids[to - 1]] === 1);
      for (let k = from; k < to && !quote; k++) quote = special[ids[k]] === 1;
    }
    const labels = quote ? escaped : plain;
    out.room((to - from) * (widest + 1) + tail.length + open.length + next.length + 2);
    const buf = out.buffer;
    let p = out.used;
    if (i > 0) for (let j = 0; j < next.length; j++) buf[p++] = next[j];
    for (let j = 0; j < open.length; j++) buf[p++] = open[j];
    if (quote) buf[p++] = QUOTE;
    for (let k = from; k < to; k++) {
      if (k > from) buf[p++] = sep;
      const label = labels[ids[k]];
      for (let j = 0; j < label.length; j++) buf[p++] = label[j];
    }
    if (quote) buf[p++] = QUOTE;
    for (let j = 0; j < tail.length; j++) buf[p++] = tail[j];
    out.used = p;
  }
  out.write(layout.footer);
}
